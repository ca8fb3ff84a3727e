/**
 * Checkov agreement: for every Checkov check mapped to Vigil rules (src/posture/mappings/
 * checkov.json), the mapped rules run over each fixture folder of that check fail exactly the
 * resources Checkov fails (ids compared in Checkov's form) and none it passes.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import mapping from '../mappings/checkov.json' with { type: 'json' };
import type { PostureFinding } from '../model.js';
import { findingsFor, readTree, rulesById } from './corpus.js';

interface Fixture {
  readonly dir: string;
  readonly check_id: string;
}
interface Expected {
  readonly failed?: number;
  readonly passing_resources?: readonly string[];
  readonly failing_resources?: readonly string[];
}
interface Mapping {
  readonly checkov: string;
  readonly rules: readonly string[];
}

/** A Vigil resource id in Checkov's notation. */
export function checkovId(f: PostureFinding): string {
  const r = f.resource;
  if (r.kind.startsWith('k8s:')) return `${r.kind.slice(4)}.${r.namespace ?? 'default'}.${r.name}`;
  if (r.kind.startsWith('cfn:')) return `${r.kind.slice(4)}.${r.id}`;
  return r.id.replace(/^module\.[^.]+\./, '');
}

const root = sharedData('checkov');

test('Checkov fixtures: mapped rules fail the same resources', { skip: root === undefined ? skipMessage('checkov') : false }, async (t) => {
  const index = JSON.parse(readFileSync(join(root!, 'index.json'), 'utf8')) as { fixtures: Fixture[] };
  const maps = (mapping as { mappings: Mapping[] }).mappings;
  const disagreements: string[] = [];
  let agreeing = 0;
  const checks = new Set(index.fixtures.map((f) => f.check_id));
  for (const m of maps) {
    const dirs = index.fixtures.filter((f) => f.check_id === m.checkov);
    assert.ok(dirs.length > 0, `mapped Checkov check ${m.checkov} has no fixture in the shared data`);
    const { rules, missing } = rulesById(m.rules);
    assert.deepEqual(missing, [], `Checkov ${m.checkov}: unknown rules`);
    const problems: string[] = [];
    for (const fx of dirs) {
      const dir = join(root!, fx.dir);
      const files = readTree(dir).filter((f) => !f.path.endsWith('checkov_fixture.json') && f.path !== 'expected.yaml');
      const { findings, problems: parseProblems } = await findingsFor(files, rules);
      const failing = [...new Set(findings.map(checkovId))].sort();
      let expected: Expected;
      if (existsSync(join(dir, 'expected.yaml'))) {
        const y = parseYaml(readFileSync(join(dir, 'expected.yaml'), 'utf8')) as { pass?: string[]; fail?: string[] };
        expected = { failing_resources: y.fail ?? [], passing_resources: y.pass ?? [] };
      } else {
        expected = (JSON.parse(readFileSync(join(dir, 'checkov_fixture.json'), 'utf8')) as { expected: Expected }).expected;
      }
      const errs: string[] = [];
      if (expected.failing_resources !== undefined) {
        const want = [...new Set(expected.failing_resources)].sort();
        if (JSON.stringify(want) !== JSON.stringify(failing)) errs.push(`failing expected [${want.join(', ')}], got [${failing.join(', ')}]`);
      } else if (expected.failed !== undefined && expected.failed !== failing.length) {
        errs.push(`expected ${expected.failed} failing resources, got ${failing.length} [${failing.join(', ')}]`);
      }
      const wrongly = (expected.passing_resources ?? []).filter((id) => failing.includes(id));
      if (wrongly.length > 0) errs.push(`passing resources flagged: ${wrongly.join(', ')}`);
      if (errs.length > 0) problems.push(`${fx.dir}: ${errs.join('; ')}${parseProblems.length ? ` (input problems: ${parseProblems.join('; ')})` : ''}`);
    }
    if (problems.length === 0) agreeing++;
    else disagreements.push(`${m.checkov} → ${m.rules.join(',')}:\n    ${problems.join('\n    ')}`);
  }
  t.diagnostic(`Checkov coverage: ${maps.length}/${checks.size} checks mapped (${((100 * maps.length) / checks.size).toFixed(1)} %)`);
  t.diagnostic(`Checkov agreement: ${agreeing}/${maps.length} mapped checks (${maps.length ? ((100 * agreeing) / maps.length).toFixed(1) : '—'} %)`);
  if (disagreements.length > 0) t.diagnostic(`Checkov disagreements:\n  ${disagreements.join('\n  ')}`);
  assert.ok(maps.length === 0 || agreeing / maps.length >= 0.99, `agreement below 99 %: ${agreeing}/${maps.length}`);
});
