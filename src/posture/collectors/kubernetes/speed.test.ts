/**
 * The offline path within issue 7's budget for a cluster (5,000 resources: < 5 s, < 512 MB):
 * a generated `kubectl get -A -o json`-style dump read, adapted and assessed by every rule.
 * The bounds hold on a loaded machine; the benchmark (npm run bench:cloud) gives the figures.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evaluate } from '../../engine.js';
import { BUILTIN_RULES } from '../../rules/registry.js';
import { collectKubernetes } from './index.js';
import { syntheticCluster } from './__fixtures__/synthetic.js';

test('a 5,000-object dump: read, adapted and assessed in < 5 s and < 512 MB', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-speed-'));
  const file = join(dir, 'cluster.json');
  const dump = syntheticCluster(5000);
  writeFileSync(file, JSON.stringify(dump, null, 4));
  const objects = dump.items.length;
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const r = await collectKubernetes({ snapshot: file });
  const t1 = performance.now();
  const findings = evaluate(r.resources, BUILTIN_RULES);
  const t2 = performance.now();
  const rssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  t.diagnostic(`${objects} objects: collect ${Math.round(t1 - t0)} ms, rules ${Math.round(t2 - t1)} ms, ${r.resources.length} resources (+${r.children.length} children), ${findings.length} findings, peak RSS ${rssMb} MB (${Math.round(before / 1048576)} MB before)`);
  assert.deepEqual(r.gaps, []);
  assert.equal(r.resources.length + r.children.length, objects);
  assert.ok(t2 - t0 < 5000, `${Math.round(t2 - t0)} ms`);
  assert.ok(rssMb < 512, `${rssMb} MB`);
  // Children are the ReplicaSets and Pods of the Deployments: two Pods and one ReplicaSet per app.
  assert.equal(r.children.length, Math.floor((objects - r.target.nodeCount!) / 8) * 3);
  assert.equal(r.target.platform, 'eks');
});
