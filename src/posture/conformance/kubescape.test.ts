/**
 * Kubescape regolibrary agreement: for every Kubescape rule mapped to Vigil rules
 * (src/posture/mappings/kubescape.json), the mapped rules run over each of its test cases in
 * ../shared/data/k8s/kubescape-regolibrary/rules/<rule>/test/<case> fail exactly the objects
 * the case's expected.json alerts on (an alert naming several objects, such as a binding and
 * its role, is matched by any of them) and no other object.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import mapping from '../mappings/kubescape.json' with { type: 'json' };
import { findingsFor, readTree, rulesById } from './corpus.js';

interface Mapping {
  readonly kubescape: string;
  readonly rules: readonly string[];
}
interface Alert {
  readonly alertObject?: { readonly k8sApiObjects?: readonly { readonly kind?: string; readonly metadata?: { readonly name?: string } }[] };
}

const root = sharedData('k8s', 'kubescape-regolibrary', 'rules');

/** The manifests of a test case: its input folder, or the case folder itself. */
function caseFiles(dir: string): { path: string; text: string }[] {
  const input = join(dir, 'input');
  const files = existsSync(input) && statSync(input).isDirectory() ? readTree(input) : readTree(dir);
  return files.filter((f) => /\.(ya?ml|json)$/i.test(f.path) && !/^expected.*\.json$/.test(f.path) && f.path !== 'data.json');
}

test('Kubescape regolibrary: mapped rules fail the same objects', { skip: root === undefined ? skipMessage('k8s/kubescape-regolibrary') : false }, async (t) => {
  const maps = (mapping as { mappings: Mapping[] }).mappings;
  const total = readdirSync(root!).filter((d) => existsSync(join(root!, d, 'test'))).length;
  const disagreements: string[] = [];
  let agreeing = 0;
  let cases = 0;
  for (const m of maps) {
    const { rules, missing } = rulesById(m.rules);
    assert.deepEqual(missing, [], `Kubescape ${m.kubescape}: unknown rules`);
    const testDir = join(root!, m.kubescape, 'test');
    assert.ok(existsSync(testDir), `mapped Kubescape rule ${m.kubescape} has no tests in the shared data`);
    const problems: string[] = [];
    for (const c of readdirSync(testDir).sort()) {
      const dir = join(testDir, c);
      if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'expected.json'))) continue;
      cases++;
      const alerts = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Alert[];
      const wanted = alerts.map((a) => (a.alertObject?.k8sApiObjects ?? []).map((o) => `${o.kind}/${o.metadata?.name ?? ''}`));
      const { findings, problems: parseProblems } = await findingsFor(caseFiles(dir), rules);
      const failing = new Set(findings.map((f) => `${f.resource.kind.replace(/^k8s:/, '')}/${f.resource.name}`));
      const unmatchedAlerts = wanted.filter((objs) => !objs.some((o) => failing.has(o)));
      const extra = [...failing].filter((id) => !wanted.some((objs) => objs.includes(id)));
      if (unmatchedAlerts.length > 0 || extra.length > 0) {
        problems.push(`${c}: missed [${unmatchedAlerts.map((o) => o.join('|')).join(', ')}], extra [${extra.join(', ')}]${parseProblems.length ? ` (input problems: ${parseProblems.join('; ')})` : ''}`);
      }
    }
    if (problems.length === 0) agreeing++;
    else disagreements.push(`${m.kubescape} → ${m.rules.join(',')}:\n    ${problems.join('\n    ')}`);
  }
  t.diagnostic(`Kubescape coverage: ${maps.length}/${total} rules mapped (${cases} test cases)`);
  t.diagnostic(`Kubescape agreement: ${agreeing}/${maps.length} mapped rules`);
  if (disagreements.length > 0) t.diagnostic(`Kubescape disagreements:\n  ${disagreements.join('\n  ')}`);
  assert.ok(maps.length === 0 || agreeing / maps.length >= 0.99, `agreement below 99 %: ${agreeing}/${maps.length}`);
});
