/**
 * All Terraform files of a scan → module directories → resources.
 *
 * Files are grouped by directory (a directory is a module). A directory called by a local
 * `module` block (`source = "./…"` / `"../…"`) of another directory is only evaluated through
 * that call, never also as a root, so its resources are not reported twice. Each root gets the
 * variable files Terraform loads by itself (`terraform.tfvars`, `terraform.tfvars.json`,
 * `*.auto.tfvars`, `*.auto.tfvars.json`, in that order) and then the `-var-file`s given.
 */
import type { InputProblem, Resource } from '../../model.js';
import type { Body, Expr, ParsedFile } from './ast.js';
import { Evaluator, Meter, type Namespace } from './eval.js';
import { LIMITS } from './limits.js';
import { isLocalSource, ModuleInstance, resolveSource, type ModuleDef, type ScanContext } from './module.js';
import type { Val } from './value.js';

export function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The rank of an automatically loaded variables file, or undefined when Terraform ignores it. */
export function autoVarsRank(path: string): number | undefined {
  const name = baseName(path);
  if (name === 'terraform.tfvars') return 0;
  if (name === 'terraform.tfvars.json') return 1;
  if (name.endsWith('.auto.tfvars') || name.endsWith('.auto.tfvars.json')) return 2;
  return undefined;
}

function staticString(e: Expr): string | undefined {
  if (e.k === 'lit' && typeof e.v === 'string') return e.v;
  if (e.k === 'tpl' && e.parts.every((p) => p.k === 'str')) return e.parts.map((p) => (p.k === 'str' ? p.s : '')).join('');
  return undefined;
}

/** Local module calls between directories: caller → called directories. */
function callGraph(modules: ReadonlyMap<string, ModuleDef>): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const def of modules.values()) {
    for (const file of def.files) {
      for (const item of file.body) {
        if (item.k !== 'block' || item.type !== 'module') continue;
        const src = item.body.find((x) => x.k === 'attr' && x.name === 'source');
        const s = src?.k === 'attr' ? staticString(src.e) : undefined;
        if (s === undefined || !isLocalSource(s)) continue;
        const dir = resolveSource(def.dir, s);
        if (dir === undefined || dir === def.dir || !modules.has(dir)) continue;
        const set = edges.get(def.dir) ?? new Set<string>();
        set.add(dir);
        edges.set(def.dir, set);
      }
    }
  }
  return edges;
}

const NO_NAMES: Namespace = { prefix: '', modulePath: '.', variable: () => undefined, local: () => undefined };

/** Values of variables files, later files winning. */
function varValues(files: readonly ParsedFile[], meter: Meter, problem: ScanContext['problem']): Map<string, Val> {
  const ev = new Evaluator(NO_NAMES, meter);
  const out = new Map<string, Val>();
  for (const f of files) {
    const body: Body = f.body;
    for (const item of body) {
      if (item.k !== 'attr') continue;
      out.set(item.name, ev.attribute(item.e, { file: f.path }, (r) => problem(f.path, item.line, r)));
    }
  }
  return out;
}

export interface ProjectFiles {
  /** `.tf` and `.tf.json` files. */
  readonly config: readonly ParsedFile[];
  /** Variables files found in the scan (`.tfvars`, `.tfvars.json`). */
  readonly vars: readonly ParsedFile[];
  /** Variables files given by the caller (`-var-file`), applied to every root. */
  readonly varFiles: readonly ParsedFile[];
}

export function evaluateProject(files: ProjectFiles): { resources: Resource[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const seen = new Set<string>();
  const problem = (path: string, line: number | undefined, reason: string): void => {
    const key = `${path}\n${line ?? ''}\n${reason}`;
    if (seen.has(key)) return; // the same problem in every instance of a module is said once
    seen.add(key);
    problems.push({ path, line, reason });
  };
  const modules = new Map<string, ModuleDef>();
  const byDir = new Map<string, ParsedFile[]>();
  for (const f of files.config) {
    const d = dirOf(f.path);
    byDir.set(d, [...(byDir.get(d) ?? []), f]);
  }
  for (const [dir, list] of byDir) modules.set(dir, { dir, files: list });
  const meter = new Meter();
  const scan: ScanContext = {
    meter,
    out: [],
    module: (dir) => modules.get(dir),
    problem,
    remaining: LIMITS.maxResources,
  };
  const edges = callGraph(modules);
  const called = new Set([...edges.values()].flatMap((s) => [...s]));
  const dirs = [...modules.keys()].sort();
  const reached = new Set<string>();
  const reach = (from: readonly string[]): void => {
    const queue = [...from];
    for (const d of from) reached.add(d);
    while (queue.length > 0) {
      for (const next of edges.get(queue.pop()!) ?? []) {
        if (reached.has(next)) continue;
        reached.add(next);
        queue.push(next);
      }
    }
  };
  reach(dirs.filter((d) => !called.has(d)));
  const run = (dir: string): void => {
    const auto = files.vars
      .filter((f) => dirOf(f.path) === dir && autoVarsRank(f.path) !== undefined)
      .sort((a, b) => autoVarsRank(a.path)! - autoVarsRank(b.path)! || (a.path < b.path ? -1 : 1));
    const inputs = varValues([...auto, ...files.varFiles], meter, problem);
    new ModuleInstance(scan, modules.get(dir)!, '', inputs, new Map(), [dir]).build();
  };
  for (const dir of dirs) if (!called.has(dir)) run(dir);
  for (const dir of dirs) {
    if (reached.has(dir)) continue;
    problem(modules.get(dir)!.files[0]!.path, undefined, `module directory "${dir}" is only called from a cycle of modules; read as a root module`);
    reach([dir]);
    run(dir);
  }
  if (meter.exhausted) problems.push({ path: files.config[0]?.path ?? '', reason: 'evaluation step limit for the scan reached; later values are left unresolved' });
  return { resources: scan.out, problems };
}
