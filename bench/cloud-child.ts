// The child process of bench/cloud.ts (a fresh process, so its peak RSS is the scan's own):
// one offline collection (a cluster dump or an AWS recording directory) through the collector,
// every built-in rule and the scores, as `vigil posture scan --snapshot` runs it; prints one
// JSON line.
//   node --import tsx bench/cloud-child.ts (kubernetes|aws) PATH
import { analyseCollected } from '../src/posture/collectors/analyse.js';
import { runCollectors } from '../src/posture/collectors/run.js';
import { BUILTIN_RULES } from '../src/posture/rules/registry.js';

const [provider, path] = process.argv.slice(2) as ['kubernetes' | 'aws', string];
const t0 = performance.now();
const results = await runCollectors({ snapshot: path, snapshotProvider: provider });
const t1 = performance.now();
const scans = results.map((r) => analyseCollected(r, BUILTIN_RULES));
const t2 = performance.now();
console.log(
  JSON.stringify({
    resources: results.reduce((n, r) => n + r.resources.length, 0),
    gaps: results.reduce((n, r) => n + r.gaps.length, 0),
    findings: scans.reduce((n, s) => n + s.report.findings.length, 0),
    collectMs: t1 - t0,
    rulesMs: t2 - t1,
    totalMs: t2 - t0,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
