import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { buildRpmdb, rpmHeader } from '../formats/rpm-sqlite/__fixtures__/build-rpmdb.js';
import type { Package } from '../model.js';
import type { InventoryReader } from '../reader.js';
import { OS_READERS } from '../readers/os.js';
import { readSingleFile, walkDirectory } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-walk-'));
after(() => rmSync(root, { recursive: true, force: true }));
const put = (rel: string, content: string | Uint8Array): void => {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), content);
};

/** `name@version` lines; reports what its companion reads returned, to test readFile's refusals. */
const testLock: InventoryReader = {
  id: 'test-lock',
  title: 'test lockfile',
  matches: (p) => p === 'test.lock' || p.endsWith('/test.lock'),
  read: ({ path, text, readFile }) => {
    if (text.startsWith('CRASH')) throw new Error('reader bug');
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    const probe = (p: string): string => (readFile?.(p) === undefined ? 'refused' : 'read');
    const properties = { meta: readFile?.(`${dir}test.meta`)?.trim() ?? 'none', escape: probe(`${dir}../../../outside.txt`), absolute: probe('/etc/hostname'), dotdot: probe('../outside.txt') };
    const packages: Package[] = text
      .split('\n')
      .filter((l) => l.includes('@'))
      .map((l) => {
        const [name, version] = l.trim().split('@') as [string, string];
        const purl = `pkg:generic/${name}@${version}`;
        return { id: purl, name, version, ecosystem: 'test', purl, location: { file: path }, properties };
      });
    return { packages, edges: [], problems: [] };
  },
};
const READERS = [...OS_READERS, testLock];

