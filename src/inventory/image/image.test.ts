import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { Inventory, Package } from '../model.js';
import type { InventoryReader } from '../reader.js';
import { OS_READERS } from '../readers/os.js';
import { dockerSave, ociLayout, sha256, tarOf } from './__fixtures__/build-image.js';
import { isImageTar, readImageTar } from './index.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-image-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const save = (bytes: Uint8Array): string => {
  const p = join(dir, `image-${n++}.tar`);
  writeFileSync(p, bytes);
  return p;
};

/** A stand-in language reader: `name@version` lines in `test.lock`, with a companion `test.meta` beside it. */
const testLock: InventoryReader = {
  id: 'test-lock',
  title: 'test lockfile',
  matches: (p) => p === 'test.lock' || p.endsWith('/test.lock'),
  read: ({ path, text, readFile }) => {
    const meta = readFile?.(path.replace(/test\.lock$/, 'test.meta'))?.trim();
    const packages: Package[] = text
      .split('\n')
      .filter((l) => l.includes('@'))
      .map((l) => {
        const [name, version] = l.trim().split('@') as [string, string];
        const purl = `pkg:generic/${name}@${version}`;
        return { id: purl, name, version, ecosystem: 'test', purl, location: { file: path }, properties: meta ? { meta } : undefined };
      });
    return { packages, edges: [], problems: [] };
  },
};
const READERS = [...OS_READERS, testLock];

const stanza = (name: string, version: string, source?: string): string =>
  `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\n${source ? `Source: ${source}\n` : ''}Version: ${version}\n`;
const STATUS_0 = [stanza('base-files', '12.4+deb12u5'), stanza('libc6', '2.36-9+deb12u4', 'glibc')].join('\n');
const STATUS_1 = [STATUS_0, stanza('curl', '7.88.1-10+deb12u5')].join('\n');

