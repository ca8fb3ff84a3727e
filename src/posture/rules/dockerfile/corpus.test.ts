/**
 * The Dockerfile rules over the shared KICS Dockerfile test files (read by path, never copied):
 * no rule fails with an error on any of them, and every KICS query mapped to Dockerfile rules
 * in src/posture/mappings/kics.json agrees with KICS's expected results. KICS leaves out
 * `fileName` in the expected results of queries with a single positive file (or means "any
 * positive file"), so those expectations are compared with the findings of all positive files
 * together, as KICS's own test harness does.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { analyse } from '../../analyse.js';
import mapping from '../../mappings/kics.json' with { type: 'json' };
import { dockerfileRules } from './index.js';

interface Query {
  readonly path: string;
  readonly id: string;
  readonly test_files: readonly string[];
}
interface Expected {
  readonly line: number;
  readonly fileName?: string;
}

const ROOT = sharedData('kics');
const RULES = new Map(dockerfileRules.map((r) => [r.id, r]));
const sorted = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);

test('Dockerfile rules over the KICS Dockerfile corpus', { skip: ROOT === undefined ? skipMessage('kics') : false }, async (t) => {
  const index = JSON.parse(readFileSync(join(ROOT!, 'index.json'), 'utf8')) as { queries: Query[] };
  const queries = index.queries.filter((q) => q.path.startsWith('dockerfile/'));
  const mapped = new Map((mapping as { mappings: { kics: string; rules: string[] }[] }).mappings.map((m) => [m.kics, m.rules]));
  const perRule = new Map<string, number>();
  const disagreements: string[] = [];
  let files = 0;
  let agreeing = 0;
  let checked = 0;
  const start = performance.now();
  for (const q of queries) {
    const dir = join(ROOT!, q.path, 'test');
    const expected = JSON.parse(readFileSync(join(dir, 'positive_expected_result.json'), 'utf8')) as Expected[];
    const ids = mapped.get(q.id)?.filter((id) => RULES.has(id));
    const problems: string[] = [];
    const pooled: number[] = [];
    for (const f of q.test_files) {
      const name = f.slice('test/'.length);
      if (!/^(positive|negative)/.test(name) || name.endsWith('.json') || !existsSync(join(dir, name))) continue;
      files++;
      const a = await analyse([{ path: name, text: readFileSync(join(dir, name), 'utf8') }], dockerfileRules);
      const errors = a.findings.filter((x) => x.message.startsWith('rule error'));
      assert.deepEqual(errors.map((x) => `${x.ruleId}: ${x.message}`), [], `${q.path}/${name}`);
      for (const x of a.findings) perRule.set(x.ruleId, (perRule.get(x.ruleId) ?? 0) + 1);
      if (ids === undefined || ids.length === 0) continue;
      const got = sorted([...new Set(a.findings.filter((x) => ids.includes(x.ruleId) && x.status === 'fail').map((x) => x.location.line))]);
      if (name.startsWith('negative')) {
        if (got.length > 0) problems.push(`${name}: expected no finding, got lines [${got.join(',')}]`);
      } else if (expected.some((e) => e.fileName === undefined)) {
        pooled.push(...got);
      } else {
        const want = sorted([...new Set(expected.filter((e) => e.fileName === name).map((e) => e.line))]);
        if (want.join() !== got.join()) problems.push(`${name}: expected lines [${want.join(',')}], got [${got.join(',')}]`);
      }
    }
    if (ids === undefined || ids.length === 0) continue;
    checked++;
    const unnamed = sorted(expected.filter((e) => e.fileName === undefined).map((e) => e.line));
    if (unnamed.length > 0 && unnamed.join() !== sorted(pooled).join()) problems.push(`positive files: expected lines [${unnamed.join(',')}], got [${sorted(pooled).join(',')}]`);
    if (problems.length === 0) agreeing++;
    else disagreements.push(`${q.path} → ${ids.join(',')}: ${problems.join('; ')}`);
  }
  t.diagnostic(`${files} files, ${Math.round(performance.now() - start)} ms; findings per rule: ${[...perRule].sort().map(([id, n]) => `${id.slice(-3)}=${n}`).join(' ')}`);
  t.diagnostic(`KICS Dockerfile queries mapped: ${checked}/${queries.length}; agreeing: ${agreeing}/${checked}`);
  assert.deepEqual(disagreements, []);
});
