import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { AttrPath, Resource } from '../../model.js';
import type { InputResult } from '../types.js';
import { kubernetesInput } from './index.js';
import { K8S_LIMITS, parseKubernetes } from './parse.js';

const DECLINED = 'declined by the fast reader';

function allPaths(v: unknown, prefix: (string | number)[] = [], out: AttrPath[] = []): AttrPath[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      allPaths(x, [...prefix, i], out);
    });
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      allPaths(x, [...prefix, k], out);
    }
  }
  return out;
}

const FIELDS = ['kind', 'input', 'provider', 'type', 'id', 'name', 'namespace', 'file', 'line', 'endLine', 'attrs', 'refs', 'suppressions', 'meta'] as const;

/** The differences between the two readers' results (empty when they agree), lineOf on every path. */
function differences(fast: InputResult, slow: InputResult): string[] {
  const out: string[] = [];
  try {
    assert.deepEqual(fast.problems, slow.problems);
  } catch {
    out.push(`problems ${JSON.stringify(fast.problems).slice(0, 300)} vs ${JSON.stringify(slow.problems).slice(0, 300)}`);
  }
  if (fast.resources.length !== slow.resources.length) return [...out, `${fast.resources.length} vs ${slow.resources.length} resources`];
  fast.resources.forEach((a, i) => {
    const b = slow.resources[i]!;
    for (const f of FIELDS) {
      try {
        assert.deepEqual(a[f], b[f]);
      } catch {
        out.push(`${b.id} ${f}: ${JSON.stringify(a[f])?.slice(0, 200)} vs ${JSON.stringify(b[f])?.slice(0, 200)}`);
      }
    }
    for (const p of [...allPaths(b.attrs), [], ['absent'], ['metadata', 'absent'], ['spec', 99, 'x'], [0]]) {
      if (a.lineOf(p) !== b.lineOf(p)) {
        out.push(`${b.id} lineOf(${p.join('.')}): ${a.lineOf(p)} vs ${b.lineOf(p)}`);
        break;
      }
    }
  });
  return out;
}

/** Parses with both readers, checks they agree, and returns the result (failing if the fast one declined). */
function both(text: string, path = 'manifest.yaml'): InputResult {
  const fast = parseKubernetes({ path, text }, 'fast');
  assert.ok(!fast.problems.some((p) => p.reason === DECLINED), 'the fast reader declined the fixture');
  const slow = parseKubernetes({ path, text }, 'yaml');
  assert.deepEqual(differences(fast, slow), []);
  assert.deepEqual(differences(parseKubernetes({ path, text }), slow), []);
  return fast;
}

const byId = (r: InputResult, id: string): Resource => {
  const found = r.resources.find((x) => x.id === id);
  assert.ok(found, `no resource ${id}`);
  return found;
};

test('multi-document manifests: resources, lines, end lines and key lines', () => {
  const r = both(
    [
      'apiVersion: apps/v1', //                  1
      'kind: Deployment', //                     2
      'metadata:', //                            3
      '  name: web', //                          4
      '  namespace: shop', //                    5
      'spec:', //                                6
      '  template:', //                          7
      '    spec:', //                            8
      '      containers:', //                    9
      '      - name: app', //                    10
      '        image: nginx', //                 11
      '        securityContext:', //             12
      '          privileged: true', //           13
      '# trailing comment of the Deployment', // 14
      '', //                                     15
      '---', //                                  16
      '', //                                     17
      'apiVersion: v1', //                       18
      'kind: Service', //                        19
      'metadata: {name: web}', //                20
      '---', //                                  21
      '# nothing here', //                       22
      '',
    ].join('\n'),
  );
  assert.deepEqual(r.problems, []);
  const d = byId(r, 'Deployment/shop/web');
  assert.deepEqual([d.line, d.endLine], [1, 14]);
  assert.equal(d.lineOf(['spec', 'template', 'spec', 'containers', 0]), 10);
  assert.equal(d.lineOf(['spec', 'template', 'spec', 'containers', 0, 'securityContext', 'privileged']), 13);
  assert.equal(d.lineOf(['spec', 'template', 'spec', 'containers', 1]), undefined);
  assert.deepEqual(d.meta, { apiVersion: 'apps/v1', podSpecPath: ['spec', 'template', 'spec'] });
  const s = byId(r, 'Service/-/web');
  assert.deepEqual([s.line, s.endLine], [18, 20]);
  assert.equal(s.lineOf(['metadata', 'name']), 20);
});

