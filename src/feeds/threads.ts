import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';
import type { WorkerInput } from './ingestWorker.js';
import type { ReadWorkerInput } from './readWorker.js';

/** Node options that run code before a thread's entry point: a preload (`--import`, `--require`) or module hooks (`--loader`). */
const PRELOADS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The Node options an import worker starts with: the process's own (a worker inherits them by
 * default) without preloads and loaders. The workers only read and parse feed files; what was
 * preloaded for the process (an APM agent, `--import tsx`) would cost every worker its start-up
 * and, for a loader, a hooks thread of its own, each time an import starts. A worker started
 * from the TypeScript source registers tsx itself (startWorker). See spawnWorker for V8 options.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const arg = execArgv[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    if (!PRELOADS.has(name)) out.push(arg);
    else if (name === arg) i++; // `--import x`: skip its value too
  }
  return out;
}

/**
 * The compiled worker: its bundle (one file with everything it imports, which loads in half the
 * time: scripts/bundle-workers.mjs, part of `npm run build`) when there is one at least as new
 * as the worker's module, else the module (a build by `tsc` alone rewrites every module, and a
 * bundle left from before would run the old code).
 */
export function compiledEntry(name: string, dir: URL = new URL('.', import.meta.url)): URL {
  const bundle = new URL(`${name}.bundle.js`, dir);
  const module = new URL(`${name}.js`, dir);
  const mtime = (u: URL) => statSync(fileURLToPath(u), { throwIfNoEntry: false })?.mtimeMs;
  const b = mtime(bundle);
  const m = mtime(module);
  return b !== undefined && (m === undefined || b >= m) ? bundle : module;
}

/**
 * A worker started with workerExecArgv's options. Node refuses V8 options (`--max-old-space-size`
 * …) in a worker's own list: they are process-wide and only ever inherited. When the process has
 * some, the worker inherits every option, as Node's default does, preloads included.
 */
export function spawnWorker(entry: URL | string, options: WorkerOptions, execArgv: readonly string[] = process.execArgv): Worker {
  const own = workerExecArgv(execArgv);
  if (own.length === execArgv.length) return new Worker(entry, options);
  try {
    return new Worker(entry, { ...options, execArgv: own });
  } catch (err) {
    // Thrown before the worker starts and before anything in transferList is transferred.
    if ((err as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw err;
    return new Worker(entry, options);
  }
}

/**
 * Starts one of the import's workers: the compiled one, or from the TypeScript source (tests,
 * `npm run vigil`) through tsx.
 */
export function startWorker(name: 'ingestWorker' | 'readWorker', data: WorkerInput | ReadWorkerInput, transferList: TransferListItem[]): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  if (!fromSource) return spawnWorker(compiledEntry(name), { workerData: data, transferList });
  const entry = new URL(`./${name}.ts`, import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return spawnWorker(boot, { eval: true, workerData: data, transferList });
}
