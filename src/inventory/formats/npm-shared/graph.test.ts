import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LockGraph } from './graph.js';

const byName = (r: ReturnType<LockGraph['finish']>, name: string) => r.packages.filter((p) => p.name === name);

test('direct, scope propagation, edges and ids', () => {
  const g = new LockGraph('package-lock.json', 'test');
  const a = g.add({ name: 'a', version: '1.0.0' });
  const b = g.add({ name: 'b', version: '1.0.0' });
  const c = g.add({ name: 'c', version: '1.0.0' });
  const d = g.add({ name: 'd', version: '1.0.0' });
  const e = g.add({ name: 'e', version: '1.0.0' });
  const a2 = g.add({ name: 'a', version: '1.0.0', line: 9 });
  g.projectEdge('root', a, 'prod');
  g.projectEdge('root', d, 'dev');
  g.edge(a, b);
  g.edge(a, b);
  g.edge(a, c, true);
  g.edge(d, b);
  g.edge(d, e);
  g.edge(e, e);
  const r = g.finish({ knowsDirect: true, propagateScope: true });
  assert.deepEqual(
    r.packages.map((p) => [p.id, p.direct, p.scope]),
    [
      ['pkg:npm/a@1.0.0', true, 'prod'],
      ['pkg:npm/b@1.0.0', false, 'prod'],
      ['pkg:npm/c@1.0.0', false, 'optional'],
      ['pkg:npm/d@1.0.0', true, 'dev'],
      ['pkg:npm/e@1.0.0', false, 'dev'],
      ['pkg:npm/a@1.0.0#2', false, undefined],
    ],
  );
  assert.equal(r.packages[a2]!.location.line, 9);
  assert.deepEqual(
    r.edges.map((x) => `${x.from} -> ${x.to}`),
    ['root -> pkg:npm/a@1.0.0', 'root -> pkg:npm/d@1.0.0', 'pkg:npm/a@1.0.0 -> pkg:npm/b@1.0.0', 'pkg:npm/a@1.0.0 -> pkg:npm/c@1.0.0', 'pkg:npm/d@1.0.0 -> pkg:npm/b@1.0.0', 'pkg:npm/d@1.0.0 -> pkg:npm/e@1.0.0'],
  );
});

test('a required edge wins over an optional one; recorded scopes are kept', () => {
  const g = new LockGraph('x', 'test');
  const a = g.add({ name: 'a', version: '1' });
  const b = g.add({ name: 'b', version: '1', scope: 'peer' });
  const c = g.add({ name: 'c', version: '1' });
  g.projectEdge('root', a, 'prod');
  g.edge(a, c, true);
  g.edge(a, c, false);
  g.edge(a, b);
  const r = g.finish({ knowsDirect: true, propagateScope: true });
  assert.equal(byName(r, 'c')[0]!.scope, 'prod');
  assert.equal(byName(r, 'b')[0]!.scope, 'peer');
});

test('workspaces: their own dependency kinds, not traversed through, direct undefined unless listed', () => {
  const g = new LockGraph('pnpm-lock.yaml', 'test');
  const ws = g.add({ name: 'app', version: '1.0.0', workspace: 'packages/app' });
  const lib = g.add({ name: 'lib', version: '2.0.0' });
  const tool = g.add({ name: 'tool', version: '3.0.0' });
  g.projectEdge(ws, lib, 'prod');
  g.projectEdge(ws, tool, 'dev');
  const r = g.finish({ knowsDirect: true, propagateScope: true });
  const app = byName(r, 'app')[0]!;
  assert.equal(app.direct, undefined);
  assert.equal(app.properties?.['workspace'], 'packages/app');
  assert.equal(byName(r, 'lib')[0]!.direct, true);
  assert.equal(byName(r, 'lib')[0]!.scope, 'prod');
  assert.equal(byName(r, 'tool')[0]!.scope, 'dev');
});

test('unknown project lists leave direct and scope undefined; unknown kinds seed nothing', () => {
  const g = new LockGraph('yarn.lock', 'test');
  const a = g.add({ name: 'a', version: '1' });
  const b = g.add({ name: 'b', version: '1' });
  g.projectEdge('root', a, undefined);
  g.edge(a, b);
  const r = g.finish({ knowsDirect: false, propagateScope: true });
  assert.deepEqual(
    r.packages.map((p) => [p.name, p.direct, p.scope]),
    [
      ['a', true, undefined],
      ['b', undefined, undefined],
    ],
  );
});

test('problems carry the file, line, reader and severity', () => {
  const g = new LockGraph('dir/bun.lock', 'bun-lock');
  g.problem('bad entry', 'warning', 7);
  assert.deepEqual(g.finish({ knowsDirect: true, propagateScope: false }).problems, [{ location: { file: 'dir/bun.lock', line: 7 }, reader: 'bun-lock', message: 'bad entry', severity: 'warning' }]);
});

test('finish stays linear on a long chain and a wide fan-out', () => {
  const g = new LockGraph('x', 'test');
  const n = 100_000;
  for (let i = 0; i < n; i++) g.add({ name: `p${i}`, version: '1.0.0' });
  g.projectEdge('root', 0, 'prod');
  for (let i = 1; i < n; i++) g.edge(i - 1, i);
  for (let i = 2; i < n; i += 3) g.edge(0, i);
  const t0 = performance.now();
  const r = g.finish({ knowsDirect: true, propagateScope: true });
  assert.equal(r.packages[n - 1]!.scope, 'prod');
  assert.ok(performance.now() - t0 < 10_000);
});
