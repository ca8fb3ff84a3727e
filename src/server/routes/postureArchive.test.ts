import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import tar from 'tar-stream';
import { zipOf } from '../../../test/helpers/zip.js';
import { ArchiveError, readArchive, sniffBody, type ArchiveLimits } from './postureArchive.js';

type TarItem = { name: string; body?: string | Buffer; type?: 'file' | 'symlink' | 'link' | 'directory'; linkname?: string; size?: number };

async function tarOf(items: readonly TarItem[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const it of items) {
    const header = { name: it.name, type: it.type ?? 'file', ...(it.linkname ? { linkname: it.linkname } : {}) };
    if (it.body === undefined) pack.entry(header);
    else pack.entry(header, Buffer.from(it.body));
  }
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as AsyncIterable<Buffer>) chunks.push(c);
  return Buffer.concat(chunks);
}

const SMALL: ArchiveLimits = { maxEntries: 10, maxTotalBytes: 64 * 1024, maxFileBytes: 1024, maxDepth: 3 };
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      image: nginx:1.27\n';

const failure = async (p: Promise<unknown>): Promise<ArchiveError> => {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ArchiveError, `expected an ArchiveError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the archive to be refused');
};

test('sniffBody tells JSON, gzip, zip and tar apart by their first bytes', async () => {
  assert.equal(sniffBody(Buffer.from('  \n{"findings":[]}')), 'json');
  assert.equal(sniffBody(Buffer.from('\uFEFF{"findings":[]}')), 'json');
  assert.equal(sniffBody(gzipSync('x')), 'gzip');
  assert.equal(sniffBody(await zipOf({ 'a.yaml': POD })), 'zip');
  assert.equal(sniffBody(await tarOf([{ name: 'a.yaml', body: POD }])), 'tar');
  assert.equal(sniffBody(Buffer.from('\x89PNG\r\n\x1a\n')), 'unknown');
  assert.equal(sniffBody(Buffer.alloc(0)), 'unknown');
});

test('tar, tar.gz and zip give the same files; skipped folders, non-IaC files and links are left out', async () => {
  const entries = { 'k8s/pod.yaml': POD, Dockerfile: 'FROM nginx:1.27\n', 'node_modules/x/pod.yaml': POD, 'README.md': '# hi\n', '.vigil-posture.yaml': 'suppressions: []\n' };
  const t = await tarOf([
    { name: 'k8s/', type: 'directory' },
    ...Object.entries(entries).map(([name, body]) => ({ name, body })),
    { name: 'k8s/link.yaml', type: 'symlink', linkname: '/etc/passwd' },
  ]);
  for (const [kind, buf] of [['tar', t], ['gzip', gzipSync(t)], ['zip', await zipOf(entries)]] as const) {
    const c = await readArchive(buf, kind, SMALL);
    assert.deepEqual(c.files.map((f) => f.path), ['Dockerfile', 'k8s/pod.yaml'], kind);
    assert.equal(c.files[1]!.text, POD);
    assert.equal(c.suppressions?.text, 'suppressions: []\n', kind);
    if (kind !== 'zip') assert.deepEqual(c.problems, [{ path: 'k8s/link.yaml', reason: 'a link in the archive: not followed' }]);
  }
});

test('strip drops leading folders, as tar --strip-components', async () => {
  const c = await readArchive(await tarOf([{ name: 'repo-abc123/k8s/pod.yaml', body: POD }, { name: 'repo-abc123/.vigil-posture.yaml', body: 'suppressions: []\n' }]), 'tar', SMALL, 1);
  assert.deepEqual(c.files.map((f) => f.path), ['k8s/pod.yaml']);
  assert.ok(c.suppressions);
});

test('files over the size or depth limit and files that are not UTF-8 are reported, not dropped', async () => {
  const c = await readArchive(
    await tarOf([
      { name: 'big.yaml', body: `# ${'x'.repeat(2000)}\n${POD}` },
      { name: 'a/b/c/d/deep.yaml', body: POD },
      { name: 'latin1.yaml', body: Buffer.concat([Buffer.from(POD), Buffer.from([0xe9, 0x0a])]) },
      { name: 'ok.yaml', body: POD },
    ]),
    'tar',
    SMALL,
  );
  assert.deepEqual(c.files.map((f) => f.path), ['ok.yaml']);
  assert.deepEqual(
    c.problems.map((p) => [p.path, p.reason.split(';')[0]]),
    [
      ['big.yaml', `file is ${2003 + POD.length} bytes, over the 1024-byte limit`],
      ['a/b/c/d/deep.yaml', 'deeper than 3 levels'],
      ['latin1.yaml', 'not valid UTF-8'],
    ],
  );
});

test('hostile archives are refused: traversal, absolute paths, too many entries, bombs, corrupt data', async () => {
  assert.equal((await failure(readArchive(await tarOf([{ name: '../evil.yaml', body: POD }]), 'tar', SMALL))).failure, 'traversal');
  assert.equal((await failure(readArchive(await tarOf([{ name: 'a/../../evil.yaml', body: POD }]), 'tar', SMALL))).failure, 'traversal');
  assert.equal((await failure(readArchive(await tarOf([{ name: '/etc/evil.yaml', body: POD }]), 'tar', SMALL))).failure, 'traversal');
  // A zip whose member climbs out: built as aa/… and patched to ../… (yazl refuses such names).
  const zip = await zipOf({ 'aa/evil.yaml': POD });
  const patched = Buffer.from(zip.toString('latin1').replaceAll('aa/evil.yaml', '../evil.yaml'), 'latin1');
  assert.equal((await failure(readArchive(patched, 'zip', SMALL))).failure, 'traversal');

  const many = Array.from({ length: 11 }, (_, i) => ({ name: `f${i}.txt`, body: 'x' }));
  assert.equal((await failure(readArchive(await tarOf(many), 'tar', SMALL))).failure, 'too-many-entries');
  assert.equal((await failure(readArchive(await zipOf(Object.fromEntries(many.map((m) => [m.name, m.body]))), 'zip', SMALL))).failure, 'too-many-entries');

  // Bombs: a gzip stream inflating past the limit, members declaring more than the limit.
  assert.equal((await failure(readArchive(gzipSync(Buffer.alloc(SMALL.maxTotalBytes * 4)), 'gzip', SMALL))).failure, 'too-large');
  assert.equal((await failure(readArchive(await zipOf({ 'zeros.bin': Buffer.alloc(SMALL.maxTotalBytes + 1) }), 'zip', SMALL))).failure, 'too-large');
  // A member whose header declares more than the limit is refused before its data is read.
  const declared = (await tarOf([{ name: 'big.yaml', body: Buffer.alloc(SMALL.maxTotalBytes + 1) }])).subarray(0, 1024);
  assert.equal((await failure(readArchive(declared, 'tar', SMALL))).failure, 'too-large');

  assert.equal((await failure(readArchive(Buffer.from('PK\x03\x04 not really a zip'), 'zip', SMALL))).failure, 'corrupt');
  assert.equal((await failure(readArchive(gzipSync('{"findings":[]}'), 'gzip', SMALL))).failure, 'corrupt');
  assert.equal((await failure(readArchive(gzipSync(Buffer.from('x')).subarray(0, 8), 'gzip', SMALL))).failure, 'corrupt');
});

test('an empty tar and an empty zip hold no files', async () => {
  assert.deepEqual((await readArchive(await tarOf([]), 'tar', SMALL)).files, []);
  assert.deepEqual((await readArchive(await zipOf({}), 'zip', SMALL)).files, []);
});
