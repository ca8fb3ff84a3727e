// Runs the benchmarks and prints `name value unit` lines on stdout.
//   npm run bench                 every benchmark
//   npm run bench -- startup      only the named ones
// Exits 1 when a benchmark misses its target, 2 on an unknown name or a crash.
import { benchCloud } from './cloud.js';
import { benchIngest } from './ingest.js';
import { benchInventory } from './inventory.js';
import { benchMatch } from './match.js';
import { benchPosture } from './posture.js';
import { benchStartup } from './startup.js';
import { benchWeb } from './web.js';
import type { BenchResult } from './types.js';

/** Every benchmark: add one line here. */
const BENCHMARKS: ReadonlyMap<string, () => Promise<BenchResult>> = new Map([
  ['startup', () => benchStartup()],
  ['ingest', () => benchIngest()],
  ['inventory', () => benchInventory()],
  ['match', () => benchMatch()],
  ['posture', () => benchPosture()],
  ['cloud', () => benchCloud()],
  ['web', () => benchWeb()],
]);

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !BENCHMARKS.has(n));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${[...BENCHMARKS.keys()].join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const [name, run] of BENCHMARKS) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  try {
    const res = await run();
    for (const f of res.figures) console.log(`${f.name} ${f.value} ${f.unit}`);
    for (const msg of res.failures) {
      console.error(`bench ${name}: FAILED: ${msg}`);
      failed = true;
    }
  } catch (err) {
    console.error(`bench ${name}: error: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  }
}
process.exit(failed ? 1 : 0);
