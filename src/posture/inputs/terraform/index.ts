/**
 * Terraform HCL input: `.tf`, `.tf.json`, `.tfvars`, `.tfvars.json` → `tf:*` resources.
 *
 * Resources: `resource "T" "N"` → kind `tf:T`, id = address (`module.M.T.N[0]`); `data "T" "N"`
 * → `tf:data.T`, id `data.T.N`; `module "M"` calls → `tf:module` (attrs = arguments, meta.source);
 * `provider "P"` → `tf:provider.P`. Attributes are evaluated statically where the source allows
 * (eval.ts); the conventions rules rely on are listed on `terraformInput` below.
 */
import type { InputProblem } from '../../model.js';
import type { InputAdapter, InputResult, ParseOptions, SourceFile } from '../types.js';
import type { ParsedFile } from './ast.js';
import { parseHclFile, parseJsonTemplate } from './hcl-file.js';
import { parseTfJson, parseTfvarsJson } from './json-syntax.js';
import { LIMITS } from './limits.js';
import { evaluateProject } from './project.js';
import { hclParser } from './treesitter.js';

type FileKind = 'tf' | 'tf.json' | 'tfvars' | 'tfvars.json';

export function terraformFileKind(path: string): FileKind | undefined {
  const p = path.toLowerCase();
  if (p.endsWith('.tf')) return 'tf';
  if (p.endsWith('.tf.json')) return 'tf.json';
  if (p.endsWith('.tfvars')) return 'tfvars';
  if (p.endsWith('.tfvars.json')) return 'tfvars.json';
  return undefined;
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ' ' + text.slice(1) : text;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function readFiles(files: readonly SourceFile[], problems: InputProblem[], varsOnly: boolean): Promise<ParsedFile[]> {
  const parser = await hclParser();
  const out: ParsedFile[] = [];
  for (const f of files) {
    const kind = varsOnly ? (f.path.toLowerCase().endsWith('.json') ? 'tfvars.json' : 'tfvars') : terraformFileKind(f.path);
    if (kind === undefined) continue;
    if (f.text.length > LIMITS.maxFileChars) {
      problems.push({ path: f.path, reason: `file larger than ${LIMITS.maxFileChars} characters; not read` });
      continue;
    }
    const text = withoutBom(f.text);
    try {
      const parsed =
        kind === 'tf' || kind === 'tfvars'
          ? parseHclFile(parser, f.path, text)
          : kind === 'tf.json'
            ? parseTfJson(f.path, text, (value, line) => parseJsonTemplate(parser, value, line))
            : parseTfvarsJson(f.path, text);
      for (const p of parsed.problems) problems.push({ path: f.path, line: p.line, reason: p.reason });
      out.push(parsed);
    } catch (err: unknown) {
      problems.push({ path: f.path, reason: `could not read the file: ${message(err)}` });
    }
  }
  return out;
}

/**
 * Conventions for rule writers:
 * - attrs hold evaluated values; an attribute set to `null` is absent (Terraform: unset);
 * - nested blocks are arrays of objects under the block type (`ingress: [{…}, {…}]`), in
 *   `.tf.json` as written (object or array: read them with `blocks()` from posture/attrs.ts);
 * - what cannot be known statically is a string holding `${…}`: the expression as written
 *   (`${aws_kms_key.k.arn}`), or a template with its known parts filled in
 *   (`arn:aws:s3:::${aws_s3_bucket.b.id}/*`); `jsonencode()` of a partly unknown value is the
 *   JSON text with the unknown leaves as `"${…}"` strings (it still parses as JSON);
 * - refs are addresses without the referenced resource's own instance key
 *   (`aws_s3_bucket.b`, `data.aws_iam_policy_document.p`, `module.m`), with the module prefix
 *   of the referring resource (`module.net.aws_vpc.main`).
 */
export const terraformInput: InputAdapter = {
  id: 'terraform',
  accepts(path: string): boolean {
    return terraformFileKind(path) !== undefined;
  },
  async parse(files: readonly SourceFile[], options?: ParseOptions): Promise<InputResult> {
    const problems: InputProblem[] = [];
    try {
      const parsed = await readFiles(files, problems, false);
      const varFiles = await readFiles(options?.varFiles ?? [], problems, true);
      const config = parsed.filter((f) => {
        const k = terraformFileKind(f.path);
        return k === 'tf' || k === 'tf.json';
      });
      const vars = parsed.filter((f) => !config.includes(f));
      const result = evaluateProject({ config, vars, varFiles });
      return { resources: result.resources, problems: [...problems, ...result.problems] };
    } catch (err: unknown) {
      // The parser failed to load, or a bug: report it for every file rather than throw.
      const reason = `Terraform input failed: ${message(err)}`;
      return { resources: [], problems: [...problems, ...files.map((f) => ({ path: f.path, reason }))] };
    }
  },
};
