import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { runCaptured } from '../helpers/cli.js';

/**
 * `vigil posture scan`: exit codes 0 / 1 / 2, the JSON contract, SARIF 2.1.0 (validated),
 * custom CEL rules, inline and file suppressions, unreadable files. Custom rules keep the
 * assertions exact whatever the built-in catalogue holds; one check runs the built-in rules.
 */

const Ajv04 = Ajv04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<typeof Ajv04>) => unknown;

let dir: string;
let repo: string;
let rules: string;

const deployment = (name: string, replicas: number, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: prod
spec:
  replicas: ${replicas}${extra}
  template:
    spec:
      containers:
        - name: app
          image: nginx:1.27
`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-posture-'));
  repo = join(dir, 'repo');
  rules = join(dir, 'rules');
  await mkdir(join(repo, 'k8s'), { recursive: true });
  await mkdir(join(repo, 'node_modules', 'x'), { recursive: true });
  await mkdir(rules);
  await writeFile(join(repo, 'k8s', 'web.yaml'), `${deployment('web', 1)}---\n# vigil:ignore=ACME-K8S-001 batch worker, one replica is fine\n${deployment('worker', 1)}---\n${deployment('api', 3)}`);
  await writeFile(join(repo, 'k8s', 'legacy.yaml'), deployment('legacy', 1));
  await writeFile(join(repo, 'node_modules', 'x', 'skip.yaml'), deployment('skipped', 1));
  await writeFile(join(repo, 'README.md'), '# not IaC\n');
  await writeFile(
    join(rules, 'replicas.yaml'),
    `id: ACME-K8S-001
title: Production deployments run at least two replicas
severity: high
kinds: [k8s:Deployment]
when: target.namespace == "prod"
expression: has(resource.spec.replicas) && resource.spec.replicas >= 2
path: [spec, replicas]
remediation: Set spec.replicas to 2 or more.
frameworks: [{framework: soc2, control: A1.2}]
`,
  );
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface JsonOut {
  findings: { ruleId: string; severity: string; status: string; title: string; resource: { kind: string; id: string; name: string; namespace: string | null }; location: { file: string; line: number }; frameworks: { framework: string; control: string }[]; remediation: string; suppression: { reason: string } | null }[];
  errors: { path: string; reason: string }[];
}

const ours = (doc: JsonOut) => doc.findings.filter((f) => f.ruleId === 'ACME-K8S-001');

test('JSON contract, custom rule, inline suppression, skipped folders; exit 0 without a gate', async () => {
  const r = await runCaptured(['posture', 'scan', repo, '--rules', rules, '--format', 'json', '-q']);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as JsonOut;
  assert.deepEqual(doc.errors, []);
  const found = ours(doc).map((f) => [f.resource.id, f.status, f.location.file, f.location.line]);
  assert.deepEqual(found.sort(), [
    ['Deployment/prod/legacy', 'fail', 'k8s/legacy.yaml', 7],
    ['Deployment/prod/web', 'fail', 'k8s/web.yaml', 7],
    ['Deployment/prod/worker', 'suppressed', 'k8s/web.yaml', 21],
  ]);
  const f = ours(doc).find((x) => x.resource.name === 'web')!;
  assert.equal(f.severity, 'high');
  assert.equal(f.title, 'Production deployments run at least two replicas');
  assert.deepEqual(f.frameworks, [{ framework: 'soc2', control: 'A1.2' }]);
  assert.equal(f.remediation, 'Set spec.replicas to 2 or more.');
  assert.equal(f.resource.kind, 'k8s:Deployment');
  assert.equal(f.resource.namespace, 'prod');
  assert.match(ours(doc).find((x) => x.status === 'suppressed')!.suppression!.reason, /batch worker/);
});

test('--fail-on: exit 1 on an unsuppressed failure at or above the level, 0 below it', async () => {
  const high = await runCaptured(['posture', 'scan', repo, '--rules', rules, '--fail-on', 'high', '-q', '--framework', 'soc2']);
  assert.equal(high.code, 1, high.err);
  assert.match(high.out, /ACME-K8S-001/);
  const only = await runCaptured(['posture', 'scan', join(repo, 'k8s', 'web.yaml'), '--rules', rules, '--fail-on', 'critical', '-q', '--framework', 'soc2']);
  assert.equal(only.code, 0, only.err);
});

test('suppression file: a valid entry suppresses, an expired one does not', async () => {
  const sup = join(dir, 'sup.yaml');
  await writeFile(
    sup,
    `suppressions:
  - rule: ACME-K8S-001
    resource: "Deployment/prod/leg*"
    reason: being retired
    expires: 2999-01-01
  - rule: ACME-K8S-001
    file: "k8s/web.yaml"
    reason: expired long ago
    expires: 2001-01-01
`,
  );
  const r = await runCaptured(['posture', 'scan', repo, '--rules', rules, '--suppressions', sup, '--format', 'json', '-q', '--fail-on', 'high', '--framework', 'soc2']);
  const doc = JSON.parse(r.out) as JsonOut;
  const by = new Map(ours(doc).map((f) => [f.resource.name, f]));
  assert.equal(by.get('legacy')!.status, 'suppressed');
  assert.equal(by.get('legacy')!.suppression!.reason, 'being retired');
  assert.equal(by.get('web')!.status, 'fail');
  assert.equal(r.code, 1);
  await writeFile(sup, 'suppressions:\n  - rule: ACME-K8S-001\n');
  const bad = await runCaptured(['posture', 'scan', repo, '--rules', rules, '--suppressions', sup, '-q']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /reason/);
});

test('SARIF 2.1.0 validates, carries the rule catalogue and relative locations', async () => {
  const r = await runCaptured(['posture', 'scan', repo, '--rules', rules, '--format', 'sarif', '-q']);
  assert.equal(r.code, 0, r.err);
  const log = JSON.parse(r.out) as { runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]; suppressions?: unknown[] }[] }[] };
  const require = createRequire(import.meta.url);
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object);
  assert.equal(validate(log), true, JSON.stringify(validate.errors?.slice(0, 3)));
  const run = log.runs[0]!;
  assert.ok(run.tool.driver.rules.some((x) => x.id === 'ACME-K8S-001'));
  const results = run.results.filter((x) => x.ruleId === 'ACME-K8S-001');
  assert.equal(results.length, 3);
  const web = results.find((x) => x.locations[0]!.physicalLocation.region.startLine === 7 && x.locations[0]!.physicalLocation.artifactLocation.uri === 'k8s/web.yaml');
  assert.ok(web);
  assert.equal(results.filter((x) => x.suppressions !== undefined).length, 1);
});