put('outside.txt', 'secret');
const ROOT = join(root, 'scan');
const scan = (rel: string, content: string | Uint8Array): void => put(`scan/${rel}`, content);
scan('rootfs/etc/os-release', 'ID=debian\nVERSION_ID="12"\n');
scan('rootfs/var/lib/dpkg/status', 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n');
scan('alpine/etc/alpine-release', '3.20.3\n');
scan('alpine/lib/apk/db/installed', 'P:musl\nV:1.2.5-r0\nA:x86_64\n');
scan('proj/test.lock', 'lodash@4.17.21\n');
scan('proj/test.meta', 'from-companion\n');
scan('proj/sub/test.lock', 'lodash@4.17.21\n');
scan('proj/node_modules/dep/test.lock', 'skipped@1\n');
scan('proj/.git/test.lock', 'skipped@2\n');
scan('big/test.lock', `big@1\n${'x'.repeat(50_000)}`);
scan('crash/test.lock', 'CRASH');
scan(`${Array.from({ length: 6 }, (_, i) => `d${i}`).join('/')}/test.lock`, 'deep@1\n');
mkdirSync(join(ROOT, 'link'));
symlinkSync('../proj/test.lock', join(ROOT, 'link/test.lock'));
mkdirSync(join(ROOT, 'out'));
symlinkSync(join(root, 'outside.txt'), join(ROOT, 'out/test.lock'));
execFileSync('mkfifo', [join(ROOT, 'fifo-dir')]);
mkdirSync(join(ROOT, 'fifo'));
execFileSync('mkfifo', [join(ROOT, 'fifo', 'test.lock')]);
const rpmRoot = 'rocky';
scan(`${rpmRoot}/etc/os-release`, 'ID="rocky"\nVERSION_ID="9.3"\n');

test('walkDirectory finds, reads and combines; limits and refusals are problems', async () => {
  scan(`${rpmRoot}/var/lib/rpm/rpmdb.sqlite`, await buildRpmdb([rpmHeader({ name: 'bash', version: '5.1.8', release: '6.el9', arch: 'x86_64' })]));
  const progress: [number, number][] = [];
  const inv = await walkDirectory(ROOT, { readers: READERS, maxDepth: 5, maxFileBytes: 32_768, onProgress: (d, t) => progress.push([d, t]) });
  assert.equal(inv.source.kind, 'directory');
  const got = inv.packages.map((p) => `${p.location.file} ${p.name}@${p.version} ${p.ecosystem}`).sort();
  assert.deepEqual(got, [
    'alpine/lib/apk/db/installed musl@1.2.5-r0 Alpine:v3.20',
    'link/test.lock lodash@4.17.21 test',
    'proj/sub/test.lock lodash@4.17.21 test',
    'proj/test.lock lodash@4.17.21 test',
    'rocky/var/lib/rpm/rpmdb.sqlite bash@5.1.8-6.el9 Rocky Linux:9',
    'rootfs/var/lib/dpkg/status bash@5.2.15-2+b2 Debian:12',
  ]);
  const lodash = inv.packages.filter((p) => p.name === 'lodash');
  assert.deepEqual(lodash.map((p) => p.id).sort(), ['pkg:generic/lodash@4.17.21', 'pkg:generic/lodash@4.17.21#2', 'pkg:generic/lodash@4.17.21#3']);
  const top = lodash.find((p) => p.location.file === 'proj/test.lock')!;
  assert.deepEqual(top.properties, { meta: 'from-companion', escape: 'refused', absolute: 'refused', dotdot: 'refused' });

  const problems = inv.problems.map((p) => `${p.severity} ${p.location.file}: ${p.message}`);
  const expect = (needle: RegExp): void => assert.ok(problems.some((m) => needle.test(m)), `${needle} in\n${problems.join('\n')}`);
  expect(/^warning d0\/d1\/d2\/d3\/d4\/d5: directory is deeper than 5 levels/);
  expect(/^warning big\/test.lock: file is \d+ bytes, over the 32768-byte limit/);
  expect(/^error crash\/test.lock: reader crashed: reader bug/);
  expect(/^warning out\/test.lock: symlink points outside the scanned directory/);
  expect(/^warning fifo\/test.lock: not a regular file/);
  assert.ok(!problems.some((m) => m.includes('node_modules') || m.includes('.git')));
  assert.equal(inv.files.length, 7); // 8 found, big/test.lock over the limit
  assert.deepEqual(progress.at(-1), [8, 8]);
  assert.deepEqual(progress[0], [0, 8]);
});

test('walk limits: file count and entry count are warnings', async () => {
  const few = await walkDirectory(ROOT, { readers: READERS, maxFiles: 2 });
  assert.equal(few.files.length, 2);
  assert.ok(few.problems.some((p) => p.severity === 'warning' && /more than 2 files to read/.test(p.message)));
  const entries = await walkDirectory(ROOT, { readers: READERS, maxEntries: 3 });
  assert.ok(entries.problems.some((p) => /stopped after examining 3 directory entries/.test(p.message)));
  const everything = await walkDirectory(ROOT, { readers: READERS, skipDirs: [] });
  assert.ok(everything.packages.some((p) => p.name === 'skipped'));
  const missing = await walkDirectory(join(root, 'nope'), { readers: READERS });
  assert.equal(missing.problems[0]!.severity, 'error');
});

test('readSingleFile picks the root that lets the reader match, and finds companions there', async () => {
  const dpkg = await readSingleFile(join(ROOT, 'rootfs/var/lib/dpkg/status'), { readers: READERS });
  assert.equal(dpkg.source.kind, 'file');
  assert.deepEqual(dpkg.packages.map((p) => `${p.location.file} ${p.ecosystem}`), ['var/lib/dpkg/status Debian:12']);
  const lock = await readSingleFile(join(ROOT, 'proj/test.lock'), { readers: READERS });
  assert.equal(lock.packages[0]!.properties?.['meta'], 'from-companion');
  assert.equal(lock.files[0]!.path, 'test.lock');
  const forced = await readSingleFile(join(ROOT, 'proj/test.meta'), { readers: READERS, reader: 'test-lock' });
  assert.deepEqual(forced.problems, []);
  const unknown = await readSingleFile(join(ROOT, 'proj/test.meta'), { readers: READERS });
  assert.match(unknown.problems[0]!.message, /no inventory reader recognises/);
  const gone = await readSingleFile(join(ROOT, 'proj/none/test.lock'), { readers: READERS });
  assert.match(gone.problems[0]!.message, /cannot open/);
  const fifo = await readSingleFile(join(ROOT, 'fifo/test.lock'), { readers: READERS });
  assert.match(fifo.problems[0]!.message, /not a regular file/);
  const badId = await readSingleFile(join(ROOT, 'proj/test.lock'), { readers: READERS, reader: 'nope' });
  assert.match(badId.problems[0]!.message, /no reader with id "nope"/);
});
