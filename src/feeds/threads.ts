import { Worker, type TransferListItem } from 'node:worker_threads';
import type { WorkerInput } from './ingestWorker.js';
import type { ReadWorkerInput } from './readWorker.js';

/**
 * Starts one of the import's workers: the compiled file, or from the TypeScript source (tests,
 * `npm run vigil`) through tsx.
 */
export function startWorker(name: 'ingestWorker' | 'readWorker', data: WorkerInput | ReadWorkerInput, transferList: TransferListItem[]): Worker {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = new URL(`./${name}.${fromSource ? 'ts' : 'js'}`, import.meta.url);
  if (!fromSource) return new Worker(entry, { workerData: data, transferList });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { eval: true, workerData: data, transferList });
}