test('List kinds: one resource per item, each ending on its own last line', () => {
  const r = both(
    [
      'apiVersion: v1', //              1
      'kind: List', //                  2
      'items:', //                      3
      '- apiVersion: v1', //            4
      '  kind: ConfigMap', //           5
      '  metadata:', //                 6
      '    name: a', //                 7
      '  data:', //                     8
      '    k: |', //                    9
      '      line one', //              10
      '', //                            11
      '# vigil:ignore=VGL-K8S-999 b', // 12
      '- apiVersion: v1', //            13
      '  kind: ConfigMap', //           14
      '  metadata:', //                 15
      '    name: b', //                 16
      '- not an object', //             17
      '',
    ].join('\n'),
  );
  const a = byId(r, 'ConfigMap/-/a');
  const b = byId(r, 'ConfigMap/-/b');
  assert.deepEqual([a.line, a.endLine, b.line, b.endLine], [4, 10, 13, 16]);
  assert.deepEqual(a.suppressions, [], 'the comment above b is not inside a');
  assert.deepEqual(b.suppressions, [{ ruleId: 'VGL-K8S-999', reason: 'b', line: 12 }]);
  assert.deepEqual(r.problems, [{ path: 'manifest.yaml', line: 17, reason: 'expected a Kubernetes object with string apiVersion and kind' }]);
});

test('JSON manifests (kubectl get -o json)', () => {
  const r = both('{\n  "apiVersion": "v1",\n  "kind": "PodList",\n  "items": [\n    {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}\n  ]\n}\n', 'pods.json');
  const p = byId(r, 'Pod/-/p');
  assert.deepEqual([p.line, p.endLine], [5, 5]);
  assert.equal(p.lineOf(['metadata', 'name']), 5);
});

test('inline suppressions: comments inside or just above, and the annotation', () => {
  const r = both(
    [
      '# vigil:ignore=VGL-K8S-001 above', //                     1
      'apiVersion: v1', //                                       2
      'kind: Pod', //                                            3
      'metadata:', //                                            4
      '  name: p', //                                            5
      '  annotations:', //                                       6
      '    vigil.dev/ignore: "VGL-K8S-002 annotated; VGL-K8S-003"', // 7
      'spec:', //                                                8
      '  containers: [] # vigil:ignore=VGL-K8S-004 inside', //   9
      '  x: "# vigil:ignore=VGL-K8S-005 in a string"', //        10
      '',
    ].join('\n'),
  );
  const ids = byId(r, 'Pod/-/p').suppressions.map((s) => `${s.ruleId}@${s.line}`);
  assert.deepEqual(ids.sort(), ['VGL-K8S-001@1', 'VGL-K8S-002@7', 'VGL-K8S-003@7', 'VGL-K8S-004@9']);
});

test('what the fast reader declines is read by `yaml`, as before', () => {
  const anchors = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: &d {k: v}\nextra: *d\n';
  assert.equal(parseKubernetes({ path: 'm.yaml', text: anchors }, 'fast').problems[0]?.reason, DECLINED);
  const r = parseKubernetes({ path: 'm.yaml', text: anchors });
  assert.deepEqual(r.resources[0]?.attrs['extra'], { k: 'v' });
  assert.equal(r.resources[0]?.lineOf(['extra']), 5);
});

