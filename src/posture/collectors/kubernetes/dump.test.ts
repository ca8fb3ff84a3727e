import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DUMP_LIMITS, parseDump } from './dump.js';

const pod = (name: string): Record<string, unknown> => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'a' }, spec: { containers: [] } });
const names = (objects: readonly Record<string, unknown>[]): string[] => objects.map((o) => `${String(o['kind'])}/${String((o['metadata'] as Record<string, unknown>)['name'])}`);

describe('cluster dumps', () => {
  test('kubectl get -A -o json: a List of typed items', () => {
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items: [pod('a'), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }] }, null, 4);
    const d = parseDump('all.json', text);
    assert.deepEqual(d.problems, []);
    assert.deepEqual(names(d.objects), ['Pod/a', 'Deployment/d']);
  });

  test('a raw API list: items take the list kind and apiVersion', () => {
    const d = parseDump('pods.json', JSON.stringify({ apiVersion: 'v1', kind: 'PodList', metadata: {}, items: [{ metadata: { name: 'x' } }, { metadata: { name: 'y' } }] }));
    assert.deepEqual(names(d.objects), ['Pod/x', 'Pod/y']);
    assert.equal(d.objects[0]!['apiVersion'], 'v1');
  });

  test('concatenated JSON values, arrays, single objects and the version', () => {
    const text = [
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [pod('a')] }, null, 2),
      JSON.stringify(pod('b')),
      JSON.stringify([pod('c'), pod('d')]),
      JSON.stringify({ clientVersion: { gitVersion: 'v1.32.4' }, serverVersion: { major: '1', minor: '30', gitVersion: 'v1.30.4-eks-a737599' } }),
      JSON.stringify({ metadata: { name: 'tricky {"[' }, apiVersion: 'v1', kind: 'ConfigMap', data: { s: '}}]]\\"' } }),
    ].join('\n');
    const d = parseDump('dump.json', text);
    assert.deepEqual(d.problems, []);
    assert.deepEqual(names(d.objects), ['Pod/a', 'Pod/b', 'Pod/c', 'Pod/d', 'ConfigMap/tricky {"[']);
    assert.equal((d.version?.['serverVersion'] as Record<string, unknown>)['gitVersion'], 'v1.30.4-eks-a737599');
  });

  test('YAML: kubectl -o yaml and ---separated documents, comments and document ends', () => {
    const text = [
      '# dumped',
      'apiVersion: v1',
      'kind: List',
      'items:',
      '- apiVersion: v1',
      '  kind: Pod',
      '  metadata: {name: a, namespace: x}',
      '---',
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: s',
      '  annotations:',
      '    note: |',
      '      not a --- marker',
      '...',
      '--- {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}',
      '---',
      '# only a comment',
      '',
    ].join('\n');
    const d = parseDump('dump.yaml', text);
    assert.deepEqual(d.problems, []);
    assert.deepEqual(names(d.objects), ['Pod/a', 'Service/s', 'ConfigMap/c']);
  });

  test('empty input: nothing, no problem', () => {
    for (const t of ['', '   \n', '\uFEFF']) assert.deepEqual(parseDump('e.json', t), { objects: [], problems: [] });
  });

  test('broken input: problems with lines, the readable rest kept', () => {
    const d = parseDump('x.json', `${JSON.stringify(pod('a'))}\n{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": }}\n${JSON.stringify(pod('b'))}`);
    assert.deepEqual(names(d.objects), ['Pod/a', 'Pod/b']);
    assert.equal(d.problems.length, 1);
    assert.equal(d.problems[0]!.line, 2);
    assert.match(d.problems[0]!.reason, /malformed JSON/);

    const open = parseDump('x.json', `${JSON.stringify(pod('a'))}\n{"items": [`);
    assert.deepEqual(names(open.objects), ['Pod/a']);
    assert.match(open.problems[0]!.reason, /not closed/);

    const y = parseDump('x.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n');
    assert.deepEqual(names(y.objects), ['Pod/a', 'Pod/b']);
    assert.equal(y.problems[0]!.line, 4);

    const notK8s = parseDump('x.json', '{"hello": "world"}\n[1, "two"]');
    assert.equal(notK8s.objects.length, 0);
    assert.equal(notK8s.problems.length, 3);

    const scalar = parseDump('x.json', `${JSON.stringify(pod('a'))} 42`);
    assert.deepEqual(names(scalar.objects), ['Pod/a']);
    assert.match(scalar.problems[0]!.reason, /expected a JSON object or array/);
  });

  test('hostile input: deep nesting, alias bombs, oversize', () => {
    const deep = parseDump('d.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}\n${JSON.stringify(pod('after'))}`);
    assert.match(deep.problems[0]!.reason, /nested deeper than 200/);
    assert.deepEqual(names(deep.objects), ['Pod/after']);

    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: x}',
      'data:',
      ' a: &a ["x","x","x","x","x","x","x","x","x"]',
      ' b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      ' c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      ' d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      ' e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      ' f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    ].join('\n');
    const b = parseDump('bomb.yaml', bomb);
    assert.equal(b.objects.length, 0);
    assert.match(b.problems[0]!.reason, /alias/);

    const flow = parseDump('flow.yaml', `a: ${'['.repeat(5000)}`);
    assert.equal(flow.objects.length, 0);
    assert.equal(flow.problems.length, 1);

    const big = parseDump('big.json', ' '.repeat(DUMP_LIMITS.maxBytes + 1));
    assert.match(big.problems[0]!.reason, /over the .* limit/);
  });

  test('linear on a large dump', () => {
    const items = Array.from({ length: 20_000 }, (_, i) => pod(`p${i}`));
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
    const t0 = performance.now();
    const d = parseDump('big.json', text);
    const ms = performance.now() - t0;
    assert.equal(d.objects.length, 20_000);
    assert.ok(ms < 2000, `${ms} ms`);
  });
});