test('a file that cannot be parsed: reported, exit 2; --allow-partial accepts it', async () => {
  const broken = join(dir, 'broken');
  await mkdir(broken);
  await writeFile(join(broken, 'bad.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: [unclosed\n');
  await writeFile(join(broken, 'good.yaml'), deployment('ok', 1));
  const r = await runCaptured(['posture', 'scan', broken, '--rules', rules, '--format', 'json', '-q']);
  assert.equal(r.code, 2);
  const doc = JSON.parse(r.out) as JsonOut;
  assert.equal(doc.errors.length, 1);
  assert.equal(doc.errors[0]!.path, 'bad.yaml');
  assert.equal(ours(doc).length, 1, 'the good file is still scanned');
  assert.match(r.err, /bad\.yaml:\d+/);
  const partial = await runCaptured(['posture', 'scan', broken, '--rules', rules, '-q', '--allow-partial']);
  assert.equal(partial.code, 0);
  const notIac = await runCaptured(['posture', 'scan', join(repo, 'README.md'), '-q']);
  assert.equal(notIac.code, 2);
  assert.match(notIac.out + notIac.err, /not a recognised IaC file/);
});

test('usage errors: bad format, framework, path, custom rule', async () => {
  assert.equal((await runCaptured(['posture', 'scan', repo, '--format', 'xml'])).code, 2);
  assert.equal((await runCaptured(['posture', 'scan', repo, '--framework', 'nope'])).code, 2);
  assert.equal((await runCaptured(['posture', 'scan', join(dir, 'missing')])).code, 2);
  const badRules = join(dir, 'bad-rules');
  await mkdir(badRules);
  await writeFile(join(badRules, 'x.yaml'), 'id: ACME-X-001\ntitle: ttt\nseverity: low\nkinds: [k8s:Pod]\nexpression: resource.((\nremediation: fix it\n');
  const r = await runCaptured(['posture', 'scan', repo, '--rules', badRules]);
  assert.equal(r.code, 2);
  assert.match(r.err, /x\.yaml:5: expression is not valid CEL/);
});

test('the built-in rules run: vigil posture rules lists them and a privileged pod fails', async () => {
  const list = await runCaptured(['posture', 'rules', '--json']);
  assert.equal(list.code, 0);
  const catalogue = JSON.parse(list.out) as { id: string }[];
  const pod = join(dir, 'pod.yaml');
  await writeFile(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostNetwork: true\n  containers:\n    - name: a\n      image: nginx:latest\n      securityContext:\n        privileged: true\n');
  const r = await runCaptured(['posture', 'scan', pod, '--format', 'json', '-q', '--fail-on', 'high']);
  const doc = JSON.parse(r.out) as JsonOut;
  if (catalogue.some((x) => x.id.startsWith('VGL-K8S-'))) {
    assert.equal(r.code, 1);
    assert.ok(doc.findings.some((f) => f.ruleId.startsWith('VGL-K8S-') && f.location.line === 10 && f.status === 'fail'), 'privileged: true is flagged at its line');
    assert.ok(doc.findings.some((f) => f.location.line === 5), 'hostNetwork is flagged at its line');
  }
});

test('--snapshot of a kubectl dump runs the Kubernetes rules on the cluster; a gap is an error unless --allow-partial', async () => {
  const dump = join(dir, 'cluster.json');
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'priv', namespace: 'prod' }, spec: { hostNetwork: true, containers: [{ name: 'c', image: 'nginx:1.27', securityContext: { privileged: true } }] } };
  await writeFile(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod] }));
  const r = await runCaptured(['posture', 'scan', '--snapshot', dump, '--format', 'json', '-q']);
  const report = JSON.parse(r.out) as { findings: { ruleId: string; status: string; resource: { id: string }; location: { file: string; line: number } }[]; errors: unknown[] };
  const failed = report.findings.filter((f) => f.status === 'fail' && f.resource.id === 'Pod/prod/priv');
  assert.ok(failed.length >= 2, 'privileged and hostNetwork are flagged on the collected pod');
  assert.ok(failed.every((f) => f.location.line === 0 && f.location.file.includes('Pod/priv')), JSON.stringify(failed[0]?.location));
  assert.deepEqual(report.errors, [], 'a dump of every kind the collector lists has no gaps');
  assert.equal(r.code, 0);

  const broken = join(dir, 'broken.json');
  await writeFile(broken, '{"apiVersion": "v1", "kind": "List", "items": [');
  const bad = await runCaptured(['posture', 'scan', '--snapshot', broken, '--format', 'json', '-q']);
  assert.equal(bad.code, 2, bad.err);
  assert.match(bad.err, /broken\.json/);
  const partial = await runCaptured(['posture', 'scan', '--snapshot', broken, '--format', 'json', '-q', '--allow-partial']);
  assert.equal(partial.code, 0, partial.err);
});

test('collector flags are checked: no target, --snapshot with two providers, AWS flags without --aws', async () => {
  assert.equal((await runCaptured(['posture', 'scan', '-q'])).code, 2);
  const two = await runCaptured(['posture', 'scan', '--snapshot', dir, '--aws', '--azure', '-q']);
  assert.equal(two.code, 2);
  assert.match(two.err, /one provider/);
  const profile = await runCaptured(['posture', 'scan', repo, '--profile', 'x', '-q']);
  assert.equal(profile.code, 2);
  assert.match(profile.err, /need --aws/);
  const mixed = await runCaptured(['posture', 'scan', '--kubeconfig', join(dir, 'none'), '--profile', 'x', '-q']);
  assert.equal(mixed.code, 2, 'an AWS option with another provider never starts an AWS scan');
  assert.match(mixed.err, /need --aws/);
});
