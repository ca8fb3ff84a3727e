/**
 * `vigil posture scan PATH...` without the CLI: walk the paths (files as given, directories
 * recursively without following links or entering .git, node_modules, .terraform …, with
 * limits on depth, file size and count), hand every candidate file to the inputs, run the
 * built-in and custom rules, and return the report. A file that could not be read, parsed or
 * was over a limit is an error in the report, never skipped silently. I/O lives here only.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, type Dirent, type Stats } from 'node:fs';
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { analyse } from './analyse.js';
import { loadCustomRules } from './custom/load.js';
import { selectRules } from './engine.js';
import type { FrameworkId } from './frameworks.js';
import { inputFor } from './inputs/registry.js';
import type { SourceFile } from './inputs/types.js';
import type { InputProblem, PostureSeverity } from './model.js';
import type { PostureReport } from './output/report.js';
import type { Rule } from './rule.js';
import { BUILTIN_RULES } from './rules/registry.js';
import { parseSuppressionFile, type FileSuppression } from './suppress/file.js';

export const SKIP_DIRS = new Set(['.git', '.hg', '.svn', 'node_modules', '.terraform', '.terragrunt-cache', '__pycache__', '.venv', '.idea', '.vscode']);
const CANDIDATE = /\.(tf|tfvars|tf\.json|tfvars\.json|json|ya?ml|template|dockerfile)$/i;
const DOCKERFILE = /^(Dockerfile|Containerfile)(\..+)?$/i;

/** Whether a file name may hold infrastructure code (cheap, before reading it). */
export const isCandidateFile = (name: string): boolean => CANDIDATE.test(name) || DOCKERFILE.test(name);

export interface WalkLimits {
  readonly maxDepth: number;
  readonly maxFileBytes: number;
  readonly maxFiles: number;
}
export const DEFAULT_LIMITS: WalkLimits = { maxDepth: 30, maxFileBytes: 20 * 1024 * 1024, maxFiles: 100_000 };

export const DEFAULT_SUPPRESSION_FILE = '.vigil-posture.yaml';

export interface PostureScanOptions {
  readonly rulesDirs?: readonly string[];
  readonly suppressionFile?: string;
  readonly framework?: FrameworkId;
  readonly severities?: readonly PostureSeverity[];
  readonly limits?: WalkLimits;
  readonly now?: Date;
  readonly onProgress?: (done: number, total: number) => void;
}

export class PostureUsageError extends Error {
  override readonly name = 'PostureUsageError';
}

const toPosix = (p: string): string => p.split(sep).join('/');

// The walk and the reads are synchronous on purpose: this is a batch entry point (the CLI; the
// server scans uploads in memory through analyse()), and thousands of small files read through
// promises cost five times as long (measured on the shared corpus: four thread-pool round
// trips per file, each with its promise and callback) as the same system calls made directly.

function collect(paths: readonly string[], limits: WalkLimits): { files: { abs: string; rel: string }[]; problems: InputProblem[] } {
  const files: { abs: string; rel: string }[] = [];
  const problems: InputProblem[] = [];
  const single = paths.length === 1 ? resolve(paths[0]!) : undefined;
  for (const p of paths) {
    const abs = resolve(p);
    let st: Stats | undefined;
    try {
      st = lstatSync(abs);
    } catch {
      throw new PostureUsageError(`${p}: no such file or directory`);
    }
    if (st.isFile()) {
      files.push({ abs, rel: single === abs ? basename(abs) : toPosix(relative(process.cwd(), abs)) || basename(abs) });
      continue;
    }
    if (!st.isDirectory()) throw new PostureUsageError(`${p}: not a file or directory`);
    const base = single === abs ? abs : process.cwd();
    const walk = (dir: string, depth: number): void => {
      if (depth > limits.maxDepth) {
        problems.push({ path: toPosix(relative(base, dir)), reason: `deeper than ${limits.maxDepth} levels; not scanned` });
        return;
      }
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        problems.push({ path: toPosix(relative(base, dir)) || '.', reason: `could not list: ${(err as Error).message}` });
        return;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) {
          if (!SKIP_DIRS.has(e.name)) walk(full, depth + 1);
        } else if (e.isFile() && isCandidateFile(e.name)) {
          if (files.length >= limits.maxFiles) {
            problems.push({ path: toPosix(relative(base, full)), reason: `more than ${limits.maxFiles} files; the rest were not scanned` });
            return;
          }
          files.push({ abs: full, rel: toPosix(relative(base, full)) });
        }
      }
    };
    walk(abs, 0);
  }
  return { files, problems };
}

type ReadOutcome = { readonly source: SourceFile } | { readonly problem: InputProblem } | { readonly skip: true };

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Not following a link (the walk never does): a file replaced by one since it was listed is refused.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0);

