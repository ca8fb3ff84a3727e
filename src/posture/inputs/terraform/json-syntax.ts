/**
 * Terraform's JSON syntax (`*.tf.json`) and JSON variable files (`*.tfvars.json`) → the same
 * syntax tree as native HCL, through jsonc-parser (keeps offsets for lines).
 *
 * In `.tf.json`, strings are templates (`"${var.x}"`); they are read by the HCL parser as the
 * body of a heredoc, which has exactly JSON-string template semantics once JSON escapes are
 * decoded. Without a schema, JSON cannot say whether an object is a nested block or a map
 * argument, so objects and arrays stay as written: a nested block written as an object is an
 * object in attrs, as an array it is an array of objects (rules read blocks with
 * `attrs.blocks()`, which accepts both). `"//"` keys are comments (Terraform's convention), so
 * `"//": "vigil:ignore=ID reason"` suppresses like an HCL comment. `variable` defaults and
 * tfvars values are literal JSON, not templates.
 */
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Attribute, Block, Body, Comment, Expr, ParsedFile } from './ast.js';
import { LIMITS } from './limits.js';
import { lineAt, lineStarts } from './lines.js';

export type TemplateReader = (value: string, line: number) => Expr;

class JsonReader {
  readonly comments: Comment[] = [];
  readonly problems: { line: number; reason: string }[] = [];

  constructor(
    private readonly text: string,
    private readonly starts: readonly number[],
    private readonly template: TemplateReader | undefined,
  ) {}

  line(n: Node): number {
    return lineAt(this.starts, n.offset);
  }

  endLine(n: Node): number {
    return lineAt(this.starts, Math.max(n.offset, n.offset + n.length - 1));
  }

  private src(n: Node): string {
    return this.text.slice(n.offset, n.offset + n.length);
  }

  /** Properties of an object node as [key, value, keyNode]. */
  props(n: Node | undefined): [string, Node, Node][] {
    if (n?.type !== 'object') return [];
    const out: [string, Node, Node][] = [];
    for (const p of n.children ?? []) {
      const [k, v] = p.children ?? [];
      if (k === undefined || v === undefined || typeof k.value !== 'string') continue;
      if (k.value === '//') {
        if (typeof v.value === 'string') this.comments.push({ line: this.line(k), text: v.value });
        continue;
      }
      out.push([k.value, v, k]);
    }
    return out;
  }

  expr(n: Node, templates: boolean, depth: number): Expr {
    const line = this.line(n);
    const t = this.src(n);
    if (depth > LIMITS.maxDepth) {
      this.problems.push({ line, reason: `nesting deeper than ${LIMITS.maxDepth} levels; the deeper part is left unresolved` });
      return { k: 'bad', line, t };
    }
    switch (n.type) {
      case 'string': {
        const s = n.value as string;
        if (templates && this.template !== undefined && (s.includes('${') || s.includes('%{'))) return this.template(s, line);
        return { k: 'lit', v: s, line, t };
      }
      case 'number':
      case 'boolean':
      case 'null':
        return { k: 'lit', v: (n.value ?? null) as number | boolean | null, line, t };
      case 'array':
        return { k: 'tuple', items: (n.children ?? []).map((c) => this.expr(c, templates, depth + 1)), line, t };
      case 'object':
        return {
          k: 'object',
          items: this.props(n).map(([name, v, k]) => ({ name, keyExpr: { k: 'lit', v: name, line: this.line(k), t: name }, val: this.expr(v, templates, depth + 1), line: this.line(k) })),
          line,
          t,
        };
      case 'property':
        return { k: 'bad', line, t };
    }
  }