async function debianImage(layout: 'legacy' | 'blobs'): Promise<{ path: string; diffIds: string[]; layerPaths: string[] }> {
  const l0 = await tarOf([
    { name: 'usr/', type: 'directory' },
    { name: 'usr/lib/os-release', content: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n' },
    { name: 'etc/os-release', type: 'symlink', linkname: '../usr/lib/os-release' },
    { name: 'var/lib/dpkg/status', content: STATUS_0 },
    { name: 'opt/old/test.lock', content: 'gone@1.0\n' },
    { name: 'srv/a/test.lock', content: 'hidden@2.0\n' },
    { name: 'app/test.lock', content: 'left-pad@1.3.0\n' },
    { name: 'app/test.meta', content: 'meta-v1\n' },
  ]);
  const l1 = await tarOf([
    { name: 'var/lib/dpkg/status', content: STATUS_1 },
    { name: 'opt/.wh.old' },
    { name: 'srv/.wh..wh..opq' },
    { name: 'srv/b/test.lock', content: 'visible@3.0\n' },
    { name: 'app/test.lock', content: 'left-pad@1.3.0\nlodash@4.17.21\n' },
    { name: 'hard/test.lock', type: 'link', linkname: 'app/test.lock' },
    { name: 'loop/test.lock', type: 'symlink', linkname: '../loop/test.lock' },
    { name: 'dangling/test.lock', type: 'symlink', linkname: '/nowhere/test.lock' },
    { name: '../../escape/test.lock', content: 'evil@6.6.6\n' },
    { name: 'fifo', type: 'fifo' },
  ]);
  const diffIds = [sha256(l0), sha256(l1)];
  const { tar, layerPaths } = await dockerSave({
    layers: [
      { blob: l0, diffId: diffIds[0]! },
      { blob: gzipSync(l1), diffId: diffIds[1]! },
    ],
    repoTag: 'example.org/team/app:1.0',
    history: [{ created_by: 'ADD rootfs.tar /' }, { created_by: 'ENV A=b', empty_layer: true }, { created_by: 'RUN apt-get install -y curl' }],
    layout,
  });
  return { path: save(tar), diffIds, layerPaths };
}

const summary = (inv: Inventory): string[] => inv.packages.map((p) => `${p.name}@${p.version} L${p.layer?.index ?? '?'}`).sort();

for (const layout of ['legacy', 'blobs'] as const) {
  test(`docker save (${layout}): whiteouts, OS, layer attribution, companions, links`, async () => {
    const { path, diffIds, layerPaths } = await debianImage(layout);
    assert.equal(await isImageTar(path), true);
    const inv = await readImageTar(path, { readers: READERS });
    assert.deepEqual(inv.source, { kind: 'image', name: 'example.org/team/app', version: '1.0' });
    assert.deepEqual(inv.os, { id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    const digests = layout === 'blobs' ? layerPaths.map((p) => `sha256:${p.slice('blobs/sha256/'.length)}`) : diffIds;
    assert.deepEqual(inv.layers, [
      { digest: digests[0], index: 0, createdBy: 'ADD rootfs.tar /' },
      { digest: digests[1], index: 1, createdBy: 'RUN apt-get install -y curl' },
    ]);
    assert.deepEqual(summary(inv), [
      'base-files@12.4+deb12u5 L0',
      'curl@7.88.1-10+deb12u5 L1',
      'left-pad@1.3.0 L0', // app/test.lock: present since layer 0
      'left-pad@1.3.0 L1', // hard/test.lock, a hardlink made in layer 1
      'libc6@2.36-9+deb12u4 L0',
      'lodash@4.17.21 L1',
      'lodash@4.17.21 L1',
      'visible@3.0 L1', // srv/ made opaque in layer 1: hidden@2.0 is gone; opt/old whited out: gone@1.0 too
    ]);
    const curl = inv.packages.find((p) => p.name === 'curl')!;
    assert.equal(curl.ecosystem, 'Debian:12');
    assert.equal(curl.purl, 'pkg:deb/debian/curl@7.88.1-10+deb12u5?arch=amd64&distro=debian-12');
    assert.deepEqual(curl.location, { file: `${layerPaths[1]}!var/lib/dpkg/status`, line: 12 });
    assert.deepEqual(curl.layer, inv.layers[1]);
    const lodash = inv.packages.find((p) => p.name === 'lodash')!;
    assert.deepEqual(lodash.properties, { meta: 'meta-v1' }, 'the companion test.meta was fetched from layer 0 for the reader');
    assert.equal(new Set(inv.packages.map((p) => p.id)).size, inv.packages.length, 'ids unique across files');
    const files = inv.files.map((f) => `${f.path.split('!')[1]} ${f.reader} ${f.packages}`).sort();
    assert.deepEqual(files, ['app/test.lock test-lock 2', 'hard/test.lock test-lock 2', 'srv/b/test.lock test-lock 1', 'var/lib/dpkg/status dpkg-status 3']);
    const problems = inv.problems.map((p) => `${p.severity} ${p.location.file} ${p.message}`);
    assert.ok(problems.some((m) => m.startsWith('warning loop/test.lock symlink loop')), problems.join('\n'));
    assert.ok(problems.some((m) => m.startsWith('warning dangling/test.lock dangling symlink')), problems.join('\n'));
    assert.ok(problems.some((m) => m.includes('layer 1: 1 entry with names climbing out of the root (e.g. "../../escape/test.lock") ignored')), problems.join('\n'));
    assert.equal(inv.problems.filter((p) => p.severity === 'error').length, 0, problems.join('\n'));
  });
}

const ZSTD_LAYER = Buffer.from(
  'KLUv/WQAD00HALJKIxlQ1wOzAmJVVBZCCQz40yRBimR8bCPTFRsSBlLcjGtWPbVzXpyE9h14qqnQPUjTtgOWBhjUnpDzHq5ITS5HwhGZgyYQQD7I3IFt9+P7t6umJtNLLWfkxXkYV37vi28kXZfTcVml48T7td6xPlG1Nqc+1RX/Y3c6zosf535s7fw4cw7+P0adhlHqoxXqpCEgwEZGjtIckqj1D8rcUgfZKgaE7wBS2sO2MhkrxvXJh+Ikhh0ue4H5eBu3hVFy48s3DRmKlTFq5ghuA5ietWrRzYEDTEmaFIBFAEs6AKX37uwKIHgdNM0vyTtzXg==',
  'base64',
); // made once with `zstd -19` (Node 20 has no zstd compressor): etc/.wh.motd, lib/apk/db/installed (musl, busybox, curl), usr/bin/curl

async function alpineImage(): Promise<{ tar: Buffer; layerDigests: string[][] }> {
  const l0 = gzipSync(
    await tarOf([
      { name: 'etc/alpine-release', content: '3.19.1\n' },
      { name: 'etc/os-release', content: 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n' },
      { name: 'etc/motd', content: 'hello\n' },
      { name: 'lib/apk/db/installed', content: 'P:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\n\nP:busybox\nV:1.36.1-r15\nA:x86_64\no:busybox\n' },
    ]),
  );
  const gz = 'application/vnd.oci.image.layer.v1.tar+gzip';
  return ociLayout(
    [
      { platform: { os: 'linux', architecture: 'amd64' }, layers: [{ blob: l0, mediaType: gz }, { blob: ZSTD_LAYER, mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' }], history: [{ created_by: 'ADD alpine' }, { created_by: 'RUN apk add curl' }] },
      { platform: { os: 'linux', architecture: 'arm64' }, layers: [{ blob: l0, mediaType: gz }] },
    ],
    'docker.io/library/alpine-curl:3.19',
  );
}

test('OCI layout: nested index, platform choice, gzip and zstd layers, Alpine release', async () => {
  const { tar, layerDigests } = await alpineImage();
  const path = save(tar);
  assert.equal(await isImageTar(path), true);
  const inv = await readImageTar(path, { readers: READERS, platform: 'linux/amd64' });
  assert.deepEqual(inv.source, { kind: 'image', name: 'docker.io/library/alpine-curl', version: '3.19' });
  assert.equal(inv.os?.id, 'alpine');
  assert.deepEqual(inv.layers?.map((l) => l.digest), layerDigests[0]);
  assert.deepEqual(summary(inv), ['busybox@1.36.1-r15 L0', 'curl@8.5.0-r0 L1', 'musl@1.2.4_git20230717-r4 L0']);
  assert.ok(inv.packages.every((p) => p.ecosystem === 'Alpine:v3.19'));
  assert.equal(inv.packages.find((p) => p.name === 'curl')!.layer?.createdBy, 'RUN apk add curl');
  assert.deepEqual(inv.problems, []);

  const arm = await readImageTar(path, { readers: READERS, platform: 'linux/arm64' });
  assert.deepEqual(summary(arm), ['busybox@1.36.1-r15 L0', 'musl@1.2.4_git20230717-r4 L0']);
  const auto = await readImageTar(path, { readers: READERS });
  assert.ok(auto.problems.some((p) => p.severity === 'warning' && /lists 2 platforms \(linux\/amd64, linux\/arm64\)/.test(p.message)), JSON.stringify(auto.problems));
  const none = await readImageTar(path, { readers: READERS, platform: 'linux/s390x' });
  assert.match(none.problems[0]!.message, /no image for platform linux\/s390x/);
});

test('gzip-compressed image tar and default readers', async () => {
  const { tar } = await alpineImage();
  const inv = await readImageTar(save(gzipSync(tar)), { platform: 'linux/amd64' });
  assert.deepEqual(summary(inv), ['busybox@1.36.1-r15 L0', 'curl@8.5.0-r0 L1', 'musl@1.2.4_git20230717-r4 L0']);
});

test('hostile and broken input gives problems, never an exception', async () => {
  const errorOf = async (bytes: Uint8Array | undefined, options = {}): Promise<string> => {
    const inv = await readImageTar(bytes === undefined ? join(dir, 'missing.tar') : save(bytes), { readers: READERS, ...options });
    const e = inv.problems.find((p) => p.severity === 'error');
    assert.ok(e, `an error problem expected, got ${JSON.stringify(inv.problems)}`);
    return e.message;
  };
  assert.match(await errorOf(undefined), /cannot open the image tar/);
  assert.match(await errorOf(new Uint8Array(0)), /no manifest.json/);
  assert.match(await errorOf(Buffer.from('this is not a tar file at all, just some text '.repeat(40))), /not a tar archive/);
  assert.match(await errorOf(await tarOf([{ name: 'hello.txt', content: 'hi' }])), /not a container image tar/);
  assert.match(await errorOf(await tarOf([{ name: 'manifest.json', content: '{"not": "a list"}' }])), /manifest.json: \/: /);
  assert.match(await errorOf(await tarOf([{ name: 'manifest.json', content: '[{"Config":"c.json","Layers":["../../etc/passwd"]}]' }])), /invalid path/);

  const { path } = await debianImage('legacy');
  const whole = (await import('node:fs')).readFileSync(path);
  assert.match(await errorOf(whole.subarray(0, Math.floor(whole.length / 2))), /truncated|missing|no manifest/);

  // A member claiming 8 GiB, then the file ends.
  const huge = Buffer.from(await tarOf([{ name: 'big.bin', content: 'x' }]));
  huge.write('77777777777\0', 124, 'ascii');
  let sum = 0;
  huge.fill(' ', 148, 156);
  for (let i = 0; i < 512; i++) sum += huge[i]!;
  huge.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  assert.match(await errorOf(huge.subarray(0, 1024)), /not a tar archive|truncated/);

  // A layer cut short, and a layer that is not a tar at all.
  const l0 = gzipSync(await tarOf([{ name: 'var/lib/dpkg/status', content: STATUS_0 }]));
  const cut = await dockerSave({ layers: [{ blob: l0.subarray(0, l0.length - 20), diffId: 'sha256:00' }] });
  assert.match(await errorOf(cut.tar), /layer 0: layer is truncated or not a valid tar/);
  const junk = await dockerSave({ layers: [{ blob: Buffer.from('junk'.repeat(300)), diffId: 'sha256:00' }] });
  assert.match(await errorOf(junk.tar), /layer 0: layer is truncated or not a valid tar/);
  const missing = await dockerSave({ layers: [{ blob: l0, diffId: 'sha256:00' }] });
  const noLayer = await tarOf([{ name: 'manifest.json', content: '[{"Config":"c.json","Layers":["gone/layer.tar"]}]' }]);
  assert.match(await errorOf(noLayer), /layer 0 is missing/);

  // Limits are warnings naming the file.
  const small = await readImageTar(save(missing.tar), { readers: READERS, maxFileBytes: 10 });
  assert.deepEqual(small.packages, []);
  assert.ok(small.problems.some((p) => p.severity === 'warning' && /var\/lib\/dpkg\/status is \d+ bytes, over the 10-byte limit/.test(p.message)), JSON.stringify(small.problems));
  const few = await readImageTar(save(missing.tar), { readers: READERS, maxLayerEntries: 0 });
  assert.ok(few.problems.some((p) => /more than 0 entries/.test(p.message)));
});

test('isImageTar: cheap and false for anything else', async () => {
  assert.equal(await isImageTar(join(dir, 'nope.tar')), false);
  assert.equal(await isImageTar(dir), false);
  assert.equal(await isImageTar(save(await tarOf([{ name: 'manifest.json', content: '[]' }]))), false, 'manifest.json alone is not enough');
  assert.equal(await isImageTar(save(Buffer.from('hello'))), false);
  assert.equal(await isImageTar(save(gzipSync(await tarOf([{ name: 'oci-layout', content: '{}' }])))), false, 'compressed tars are not looked into');
  assert.equal(await isImageTar(save(await tarOf([{ name: 'x/', type: 'directory' }, { name: 'oci-layout', content: '{}' }]))), true);
});