function readSource(f: { abs: string; rel: string }, limits: WalkLimits, explicit: boolean): ReadOutcome {
  try {
    const fd = openSync(f.abs, OPEN_FLAGS);
    let buf: Buffer;
    try {
      const size = fstatSync(fd).size;
      if (size > limits.maxFileBytes) {
        return { problem: { path: f.rel, reason: `file is ${size} bytes, over the ${limits.maxFileBytes}-byte limit; not scanned` } };
      }
      buf = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
    let text: string;
    try {
      text = utf8.decode(buf);
    } catch {
      if (explicit || inputFor(f.rel, buf.subarray(0, 8192).toString('latin1')) !== undefined) return { problem: { path: f.rel, reason: 'not valid UTF-8' } };
      return { skip: true };
    }
    if (explicit && inputFor(f.rel, text.slice(0, 8192)) === undefined) {
      return {
        problem: { path: f.rel, reason: 'not a recognised IaC file (Kubernetes manifest, Terraform, Terraform plan JSON, CloudFormation template or Dockerfile)' },
      };
    }
    return { source: { path: f.rel, text } };
  } catch (err) {
    return { problem: { path: f.rel, reason: `could not be read: ${(err as Error).message}` } };
  }
}

async function readRuleDirs(dirs: readonly string[]): Promise<{ rules: Rule[]; problems: InputProblem[] }> {
  const files: { path: string; text: string }[] = [];
  for (const dir of dirs) {
    const st = await lstat(dir).catch(() => undefined);
    if (st === undefined) throw new PostureUsageError(`--rules ${dir}: no such file or directory`);
    const names = st.isDirectory() ? (await readdir(dir)).filter((n) => /\.ya?ml$/i.test(n)).sort().map((n) => join(dir, n)) : [dir];
    for (const n of names) files.push({ path: n, text: await readFile(n, 'utf8') });
  }
  return loadCustomRules(files);
}

/**
 * The built-in rules plus the custom rules of `rulesDirs` (folders of YAML rule files, or
 * files); a custom rule that cannot be loaded or reuses a built-in id is a usage error.
 */
export async function loadRules(rulesDirs?: readonly string[]): Promise<Rule[]> {
  const custom = rulesDirs && rulesDirs.length > 0 ? await readRuleDirs(rulesDirs) : { rules: [], problems: [] };
  if (custom.problems.length > 0) {
    throw new PostureUsageError(`custom rules could not be loaded:\n${custom.problems.map((p) => `  ${p.path}${p.line ? `:${p.line}` : ''}: ${p.reason}`).join('\n')}`);
  }
  const clash = custom.rules.find((r) => BUILTIN_RULES.some((b) => b.id === r.id));
  if (clash) throw new PostureUsageError(`custom rule ${clash.id} has the id of a built-in rule`);
  return [...BUILTIN_RULES, ...custom.rules];
}

export async function scanPosture(paths: readonly string[], options: PostureScanOptions = {}): Promise<PostureReport> {
  if (paths.length === 0) throw new PostureUsageError('no path to scan');
  const limits = options.limits ?? DEFAULT_LIMITS;
  const rules = await loadRules(options.rulesDirs);
  let fileSuppressions: FileSuppression[] = [];
  const supPath =
    options.suppressionFile ?? (paths.length === 1 ? join(resolve(paths[0]!), DEFAULT_SUPPRESSION_FILE) : join(process.cwd(), DEFAULT_SUPPRESSION_FILE));
  const supText = await readFile(supPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (options.suppressionFile !== undefined || err.code !== 'ENOENT') {
      if (err.code === 'ENOTDIR' && options.suppressionFile === undefined) return undefined;
      throw new PostureUsageError(`suppression file ${supPath}: ${err.message}`);
    }
    return undefined;
  });
  if (supText !== undefined) {
    const r = parseSuppressionFile(options.suppressionFile ?? DEFAULT_SUPPRESSION_FILE, supText);
    if (!r.ok) throw new PostureUsageError(`suppression file: ${r.reason}`);
    fileSuppressions = r.suppressions;
  }

  const { files, problems } = collect(paths, limits);
  const sources: SourceFile[] = [];
  const explicit = new Set(paths.map((p) => resolve(p)));
  let done = 0;
  for (const f of files) {
    const o = readSource(f, limits, explicit.has(f.abs));
    if ('source' in o) sources.push(o.source);
    else if ('problem' in o) problems.push(o.problem);
    options.onProgress?.(++done, files.length);
  }
  const a = await analyse(sources, rules, {
    fileSuppressions,
    ...(options.now ? { now: options.now } : {}),
    ...(options.framework ? { framework: options.framework } : {}),
    ...(options.severities ? { severities: options.severities } : {}),
  });
  const ran = selectRules(rules, options);
  return {
    target: paths.join(' '),
    files: sources.length - a.unrecognised.length,
    resources: a.resources.length,
    findings: a.findings,
    errors: [...problems, ...a.problems],
    rules: ran,
  };
}