  /** An object → a block body; `dynamic` specs become dynamic blocks with a `content` block. */
  body(n: Node, templates: boolean, depth: number): Body {
    const out: Body = [];
    for (const [name, v, k] of this.props(n)) {
      if (name === 'dynamic' && v.type === 'object') {
        for (const [dn, spec, dk] of this.props(v)) {
          for (const one of spec.type === 'array' ? (spec.children ?? []) : [spec]) {
            const inner: Body = [];
            for (const [sn, sv, sk] of this.props(one)) {
              if (sn === 'content') inner.push(this.block('content', [], sv, sk, depth + 1));
              else inner.push(this.attr(sn, sv, sk, true, depth + 1));
            }
            out.push({ k: 'block', type: 'dynamic', labels: [dn], body: inner, line: this.line(dk), endLine: this.endLine(one) });
          }
        }
        continue;
      }
      out.push(this.attr(name, v, k, templates, depth));
    }
    return out;
  }

  attr(name: string, v: Node, k: Node, templates: boolean, depth: number): Attribute {
    return { k: 'attr', name, e: this.expr(v, templates, depth + 1), line: this.line(k) };
  }

  block(type: string, labels: string[], v: Node, k: Node, depth: number, templates = true): Block {
    return { k: 'block', type, labels, body: this.body(v, templates, depth + 1), line: this.line(k), endLine: this.endLine(v) };
  }

  /** `{ "T": { "N": {…} | [{…}] } }` (resource, data) or `{ "N": {…} | [{…}] }` (module, provider, variable). */
  labelled(type: string, v: Node, levels: 1 | 2, out: Body): void {
    for (const [a, av, ak] of this.props(v)) {
      if (levels === 2) {
        for (const [b, bv, bk] of this.props(av)) for (const one of this.each(bv)) out.push(this.block(type, [a, b], one, bk, 0));
      } else {
        for (const one of this.each(av)) out.push(this.block(type, [a], one, ak, 0, type !== 'variable'));
      }
    }
  }

  each(v: Node): Node[] {
    return v.type === 'array' ? (v.children ?? []).filter((c) => c.type === 'object') : [v];
  }
}

function readTree(path: string, text: string): { root: Node | undefined; problems: ParsedFile['problems'] } {
  const errors: ParseError[] = [];
  const starts = lineStarts(text);
  let root: Node | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  } catch (err: unknown) {
    if (err instanceof RangeError) return { root: undefined, problems: [{ line: 1, reason: 'JSON nested too deeply to read' }] };
    throw err;
  }
  const problems = errors.slice(0, LIMITS.maxProblemsPerFile).map((e) => ({ line: lineAt(starts, e.offset), reason: `invalid JSON: ${printParseErrorCode(e.error)}` }));
  if (root !== undefined && root.type !== 'object') problems.push({ line: 1, reason: `${path.endsWith('.tfvars.json') ? 'a variables file' : 'Terraform JSON'} must be an object` });
  return { root: root?.type === 'object' ? root : undefined, problems };
}

/** A `.tf.json` file. Broken JSON gives its problems and whatever jsonc-parser recovered. */
export function parseTfJson(path: string, text: string, template: TemplateReader): ParsedFile {
  const { root, problems } = readTree(path, text);
  const r = new JsonReader(text, lineStarts(text), template);
  const body: Body = [];
  for (const [key, v, k] of r.props(root)) {
    switch (key) {
      case 'resource':
      case 'data':
        r.labelled(key, v, 2, body);
        break;
      case 'module':
      case 'provider':
      case 'variable':
        r.labelled(key, v, 1, body);
        break;
      case 'locals':
        for (const one of r.each(v)) body.push(r.block('locals', [], one, k, 0));
        break;
      default:
        break; // output, terraform, moved, import: nothing to check
    }
  }
  return { path, body, comments: r.comments.sort((a, b) => a.line - b.line), problems: [...problems, ...r.problems] };
}

/** A `.tfvars.json` file: top-level keys are variable values (literal JSON). */
export function parseTfvarsJson(path: string, text: string): ParsedFile {
  const { root, problems } = readTree(path, text);
  const r = new JsonReader(text, lineStarts(text), undefined);
  const body: Body = r.props(root).map(([name, v, k]) => r.attr(name, v, k, false, 0));
  return { path, body, comments: r.comments, problems: [...problems, ...r.problems] };
}
