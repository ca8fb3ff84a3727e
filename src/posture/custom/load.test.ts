import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyse } from '../analyse.js';
import { loadCustomRules } from './load.js';

const replicas = `id: ACME-K8S-001
title: Deployments run at least two replicas
severity: medium
kinds: [k8s:Deployment]
when: target.namespace == "prod"
expression: has(resource.spec.replicas) && resource.spec.replicas >= 2
path: [spec, replicas]
remediation: Set spec.replicas to 2 or more.
frameworks: [{framework: soc2, control: A1.2}]
`;

const deployment = (ns: string, n: number) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  replicas: ${n}
  template:
    spec:
      containers: [{name: a, image: nginx:1.27}]
`;

test('a CEL rule loads and fails, passes and skips as its expression and precondition say', async () => {
  const { rules, problems } = loadCustomRules([{ path: 'rules/replicas.yaml', text: replicas }]);
  assert.deepEqual(problems, []);
  assert.equal(rules.length, 1);
  const rule = rules[0]!;
  assert.equal(rule.id, 'ACME-K8S-001');
  assert.equal(rule.platform, 'kubernetes');
  const bad = await analyse([{ path: 'd.yaml', text: deployment('prod', 1) }], rules);
  assert.deepEqual(bad.findings.map((f) => [f.ruleId, f.status, f.location.line]), [['ACME-K8S-001', 'fail', 7]]);
  const good = await analyse([{ path: 'd.yaml', text: deployment('prod', 3) }], rules);
  assert.equal(good.findings.length, 0);
  const other = await analyse([{ path: 'd.yaml', text: deployment('dev', 1) }], rules);
  assert.equal(other.findings.length, 0);
});

test('a rules: list; a runtime CEL error is a not-assessed finding, never a pass', async () => {
  const text = `rules:
  - id: ACME-TF-001
    title: Buckets are tagged with an owner
    severity: low
    kinds: [k8s:ConfigMap]
    expression: resource.data.owner != ""
    remediation: Add data.owner.
  - id: ACME-TF-002
    title: Always true
    severity: info
    kinds: [k8s:ConfigMap]
    expression: "true"
    remediation: Nothing to do.
`;
  const { rules, problems } = loadCustomRules([{ path: 'r.yml', text }]);
  assert.deepEqual(problems, []);
  assert.equal(rules.length, 2);
  const a = await analyse([{ path: 'cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\n' }], rules);
  assert.deepEqual(a.findings.map((f) => [f.ruleId, f.status]), [['ACME-TF-001', 'not-assessed']]);
  assert.match(a.findings[0]!.message, /could not be evaluated/);
});

test('load errors name the file and line; good rules in other files still load', () => {
  const files = [
    { path: 'bad-cel.yaml', text: 'id: ACME-X-001\ntitle: t t t\nseverity: low\nkinds: [k8s:Pod]\nexpression: resource.((\nremediation: fix it\n' },
    { path: 'bad-kind.yaml', text: 'id: ACME-X-002\ntitle: t t t\nseverity: low\nkinds: [Pod]\nexpression: "true"\nremediation: fix it\n' },
    { path: 'reserved.yaml', text: 'id: VGL-K8S-001\ntitle: t t t\nseverity: low\nkinds: [k8s:Pod]\nexpression: "true"\nremediation: fix it\n' },
    { path: 'severity.yaml', text: 'id: ACME-X-003\ntitle: t t t\nseverity: urgent\nkinds: [k8s:Pod]\nexpression: "true"\nremediation: fix it\n' },
    { path: 'yaml.yaml', text: 'id: [unclosed\n' },
    { path: 'empty.yaml', text: '' },
    { path: 'dup.yaml', text: 'rules:\n  - {id: ACME-X-004, title: ttt, severity: low, kinds: [k8s:Pod], expression: "true", remediation: fix it}\n  - {id: ACME-X-004, title: ttt, severity: low, kinds: [k8s:Pod], expression: "true", remediation: fix it}\n' },
    { path: 'ok.yaml', text: 'id: ACME-X-005\ntitle: t t t\nseverity: low\nkinds: [k8s:Pod]\nexpression: "true"\nremediation: fix it\n' },
  ];
  const { rules, problems } = loadCustomRules(files);
  assert.deepEqual(rules.map((r) => r.id).sort(), ['ACME-X-004', 'ACME-X-005']);
  const by = new Map(problems.map((p) => [p.path, p]));
  assert.equal(by.get('bad-cel.yaml')?.line, 5);
  assert.match(by.get('bad-cel.yaml')!.reason, /not valid CEL/);
  assert.equal(by.get('bad-kind.yaml')?.line, 4);
  assert.match(by.get('reserved.yaml')!.reason, /reserved/);
  assert.equal(by.get('severity.yaml')?.line, 3);
  assert.match(by.get('yaml.yaml')!.reason, /YAML error/);
  assert.ok(by.has('empty.yaml'));
  assert.match(by.get('dup.yaml')!.reason, /already defined/);
  assert.equal(by.get('dup.yaml')?.line, 3);
});

test('hostile: alias bombs and huge files are refused, not expanded', () => {
  const bomb = `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`;
  const r = loadCustomRules([{ path: 'bomb.yaml', text: bomb }, { path: 'big.yaml', text: `x: "${'a'.repeat(6 * 1024 * 1024)}"` }]);
  assert.equal(r.rules.length, 0);
  assert.equal(r.problems.length, 2);
});
