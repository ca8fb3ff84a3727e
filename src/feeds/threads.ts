import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type TransferListItem } from 'node:worker_threads';
import type { WorkerInput } from './ingestWorker.js';
import type { ReadWorkerInput } from './readWorker.js';

/** Node options that run code before a thread's entry point: a preload (`--import`, `--require`) or module hooks (`--loader`). */
const PRELOADS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The Node options an import worker starts with: the process's own (a worker inherits them by
 * default) without preloads and loaders. The workers only read and parse feed files; what was
 * preloaded for the process (an APM agent, `--import tsx`) would cost every worker its start-up
 * and, for a loader, a hooks thread of its own, each time an import starts. A worker started
 * from the TypeScript source registers tsx itself (startWorker).
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
 * time: scripts/bundle-workers.mjs, part of `npm run build`) when there is one, else its module.
 */
function compiledEntry(name: string): URL {
  const bundle = new URL(`./${name}.bundle.js`, import.meta.url);
  return existsSync(fileURLToPath(bundle)) ? bundle : new URL(`./${name}.js`, import.meta.url);
}

/**
 * Starts one of the import's workers: the compiled one, or from the TypeScript source (tests,
 * `npm run vigil`) through tsx.
 */
export function startWorker(name: 'ingestWorker' | 'readWorker', data: WorkerInput | ReadWorkerInput, transferList: TransferListItem[]): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const execArgv = workerExecArgv(process.execArgv);
  if (!fromSource) return new Worker(compiledEntry(name), { workerData: data, transferList, execArgv });
  const entry = new URL(`./${name}.ts`, import.meta.url);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data, transferList, execArgv });
}
