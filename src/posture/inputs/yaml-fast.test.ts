import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Node } from 'yaml';
import type { AttrPath } from '../model.js';
import { child, contentEnd, documentEnd, fastTags, keyLine, lineOf, lineStarts, loadFast, nodeStart, type FastYaml } from './yaml-fast.js';

const OPTIONS = { maxDepth: 200 };

/** Every attribute path of a plain value (keys and list indexes). */
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

/** The `yaml` library's answer: values, and the line of the key or item at a path. */
function reference(text: string): { values: unknown[]; line: (doc: number, path: AttrPath) => number | undefined } {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, merge: false });
  assert.ok(Array.isArray(docs));
  for (const d of docs) assert.deepEqual(d.errors, [], 'the reference must read the fixture');
  return {
    values: docs.map((d) => d.toJS() as unknown),
    line(doc, path) {
      let node: unknown = docs[doc]!.contents;
      let line: number | undefined;
      for (const seg of path) {
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
          if (pair === undefined) return undefined;
          line = lc.linePos((pair.key as Node).range![0]).line;
          node = pair.value;
        } else if (isSeq(node) && typeof seg === 'number') {
          const item = node.items[seg] as Node | undefined;
          if (item === undefined) return undefined;
          line = lc.linePos(item.range![0]).line;
          node = item;
        } else return undefined;
      }
      return line;
    },
  };
}

/** Reads `text` on the fast path and checks values and every key/item line against `yaml`. */
function agrees(text: string): FastYaml {
  const fy = loadFast(text, OPTIONS);
  assert.ok(fy !== undefined, `fast path declined ${JSON.stringify(text.slice(0, 80))}`);
  const ref = reference(text);
  assert.equal(fy.documents.length, ref.values.length);
  fy.documents.forEach((d, i) => {
    assert.deepEqual(d.value, ref.values[i]);
    for (const p of allPaths(d.value)) assert.equal(keyLine(fy, d.root, p), ref.line(i, p), `line of ${p.join('.')}`);
    assert.equal(keyLine(fy, d.root, ['absent']), undefined);
  });
  return fy;
}

test('multi-document manifests: values and the line of every key and list item as `yaml` gives them', () => {
  agrees(
    [
      '# leading comment',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web   # trailing comment',
      '  labels: {app: web, "tier": "front"}',
      'spec:',
      '  containers:',
      '  - name: app',
      '    image: "nginx:1.27"',
      '    args: [--port, "8080", \'--x\']',
      '    ports:',
      '      - containerPort: 8080',
      '        protocol: TCP',
      '  -',
      '    name: side',
      '    command:',
      '    - sh',
      '    - -c',
      '    - |',
      '      echo hi',
      '      # not a comment',
      '',
      '---',
      '--- {"apiVersion": "v1", "kind": "List",',
      '  "items": [{"kind": "Pod"}, {"kind": "Service"}]}',
      '...',
      '---',
      'plain: multi',
      '  line scalar',
      'folded: >-',
      '  a',
      '  b',
      'numbers: [0x1F, 0o17, 017, 1e3, .5, -1, +1, 1_000, .inf, .NaN]',
      'scalars: [true, True, null, NULL, ~, "", \'it\'\'s\']',
      '1: numeric key',
      'true: boolean key',
      'empty:',
      'nested:',
      '  empty:',
      '',
    ].join('\n'),
  );
});

test('JSON manifests, with tabs and on one line', () => {
  agrees('{\n\t"apiVersion": "v1",\n\t"kind": "ConfigMap",\n\t"data": {\n\t\t"a": "1"\n\t},\n\t"list": [\n\t\t1,\n\t\t{"b": [2, 3]}\n\t]\n}\n');
  agrees('{"kind":"Pod","spec":{"containers":[{"name":"a"}]}}');
});

test('CRLF line ends, a byte-order mark and no final line break', () => {
  agrees('\uFEFFa: 1\r\nb:\r\n  - x\r\n  - y\r\nc: "q"');
});

test('empty documents and empty text', () => {
  const fy = agrees('---\n---\n# only a comment\n');
  assert.ok(fy.documents.every((d) => d.value === null));
  assert.equal(loadFast('', OPTIONS)?.documents.length, 0);
});

