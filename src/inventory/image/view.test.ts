import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { tarOf } from './__fixtures__/build-image.js';
import type { LayerEntry, LayerRecord } from './layer.js';
import { ByteBudget, cleanEntryName, readLayer } from './layer.js';
import { bytesSource, forEachEntry, looksLikeTar, sniffCompression } from './tar-source.js';
import { FsView } from './view.js';

const record = (entries: LayerEntry[]): LayerRecord => ({ entries, problems: [], blobDigest: 'sha256:x' });
const file = (path: string, text = path): LayerEntry => ({ kind: 'file', path, size: text.length, bytes: new TextEncoder().encode(text) });
const content = (view: FsView, path: string): string | undefined => {
  const r = view.resolve(path);
  return r.ok && r.node.kind === 'file' && r.node.bytes ? new TextDecoder().decode(r.node.bytes) : undefined;
};

test('whiteouts and opaque directories hide lower layers only', () => {
  const view = new FsView();
  view.apply(0, record([file('a/x'), file('a/y'), file('b/keep'), file('b/sub/deep'), file('c/z')]));
  view.apply(1, record([{ kind: 'whiteout', path: 'a/x' }, { kind: 'opaque', path: 'b' }, file('b/new'), { kind: 'whiteout', path: 'c' }, { kind: 'whiteout', path: 'nothing/here' }]));
  assert.deepEqual([...view.entries()].map((e) => `${e.path}@${e.node.layer}`), ['a/y@0', 'b/new@1']);
  // A whiteout applies to lower layers, not to the same layer's own entries, whatever their order.
  view.apply(2, record([file('d/f', 'v2'), { kind: 'whiteout', path: 'd/f' }]));
  assert.equal(content(view, 'd/f'), 'v2');
});

test('overwrites keep a history of earlier versions; a delete resets it', () => {
  const view = new FsView();
  view.apply(0, record([file('s', 'v0')]));
  view.apply(1, record([file('s', 'v1')]));
  view.apply(2, record([file('s', 'v2')]));
  const node = view.lookupLiteral('s');
  assert.ok(node?.kind === 'file');
  assert.deepEqual(node.history.map((h) => `${h.layer}:${new TextDecoder().decode(h.bytes)}`), ['0:v0', '1:v1']);
  view.apply(3, record([{ kind: 'whiteout', path: 's' }]));
  view.apply(4, record([file('s', 'v4')]));
  const again = view.lookupLiteral('s');
  assert.ok(again?.kind === 'file');
  assert.deepEqual(again.history, []);
  assert.equal(again.layer, 4);
});

test('symlinks: relative, absolute (inside the image), .. at the root, loops, hardlinks', () => {
  const view = new FsView();
  view.apply(0, record([
    file('usr/lib/os-release', 'ID=x'),
    { kind: 'symlink', path: 'etc/os-release', target: '../usr/lib/os-release' },
    { kind: 'symlink', path: 'lib', target: '/usr/lib' },
    { kind: 'symlink', path: 'up', target: '../../../../usr/lib/os-release' },
    { kind: 'symlink', path: 'loop1', target: 'loop2' },
    { kind: 'symlink', path: 'loop2', target: '/loop1' },
    { kind: 'symlink', path: 'self', target: 'self' },
    { kind: 'hardlink', path: 'hl', target: 'usr/lib/os-release' },
    { kind: 'hardlink', path: 'hl-missing', target: 'not/there' },
  ]));
  assert.equal(content(view, 'etc/os-release'), 'ID=x');
  assert.equal(content(view, 'lib/os-release'), 'ID=x');
  assert.equal(content(view, 'up'), 'ID=x', '`..` stops at the image root');
  assert.equal(content(view, 'hl'), 'ID=x');
  assert.deepEqual(view.resolve('loop1'), { ok: false, reason: 'loop' });
  assert.deepEqual(view.resolve('self'), { ok: false, reason: 'loop' });
  assert.deepEqual(view.resolve('usr/lib/os-release/x'), { ok: false, reason: 'not-a-directory' });
  assert.deepEqual(view.resolve('nope'), { ok: false, reason: 'missing' });
  const missing = view.lookupLiteral('hl-missing');
  assert.ok(missing?.kind === 'file');
  assert.equal(missing.bytes, undefined);
  assert.deepEqual(missing.src, { layer: 0, path: 'not/there' });
  const link = view.resolve('lib', false);
  assert.equal(link.ok && link.node.kind, 'symlink');
  // A file replacing a directory, and a directory replacing a file.
  view.apply(1, record([file('usr'), { kind: 'dir', path: 'hl' }]));
  assert.equal(content(view, 'usr'), 'usr');
  assert.equal(view.lookupLiteral('hl')?.kind, 'dir');
});

test('cleanEntryName', () => {
  assert.equal(cleanEntryName('./usr//bin/'), 'usr/bin');
  assert.equal(cleanEntryName('/etc/passwd'), 'etc/passwd');
  assert.equal(cleanEntryName('./'), undefined);
  assert.equal(cleanEntryName('a/../../b'), null);
  assert.equal(cleanEntryName('..'), null);
});

test('readLayer: plain, gzip, truncated and garbage; only wanted files are kept', async () => {
  const tar = await tarOf([{ name: 'keep/me', content: 'yes' }, { name: 'skip/me', content: 'no' }, { name: 'a/.wh.gone' }, { name: 'b/.wh..wh..opq' }, { name: 'c/.wh..wh.plnk' }]);
  assert.equal(looksLikeTar(tar), true);
  assert.equal(sniffCompression(tar), 'none');
  assert.equal(sniffCompression(gzipSync(tar)), 'gzip');
  const limits = { maxFileBytes: 100, maxLayerEntries: 100, maxLayerBytes: 1e6 };
  for (const blob of [tar, gzipSync(tar)]) {
    const r = await readLayer(bytesSource(blob), (p) => p === 'keep/me', limits, new ByteBudget(1000));
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.entries.map((e) => `${e.kind}:${e.path}:${e.kind === 'file' ? String(e.bytes?.length) : ''}`), ['file:keep/me:3', 'file:skip/me:undefined', 'whiteout:a/gone:', 'opaque:b:']);
  }
  const cut = await readLayer(bytesSource(gzipSync(tar).subarray(0, 40)), () => true, limits, new ByteBudget(1000));
  assert.match(cut.problems[0]!.message, /truncated or not a valid tar/);
  const budget = await readLayer(bytesSource(tar), () => true, limits, new ByteBudget(4));
  assert.match(budget.problems[0]!.message, /budget/);
  const garbage = await forEachEntry(bytesSource(new Uint8Array(2048).fill(7)), async () => 'continue');
  assert.match(garbage?.message ?? '', /Invalid tar header/);
  const zstdCut = await forEachEntry(bytesSource(new Uint8Array([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00])), async () => 'continue');
  assert.ok(zstdCut instanceof Error);
  assert.equal(await forEachEntry(bytesSource(new Uint8Array(0)), async () => 'continue'), undefined, 'an empty layer is an empty tar');
});
