import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Resource } from '../../../model.js';
import { durationSeconds, Flags } from './flags.js';
import { podOf } from './pod.js';
import { grants, type PolicyRule } from './rbac.js';
import { mapSelects, selects } from './selectors.js';

describe('Flags', () => {
  const f = new Flags(['kube-apiserver', '--a=1', '--b', 'two', '--c', '--d=', '--e=x=y', '-ec', 'sh cmd', '--a=3', '--list=A,B', '--list', 'C', '--bool=False']);
  const cases: [string, string | undefined][] = [['a', '3'], ['b', 'two'], ['c', ''], ['d', ''], ['e', 'x=y'], ['ec', 'sh cmd'], ['missing', undefined]];
  for (const [name, want] of cases) test(`get ${name}`, () => assert.equal(f.get(name), want));
  test('isSet needs a value', () => {
    assert.equal(f.isSet('b'), true);
    assert.equal(f.isSet('c'), false);
    assert.equal(f.isSet('d'), false);
  });
  test('booleans', () => {
    assert.equal(f.bool('c'), true);
    assert.equal(f.bool('bool'), false);
    assert.equal(f.bool('b'), undefined);
    assert.equal(f.bool('missing'), undefined);
  });
  test('numbers', () => {
    assert.equal(f.num('a'), 3);
    assert.equal(f.num('b'), undefined);
  });
  test('comma lists over repeated flags', () => assert.deepEqual(f.list('list'), ['A', 'B', 'C']));
  test('feature gates', () => {
    const g = new Flags(['--feature-gates=A=true, B=False,broken,=x']).gates();
    assert.deepEqual([...g.entries()], [['A', 'true'], ['B', 'false']]);
  });
  test('empty and hostile argument lists', () => {
    assert.equal(new Flags([]).has('a'), false);
    const many = new Flags(Array.from({ length: 50_000 }, (_, i) => `--f${i % 7}=${i}`));
    assert.equal(many.get('f0'), '49994');
    const weird = new Flags(['--', '---x', '-', '--=v', '--ok=1']);
    assert.equal(weird.get('ok'), '1');
    assert.equal(weird.has(''), false);
  });
});

describe('durationSeconds', () => {
  const cases: [string, number | undefined][] = [['300s', 300], ['1h0m5s', 3605], ['1.5h', 5400], ['5m', 300], ['60', 60], ['500ms', 0.5], ['', undefined], ['abc', undefined], ['5x', undefined], ['1h junk', undefined]];
  for (const [s, want] of cases) test(JSON.stringify(s), () => assert.equal(durationSeconds(s), want));
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', n: 1 };
  test('matchLabels and expressions', () => {
    assert.equal(selects({}, labels), true);
    assert.equal(selects({ matchLabels: { app: 'web' } }, labels), true);
    assert.equal(selects({ matchLabels: { app: 'api' } }, labels), false);
    assert.equal(selects({ matchLabels: { n: '1' } }, labels), true);
    assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, labels), true);
    assert.equal(selects({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, labels), false);
    assert.equal(selects({ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, labels), true);
    assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'Exists' }, { key: 'x', operator: 'Exists' }] }, labels), false);
  });
  test('malformed selectors select nothing', () => {
    assert.equal(selects(undefined, labels), false);
    assert.equal(selects([], labels), false);
    assert.equal(selects({ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, labels), false);
    assert.equal(selects({ matchExpressions: ['x'] }, labels), false);
  });
  test('map selectors', () => {
    assert.equal(mapSelects({ app: 'web' }, labels), true);
    assert.equal(mapSelects({}, labels), false);
    assert.equal(mapSelects({ app: 'web', x: 'y' }, labels), false);
  });
});

describe('RBAC matching', () => {
  const rule = (apiGroups: string[], resources: string[], verbs: string[]): PolicyRule => ({ index: 0, path: ['rules', 0], apiGroups, resources, verbs });
  test('wildcards and subresources', () => {
    assert.equal(grants(rule(['*'], ['*'], ['*']), 'certificates.k8s.io', 'certificatesigningrequests/approval', ['update']), true);
    assert.equal(grants(rule([''], ['pods'], ['create']), '', 'pods/exec', ['create']), false);
    assert.equal(grants(rule([''], ['pods/exec'], ['create']), '', 'pods/exec', ['create']), true);
    assert.equal(grants(rule(['certificates.k8s.io'], ['*/approval'], ['update']), 'certificates.k8s.io', 'certificatesigningrequests/approval', ['update']), true);
    assert.equal(grants(rule(['apps'], ['secrets'], ['get']), '', 'secrets', ['get']), false);
    assert.equal(grants(rule([''], ['secrets'], ['create']), '', 'secrets', ['get', 'list']), false);
  });
});

function resource(kind: string, attrs: Record<string, unknown>): Resource {
  return { kind: `k8s:${kind}`, input: 'kubernetes', provider: 'kubernetes', type: kind, id: `${kind}/-/x`, name: 'x', file: 'm.yaml', line: 1, endLine: 1, attrs, lineOf: () => undefined, refs: [], suppressions: [] };
}

describe('podOf', () => {
  test('standard kinds and pod-template custom resources', () => {
    assert.deepEqual(podOf(resource('Deployment', { apiVersion: 'apps/v1', spec: { template: { spec: { containers: [] } } } }))?.path, ['spec', 'template', 'spec']);
    assert.deepEqual(podOf(resource('Service', { apiVersion: 'serving.knative.dev/v1', spec: { template: { spec: { containers: [] } } } }))?.path, ['spec', 'template', 'spec']);
    assert.deepEqual(podOf(resource('Revision', { apiVersion: 'serving.knative.dev/v1', spec: { containers: [] } }))?.metadataPath, ['metadata']);
    assert.deepEqual(podOf(resource('Rollout', { apiVersion: 'argoproj.io/v1alpha1', spec: { template: { spec: {} } } }))?.path, ['spec', 'template', 'spec']);
  });
  test('other kinds and malformed specs have no pod', () => {
    assert.equal(podOf(resource('Service', { apiVersion: 'v1', spec: { template: { spec: {} } } })), undefined);
    assert.equal(podOf(resource('Deployment', { apiVersion: 'apps/v1', spec: { template: { spec: [] } } })), undefined);
    assert.equal(podOf(resource('Pod', { apiVersion: 'v1', spec: null })), undefined);
    assert.equal(podOf(resource('Revision', { apiVersion: 42, spec: {} })), undefined);
  });
});