test('broken documents are problems with their line; the documents around them are read', () => {
  const r = parseKubernetes({ path: 'm.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\nkind: [unclosed\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n' });
  assert.deepEqual(
    r.resources.map((x) => [x.id, x.line]),
    [
      ['Pod/-/a', 1],
      ['Pod/-/b', 7],
    ],
  );
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.path, 'm.yaml');
  assert.match(r.problems[0]!.reason, /^YAML error/);
  const dup = parseKubernetes({ path: 'm.yaml', text: 'apiVersion: v1\nkind: Pod\nkind: Service\n' });
  assert.deepEqual(dup.resources, []);
  assert.match(dup.problems[0]!.reason, /unique/);
  assert.deepEqual(parseKubernetes({ path: 'm.yaml', text: '' }), { resources: [], problems: [] });
  assert.deepEqual(parseKubernetes({ path: 'm.yaml', text: 'just a string\n' }).problems, [
    { path: 'm.yaml', line: 1, reason: 'expected a Kubernetes object (a mapping with apiVersion and kind)' },
  ]);
});

test('hostile input: alias bombs, deep nesting and oversized files are problems, not crashes', () => {
  let bomb = 'a0: &a0 ["x","x","x","x","x","x","x","x","x","x"]\n';
  for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]\n`;
  const b = parseKubernetes({ path: 'bomb.yaml', text: `apiVersion: v1\nkind: ConfigMap\n${bomb}` });
  assert.deepEqual(b.resources, []);
  assert.equal(b.problems.length, 1);
  const deep = parseKubernetes({ path: 'deep.yaml', text: `apiVersion: v1\nkind: X\nv: ${'['.repeat(K8S_LIMITS.maxFlowDepth + 1)}${']'.repeat(K8S_LIMITS.maxFlowDepth + 1)}\n` });
  assert.deepEqual(deep.problems, [{ path: 'deep.yaml', reason: `flow collections nested deeper than ${K8S_LIMITS.maxFlowDepth} levels` }]);
  const big = parseKubernetes({ path: 'big.yaml', text: 'a'.repeat(K8S_LIMITS.maxBytes + 1) });
  assert.match(big.problems[0]!.reason, /over the .* limit/);
});

/**
 * Differential test over every YAML and JSON file of the shared corpus (read by path, never
 * copied): wherever the fast reader (js-yaml with positions) reads a file, it gives exactly
 * what the `yaml` reader gives — problems, resources and `lineOf` of every attribute path.
 */
test('the fast reader agrees with `yaml` on every YAML file of the shared corpus', (t) => {
  const roots = ['kics', 'checkov', 'k8s'].map((d) => sharedData(d)).filter((d): d is string => d !== undefined);
  if (roots.length === 0) {
    t.skip(skipMessage('kics, checkov, k8s'));
    return;
  }
  const base = sharedData()!;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|json)$/i.test(name)) files.push(p);
    }
  };
  for (const r of roots) walk(r);
  let fast = 0;
  let manifests = 0;
  let fastManifests = 0;
  let resources = 0;
  let paths = 0;
  const disagreements: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const p of files) {
    let text: string;
    try {
      text = decoder.decode(readFileSync(p));
    } catch {
      continue;
    }
    const rel = relative(base, p);
    const manifest = kubernetesInput.accepts(rel, text.slice(0, 8192));
    if (manifest) manifests++;
    const a = parseKubernetes({ path: rel, text }, 'fast');
    if (a.problems.length === 1 && a.problems[0]!.reason === DECLINED) continue;
    fast++;
    if (manifest) fastManifests++;
    const b = parseKubernetes({ path: rel, text }, 'yaml');
    resources += b.resources.length;
    for (const r of b.resources) paths += allPaths(r.attrs).length;
    const d = differences(a, b);
    if (d.length > 0) disagreements.push(`${rel}: ${d.slice(0, 3).join('; ')}`);
  }
  t.diagnostic(`${files.length} YAML/JSON files, ${fast} read by the fast reader (${fastManifests}/${manifests} Kubernetes manifests); ${resources} resources and ${paths} attribute paths compared; ${disagreements.length} disagreements`);
  assert.deepEqual(disagreements, []);
  // The fast reader is the point: most manifests must take it.
  assert.ok(fastManifests >= 0.9 * manifests, `only ${fastManifests}/${manifests} manifests took the fast reader`);
});