test('declines what it cannot read exactly as `yaml` does', () => {
  const declined: Record<string, string> = {
    anchor: 'a: &x 1\nb: *x\n',
    'anchor without alias': 'a: &x 1\n',
    'alias bomb': 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n',
    'standard tag': 'a: !!str 1\n',
    'custom tag': 'a: !Ref x\n',
    'tag on its own line': 'a:\n  - !Foo\n    x\n',
    directive: '%YAML 1.1\n---\na: yes\n',
    'explicit key': '? a\n: b\n',
    'lone carriage return': 'a: 1\rb: 2\n',
    'empty list item': 'a:\n- \n- x\n',
    'flow pair in a list': 'a: [b: c]\n',
    'flow map entry without value': 'a: {b, c: d}\n',
    'under-indented quoted continuation': 'x:\n  k: "a\n  b"\n',
    'under-indented flow continuation': 'x:\n  k: [a,\n b]\n',
    'list item quoted continuation': 'x:\n  - "a\n  b"\n',
    'tab-indented flow continuation': 'k: [a,\n\tb]\n',
    'duplicate key': 'a: 1\na: 2\n',
    'syntax error': 'a: [1, 2\nb: c\n',
    'bad indentation': 'a:\n  b: 1\n c: 2\n',
    'null byte': 'a: "\0"\n',
    'mapping as key': '[a, b]: c\n',
  };
  for (const [what, text] of Object.entries(declined)) assert.equal(loadFast(text, OPTIONS), undefined, what);
});

test('hostile input: prototype keys stay plain data', () => {
  const fy = agrees('__proto__: {polluted: true}\nconstructor: {prototype: 1}\n');
  const v = fy.documents[0]!.value as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(v), Object.prototype);
  assert.deepEqual(Object.keys(v), ['__proto__', 'constructor']);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
});

test('hostile input: deep nesting is refused at maxDepth, long input stays linear', () => {
  assert.equal(loadFast('['.repeat(100_000), OPTIONS), undefined);
  assert.equal(loadFast(`${'['.repeat(250)}${']'.repeat(250)}`, OPTIONS), undefined);
  let block = '';
  for (let i = 0; i < 300; i++) block += `${' '.repeat(i)}k${i}:\n`;
  assert.equal(loadFast(block, OPTIONS), undefined);
  const many = Array.from({ length: 20_000 }, (_, i) => `k${i}: [${i}, "v${i}"]`).join('\n');
  const t = performance.now();
  const fy = loadFast(many, OPTIONS);
  assert.ok(fy !== undefined);
  assert.equal(keyLine(fy, fy.documents[0]!.root, ['k19999', 1]), 20_000);
  assert.ok(performance.now() - t < 5_000);
});

test('custom tags: allowed ones are read, with the node starting after its tag', () => {
  const tags = fastTags([
    { tag: '!Ref', kind: 'scalar', construct: (d) => d },
    { tag: '!If', kind: 'sequence', construct: (d) => d },
  ]);
  const text = 'a: !Ref x\nb:\n  - !If\n    [c, d, e]\nc: !Sub y\n';
  assert.equal(loadFast(text, { ...OPTIONS, tags }), undefined, '!Sub is not allowed');
  const fy = loadFast('a: !Ref x\nb:\n  - !If\n    [c, d, e]\n', { ...OPTIONS, tags });
  assert.ok(fy !== undefined);
  const root = fy.documents[0]!.root;
  const a = child(root, 'a')!;
  assert.equal(a.tag, '!Ref');
  assert.equal(a.value, 'x');
  const item = child(child(root, 'b')!, 0)!;
  assert.equal(item.tag, '!If');
  assert.deepEqual(item.value, ['c', 'd', 'e']);
  assert.equal(fy.lineAt(nodeStart(fy.text, item)), 4, 'yaml starts a tagged node at its value');
});

test('content end: the last content line of a node, and of a document with its trailing comments', () => {
  const text = [
    'a:', //                 1
    '  b: 1', //             2
    '  c: |', //             3
    '    text', //           4
    '', //                   5
    '  # trailing', //       6
    '# also trailing', //    7
    '---', //                8
    'x: [1,', //             9
    '  2]   # c', //         10
    '', //                   11
    'items:', //             12
    '- k: v', //             13
    '  e:', //               14
    '# above the next', //   15
    '- k: "w"', //           16
    '',
  ].join('\n');
  const fy = agrees(text);
  const starts = lineStarts(fy.text);
  const endLine = (offset: number): number => lineOf(starts, offset - 1);
  const [d1, d2] = fy.documents;
  assert.equal(endLine(contentEnd(fy.text, d1!.root)), 4, 'block scalar: its last non-blank line');
  assert.equal(endLine(documentEnd(fy.text, contentEnd(fy.text, d1!.root))), 7, 'comments before --- belong to the document');
  assert.equal(endLine(contentEnd(fy.text, d2!.root)), 16);
  const items = child(d2!.root, 'items')!;
  assert.equal(endLine(contentEnd(fy.text, child(items, 0)!)), 14, 'an empty value ends on its key');
  assert.equal(endLine(contentEnd(fy.text, child(d2!.root, 'x')!)), 10, 'a flow collection ends at its bracket');
});
