import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildRpmdb, encodeHeader, rpmHeader } from './__fixtures__/build-rpmdb.js';
import { rpmSqliteReader } from './index.js';
import { decodeHeader, packagesFromHeaders, parseSourceRpm, TAG, TYPE } from './parse.js';

const BASH = { name: 'bash', version: '5.1.8', release: '9.el9', arch: 'x86_64', license: 'GPLv3+', sourceRpm: 'bash-5.1.8-9.el9.src.rpm', requires: ['libc.so.6()(64bit)', '/bin/sh', 'rpmlib(CompressedFileNames)'] };
const GLIBC = { name: 'glibc', version: '2.34', release: '100.el9', epoch: 1, arch: 'x86_64', license: 'LGPLv2+', sourceRpm: 'glibc-2.34-100.el9.src.rpm', provides: ['glibc', 'libc.so.6()(64bit)'] };
const KEY = { name: 'gpg-pubkey', version: 'fd431d51', release: '4ae0493b' };
const CTX = { ecosystem: 'AlmaLinux:9', vendor: 'almalinux', distro: 'almalinux-9.4' };
const PATH = 'var/lib/rpm/rpmdb.sqlite';

test('decodeHeader reads the tags, stepping over the region tag and other types', () => {
  const r = decodeHeader(rpmHeader(GLIBC));
  assert.ok(r.ok);
  assert.equal(r.header.name, 'glibc');
  assert.equal(r.header.epoch, 1);
  assert.equal(r.header.release, '100.el9');
  assert.deepEqual(r.header.provides, ['glibc', 'libc.so.6()(64bit)']);
  assert.deepEqual(r.header.requires, []);
});

test('packagesFromHeaders: epoch:version-release, source rpm, licence, purl, edges; gpg-pubkey left out', () => {
  const rows = [BASH, GLIBC, KEY].map((p, i) => ({ hnum: i + 1, blob: rpmHeader(p) }));
  const r = packagesFromHeaders(rows, PATH, CTX);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['bash@5.1.8-9.el9', 'glibc@1:2.34-100.el9']);
  const [bash, glibc] = r.packages;
  assert.equal(glibc!.purl, 'pkg:rpm/almalinux/glibc@1:2.34-100.el9?arch=x86_64&distro=almalinux-9.4');
  assert.equal(glibc!.ecosystem, 'AlmaLinux:9');
  assert.equal(bash!.sourceName, 'bash');
  assert.equal(bash!.sourceVersion, '5.1.8-9.el9');
  assert.deepEqual(bash!.licenses, ['GPLv3+']);
  assert.deepEqual(r.edges, [{ from: bash!.id, to: glibc!.id }]);
});

test('corrupt headers are problems for their row, the rest is kept', () => {
  const good = rpmHeader(BASH);
  const truncated = good.subarray(0, good.length - 10);
  const hugeCount = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
  const badOffset = encodeHeader([{ tag: TAG.NAME, type: TYPE.STRING, value: 'x' }]);
  new DataView(badOffset.buffer).setInt32(16, 4096);
  const negOffset = encodeHeader([{ tag: TAG.NAME, type: TYPE.STRING, value: 'x' }]);
  new DataView(negOffset.buffer).setInt32(16, -8);
  const unterminated = encodeHeader([{ tag: TAG.NAME, type: TYPE.STRING, value: 'abc' }]);
  unterminated[unterminated.length - 1] = 0x41; // the NUL
  const wrongType = encodeHeader([{ tag: TAG.NAME, type: TYPE.INT32, value: [7] }]);
  const arrayBomb = encodeHeader([{ tag: TAG.PROVIDENAME, type: TYPE.STRING_ARRAY, value: ['a'] }]);
  new DataView(arrayBomb.buffer).setUint32(20, 0xffffffff);
  const misalignedEpoch = encodeHeader([{ tag: TAG.NAME, type: TYPE.STRING, value: 'n' }, { tag: TAG.EPOCH, type: TYPE.INT32, value: [1] }]);
  new DataView(misalignedEpoch.buffer).setInt32(8 + 16 + 8, 1);
  const noName = encodeHeader([{ tag: TAG.VERSION, type: TYPE.STRING, value: '1' }]);
  const cases = [new Uint8Array(3), truncated, hugeCount, badOffset, negOffset, unterminated, wrongType, arrayBomb, misalignedEpoch, noName];
  for (const blob of cases) assert.equal(decodeHeader(blob).ok && blob !== noName, false);

  const rows = [good, ...cases].map((blob, i) => ({ hnum: i + 1, blob }));
  const r = packagesFromHeaders(rows, PATH, CTX);
  assert.deepEqual(r.packages.map((p) => p.name), ['bash']);
  assert.equal(r.problems.length, cases.length);
  assert.ok(r.problems.every((p) => p.severity === 'error' && p.location.file === PATH));
  assert.match(r.problems[0]!.message, /hnum=2: corrupt header: header blob is 3 bytes/);
  assert.match(r.problems[1]!.message, /truncated/);
  assert.match(r.problems.at(-1)!.message, /no NAME tag/);
});

