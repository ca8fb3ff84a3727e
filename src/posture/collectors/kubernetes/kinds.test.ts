/**
 * The kind table against the rules and the documentation: every API kind a Kubernetes rule
 * checks is listed (or left out for a stated reason), and the generated blocks of
 * docs/collectors/kubernetes.md (kind table, ClusterRole, dump command) are what kinds.ts gives.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { kubernetesRules } from '../../rules/kubernetes/index.js';
import { clusterRoleRules, clusterRoleYaml, dumpCommand, KIND_SPECS, kindSpecs } from './kinds.js';

const DOC = new URL('../../../../docs/collectors/kubernetes.md', import.meta.url);

/** Kinds rules check that are not cluster API objects, or are left out on purpose (kinds.ts header). */
const NOT_LISTED: Readonly<Record<string, string>> = {
  'k8s:KubeletConfiguration': 'a file on the node',
  'k8s:EncryptionConfiguration': 'a file on the control plane',
  'k8s:Policy': 'the audit policy file',
  'k8s:CustomResourceDefinition': 'large, label syntax only',
};

function block(text: string, name: string): string {
  const start = text.indexOf(`<!-- ${name}:start -->\n`);
  const end = text.indexOf(`<!-- ${name}:end -->`);
  assert.ok(start >= 0 && end > start, `block ${name} in the documentation`);
  return text.slice(start + `<!-- ${name}:start -->\n`.length, end);
}

describe('kinds', () => {
  test('every kind the Kubernetes rules check is listed or left out for a reason', () => {
    const listed = new Set(KIND_SPECS.map((k) => `k8s:${k.kind}`));
    const wanted = new Set(kubernetesRules.flatMap((r) => r.kinds));
    const missing = [...wanted].filter((k) => !listed.has(k) && NOT_LISTED[k] === undefined);
    assert.deepEqual(missing, []);
  });

  test('unique (group, kind) and (group, resource); Secrets only when asked for', () => {
    assert.equal(new Set(KIND_SPECS.map((k) => `${k.group}/${k.kind}`)).size, KIND_SPECS.length);
    assert.equal(new Set(KIND_SPECS.map((k) => `${k.group}/${k.plural}`)).size, KIND_SPECS.length);
    assert.ok(!kindSpecs().some((k) => k.kind === 'Secret'));
    assert.ok(kindSpecs({ secrets: 'metadata' }).some((k) => k.kind === 'Secret'));
    assert.ok(!clusterRoleRules().some((r) => r.resources?.includes('secrets')));
    assert.ok(clusterRoleRules().every((r) => r.verbs.length === 1 && (r.verbs[0] === 'list' || (r.verbs[0] === 'get' && r.nonResourceURLs !== undefined))));
  });

  test('the documentation shows what the code does', () => {
    const doc = readFileSync(DOC, 'utf8');
    assert.equal(block(doc, 'clusterrole'), `\`\`\`yaml\n${clusterRoleYaml()}\`\`\`\n`);
    assert.equal(block(doc, 'dump'), `\`\`\`sh\n${dumpCommand()}\n\`\`\`\n`);
    const table = KIND_SPECS.map((k) => `| ${k.kind} | ${k.group || 'core'} | ${k.why}${k.optional ? ' (optional)' : ''} |`).join('\n');
    assert.equal(block(doc, 'kinds'), `${table}\n`);
  });
});

describe('legacy groups', () => {
  test('extensions/v1beta1 objects of an old dump are listed with their kind, keeping their apiVersion', async () => {
    const { snapshotApi } = await import('./snapshot.js');
    const { collectCluster, DEFAULT_SETTINGS } = await import('./collect.js');
    const objects = [
      { apiVersion: 'extensions/v1beta1', kind: 'Deployment', metadata: { name: 'old', namespace: 'a' }, spec: { template: { spec: { containers: [] } } } },
      { apiVersion: 'extensions/v1beta1', kind: 'Ingress', metadata: { name: 'old', namespace: 'a' }, spec: {} },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'old', namespace: 'a' }, spec: { template: { spec: { containers: [] } } } },
    ];
    const r = await collectCluster(snapshotApi({ objects }), { ...DEFAULT_SETTINGS, cluster: 'c', now: () => 0 });
    assert.deepEqual(r.resources.map((x) => `${x.id} ${String(x.meta?.['apiVersion'])}`), ['Deployment/a/old extensions/v1beta1', 'Ingress/a/old extensions/v1beta1']);
  });
});
