// Bundles each worker thread of an import (dist/feeds/ingestWorker.js and readWorker.js, as tsc
// compiled them) with what it imports into one file, dist/feeds/<name>.bundle.js, which
// src/feeds/threads.ts starts when it is at least as new as the worker's module. A worker starts in a fresh thread on every
// import: loading its 140 modules one by one (Node resolves, reads, links and, for CommonJS,
// lexes each) took about 125 ms and 170 ms of CPU time before it parsed a file; the bundle
// loads in about 60. esbuild only joins the modules tsc compiled: it compiles nothing itself.
import { build } from 'esbuild';

export const WORKERS = ['ingestWorker', 'readWorker'];

/** Bundles the workers found in `fromDir` (compiled JavaScript, or TypeScript sources) into `toDir`. */
export async function bundleWorkers(fromDir, toDir, ext = 'js') {
  await build({
    entryPoints: WORKERS.map((name) => `${fromDir}/${name}.${ext}`),
    outdir: toDir,
    entryNames: '[name].bundle',
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    legalComments: 'eof',
    // CommonJS dependencies inside an ES module bundle still call require (node: built-ins).
    banner: { js: "import { createRequire as __vigilRequire } from 'node:module'; const require = __vigilRequire(import.meta.url);" },
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) await bundleWorkers('dist/feeds', 'dist/feeds');