test('parseSourceRpm', () => {
  assert.deepEqual(parseSourceRpm('glibc-2.34-100.el9.src.rpm'), { name: 'glibc', version: '2.34-100.el9' });
  assert.deepEqual(parseSourceRpm('python3-pip-21.3.1-1.el9.nosrc.rpm'), { name: 'python3-pip', version: '21.3.1-1.el9' });
  assert.equal(parseSourceRpm('nodashes.src.rpm'), undefined);
  assert.equal(parseSourceRpm('one-dash.src.rpm'), undefined);
});

test('the reader opens rpmdb.sqlite with sql.js and takes the OS from os-release', async () => {
  const bytes = await buildRpmdb([rpmHeader(BASH), rpmHeader(GLIBC), rpmHeader(KEY)]);
  const files: Record<string, string> = { 'etc/os-release': 'ID="almalinux"\nVERSION_ID="9.4"\n', 'r/usr/lib/os-release': 'ID=rhel\nVERSION_ID=9.4\n' };
  const readFile = (p: string): string | undefined => files[p];
  const alma = await rpmSqliteReader.read({ path: PATH, bytes, readFile });
  assert.deepEqual(alma.problems, []);
  assert.deepEqual(alma.packages.map((p) => `${p.ecosystem} ${p.purl}`), [
    'AlmaLinux:9 pkg:rpm/almalinux/bash@5.1.8-9.el9?arch=x86_64&distro=almalinux-9.4',
    'AlmaLinux:9 pkg:rpm/almalinux/glibc@1:2.34-100.el9?arch=x86_64&distro=almalinux-9.4',
  ]);
  const rhel = await rpmSqliteReader.read({ path: 'r/usr/lib/sysimage/rpm/rpmdb.sqlite', bytes, readFile });
  assert.equal(rhel.packages[0]!.ecosystem, 'Red Hat');
  assert.equal(rhel.packages[0]!.purl, 'pkg:rpm/redhat/bash@5.1.8-9.el9?arch=x86_64&distro=rhel-9.4');
  const alone = await rpmSqliteReader.read({ path: PATH, bytes });
  assert.equal(alone.packages.length, 2);
  assert.equal(alone.packages[0]!.ecosystem, '');
  assert.equal(alone.packages[0]!.purl, 'pkg:rpm/bash@5.1.8-9.el9?arch=x86_64');
  assert.deepEqual(alone.problems.map((p) => p.severity), ['warning']);
  assert.match(alone.problems[0]!.message, /OS is unknown/);
});

test('the reader: not SQLite, SQLite without Packages, empty, Berkeley DB → one error each', async () => {
  const notSqlite = await rpmSqliteReader.read({ path: PATH, bytes: new TextEncoder().encode('hello, not a database'.repeat(10)) });
  assert.match(notSqlite.problems[0]!.message, /not an SQLite database/);
  const empty = await rpmSqliteReader.read({ path: PATH, bytes: new Uint8Array(0) });
  assert.equal(empty.problems[0]!.severity, 'error');
  const noTable = await buildRpmdb([]).then(async (b) => {
    // A valid SQLite file whose header claims more pages than it has: SQLite reports corruption.
    const cut = b.subarray(0, 100 + 10);
    return rpmSqliteReader.read({ path: PATH, bytes: cut });
  });
  assert.equal(noTable.packages.length, 0);
  assert.equal(noTable.problems[0]!.severity, 'error');
  const emptyDb = await rpmSqliteReader.read({ path: PATH, bytes: await buildRpmdb([]) });
  assert.deepEqual(emptyDb, { packages: [], edges: [], problems: [] });
  const bdb = await rpmSqliteReader.read({ path: 'var/lib/rpm/Packages', bytes: new Uint8Array(4096) });
  assert.match(bdb.problems[0]!.message, /Berkeley DB rpm database is not supported/);
  assert.equal(bdb.problems[0]!.severity, 'error');
});

test('matches the three database locations, at any root', () => {
  for (const p of ['var/lib/rpm/rpmdb.sqlite', 'usr/lib/sysimage/rpm/rpmdb.sqlite', 'x/usr/share/rpm/rpmdb.sqlite', 'var/lib/rpm/Packages', 'usr/lib/sysimage/rpm/Packages.db']) {
    assert.equal(rpmSqliteReader.matches(p), true, p);
  }
  for (const p of ['rpmdb.sqlite', 'var/lib/rpm/rpmdb.sqlite-shm', 'var/lib/rpm/Name', 'home/var/lib/rpmx/rpmdb.sqlite']) assert.equal(rpmSqliteReader.matches(p), false, p);
});
