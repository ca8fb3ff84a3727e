/**
 * KICS agreement: for every KICS query mapped to Vigil rules (src/posture/mappings/kics.json),
 * the mapped rules flag every positive test file at exactly the lines KICS expects and do not
 * flag its negative files. Prints coverage (queries mapped) and agreement.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import mapping from '../mappings/kics.json' with { type: 'json' };
import { findingsFor, rulesById } from './corpus.js';

interface KicsQuery {
  readonly path: string;
  readonly id: string;
  readonly queryName: string;
  readonly test_files: readonly string[];
}
interface Expected {
  readonly line: number;
  readonly fileName?: string;
  /** A few KICS result files spell it in lower case. */
  readonly filename?: string;
}
interface Mapping {
  readonly kics: string;
  readonly rules: readonly string[];
  readonly note?: string;
}

const root = sharedData('kics');

test('KICS queries: mapped rules agree with the expected results', { skip: root === undefined ? skipMessage('kics') : false }, async (t) => {
  const index = JSON.parse(readFileSync(join(root!, 'index.json'), 'utf8')) as { queries: KicsQuery[] };
  const byId = new Map(index.queries.map((q) => [q.id, q]));
  const maps = (mapping as { mappings: Mapping[] }).mappings;
  const disagreements: string[] = [];
  let agreeing = 0;
  const seen = new Set<string>();
  for (const m of maps) {
    assert.ok(!seen.has(m.kics), `KICS query ${m.kics} mapped twice`);
    seen.add(m.kics);
    const q = byId.get(m.kics);
    assert.ok(q !== undefined, `mapped KICS query ${m.kics} is not in the shared index`);
    const { rules, missing } = rulesById(m.rules);
    assert.deepEqual(missing, [], `KICS ${q.path}: unknown rules`);
    const dir = join(root!, q.path);
    const expected = (JSON.parse(readFileSync(join(dir, 'test', 'positive_expected_result.json'), 'utf8')) as Expected[]).map((e) => ({ ...e, fileName: e.fileName ?? e.filename }));
    const problems: string[] = [];
    // KICS leaves `fileName` out when a query has a single positive file, and its own harness
    // then compares those lines with the positive files taken together: so do we.
    const named = new Set(expected.flatMap((e) => (e.fileName !== undefined ? [e.fileName] : [])));
    const unnamedWant = [...new Set(expected.filter((e) => e.fileName === undefined).map((e) => e.line))].sort((a, b) => a - b);
    const unnamedGot = new Set<number>();
    const sorted = (s: Iterable<number>) => [...new Set(s)].sort((a, b) => a - b);
    for (const f of q.test_files) {
      const name = f.slice('test/'.length);
      if (!/^(positive|negative)/.test(name) || name === 'positive_expected_result.json') continue;
      const p = join(dir, f);
      if (!existsSync(p)) continue;
      const { findings, problems: parseProblems } = await findingsFor([{ path: name, text: readFileSync(p, 'utf8') }], rules);
      const got = sorted(findings.map((x) => x.location.line));
      const note = parseProblems.length ? ` (input problems: ${parseProblems.join('; ')})` : '';
      if (name.startsWith('positive') && !named.has(name) && unnamedWant.length > 0) {
        for (const l of got) unnamedGot.add(l);
        if (got.length === 0) problems.push(`${name}: expected findings, got none${note}`);
        continue;
      }
      const want = name.startsWith('positive') ? sorted(expected.filter((e) => e.fileName === name).map((e) => e.line)) : [];
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${name}: expected lines [${want.join(',')}], got [${got.join(',')}]${note}`);
    }
    if (unnamedWant.length > 0 && JSON.stringify(sorted(unnamedGot)) !== JSON.stringify(unnamedWant)) {
      problems.push(`positive files together: expected lines [${unnamedWant.join(',')}], got [${sorted(unnamedGot).join(',')}]`);
    }
    if (problems.length === 0) agreeing++;
    else disagreements.push(`${q.path} → ${m.rules.join(',')}:\n    ${problems.join('\n    ')}`);
  }
  const total = index.queries.length;
  t.diagnostic(`KICS coverage: ${maps.length}/${total} queries mapped (${((100 * maps.length) / total).toFixed(1)} %)`);
  t.diagnostic(`KICS agreement: ${agreeing}/${maps.length} mapped queries (${maps.length ? ((100 * agreeing) / maps.length).toFixed(1) : '—'} %)`);
  if (disagreements.length > 0) t.diagnostic(`KICS disagreements:\n  ${disagreements.join('\n  ')}`);
  assert.ok(maps.length === 0 || agreeing / maps.length >= 0.99, `agreement below 99 %: ${agreeing}/${maps.length}`);
});
