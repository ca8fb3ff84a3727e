import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apkInstalledReader } from './index.js';
import { parseApkInstalled } from './parse.js';

const CTX = { ecosystem: 'Alpine:v3.20', vendor: 'alpine' };
const PATH = 'lib/apk/db/installed';

const DB = `C:Q1Ef3iwt+cMdGngEgaFr2URIJhKzQ=
P:apk-tools
V:2.12.10-r1
A:x86_64
L:GPL-2.0-only
o:apk-tools
c:0188f510baadbae393472103427b9c1875117136
D:musl>=1.2 ca-certificates-bundle so:libc.musl-x86_64.so.1 !conflicting
p:so:libapk.so.3.12.0=3.12.0 cmd:apk=2.12.10-r1
F:sbin
R:apk

P:musl
V:1.2.5-r0
A:x86_64
L:MIT
o:musl
p:so:libc.musl-x86_64.so.1=1

P:libcrypto3
V:3.3.1-r0
A:x86_64
L:Apache-2.0
o:openssl
D:so:libc.musl-x86_64.so.1
`;

test('records become packages with origin, commit, licence, arch and edges', () => {
  const r = parseApkInstalled(DB, PATH, CTX);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['apk-tools@2.12.10-r1', 'musl@1.2.5-r0', 'libcrypto3@3.3.1-r0']);
  const [apk, musl, crypto] = r.packages;
  assert.equal(apk!.purl, 'pkg:apk/alpine/apk-tools@2.12.10-r1?arch=x86_64');
  assert.equal(apk!.ecosystem, 'Alpine:v3.20');
  assert.equal(apk!.commit, '0188f510baadbae393472103427b9c1875117136');
  assert.deepEqual(apk!.licenses, ['GPL-2.0-only']);
  assert.deepEqual(apk!.properties, { 'apk:checksum': 'Q1Ef3iwt+cMdGngEgaFr2URIJhKzQ=' });
  assert.deepEqual(apk!.location, { file: PATH, line: 2 });
  assert.equal(crypto!.sourceName, 'openssl');
  assert.equal(crypto!.sourceVersion, '3.3.1-r0');
  assert.equal(musl!.commit, undefined);
  assert.deepEqual(r.edges, [
    { from: apk!.id, to: musl!.id },
    { from: crypto!.id, to: musl!.id }, // through musl's so: provide
  ]);
});

test('field order inside a record does not matter', () => {
  const shuffled = 'V:1.0-r0\nF:etc\no:zlib\nA:aarch64\nP:zlib\n';
  const r = parseApkInstalled(shuffled, PATH, CTX);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['zlib@1.0-r0']);
  assert.equal(r.packages[0]!.location.line, 5);
});

test('malformed records: nameless ones skipped, versionless kept, both reported', () => {
  const text = ['', 'This is not apk', '', 'V:1.0', 'o:openssl', '', 'nothing here:', 'F:sbin', '', 'P:busybox', 'c:1dbf7a79'].join('\n');
  const r = parseApkInstalled(text, PATH, CTX);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['busybox@']);
  assert.equal(r.packages[0]!.commit, '1dbf7a79');
  const messages = r.problems.map((p) => `${p.location.line}: ${p.message}`);
  assert.ok(r.problems.every((p) => p.severity === 'warning'));
  for (const [line, needle] of [
    [2, 'expected a `K:value` line'],
    [4, 'no P: (package name)'],
    [7, 'expected a `K:value` line'],
    [8, 'no P: (package name)'],
    [10, '"busybox" has no V:'],
  ] as const) {
    assert.ok(messages.some((m) => m.startsWith(`${line}: `) && m.includes(needle)), `line ${line}: ${needle} in\n${messages.join('\n')}`);
  }
});

test('a second P: in a record starts a new one', () => {
  const r = parseApkInstalled('P:a\nV:1\nP:b\nV:2\n', PATH, CTX);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['a@1', 'b@2']);
  assert.match(r.problems[0]!.message, /second P:/);
});

test('empty input: nothing; not an apk database: one error', () => {
  assert.deepEqual(parseApkInstalled('', PATH, CTX), { packages: [], edges: [], problems: [] });
  assert.deepEqual(parseApkInstalled('\r\n\n', PATH, CTX), { packages: [], edges: [], problems: [] });
  const r = parseApkInstalled('{"not": "apk"}\n<xml/>\n', PATH, CTX);
  assert.deepEqual(r.packages, []);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.severity, 'error');
});

test('hostile input: warnings capped, linear on large databases', () => {
  const junk = Array.from({ length: 2000 }, () => 'zz'.repeat(5000)).join('\n');
  const r = parseApkInstalled(`${junk}\nP:ok\nV:1\n`, PATH, CTX);
  assert.deepEqual(r.packages.map((p) => p.name), ['ok']);
  assert.equal(r.problems.length, 51);
  const big = Array.from({ length: 50_000 }, (_, i) => `P:p${i}\nV:1.${i}-r0\nA:x86_64\nD:p${i + 1} so:libc\np:so:lib${i}=1\nF:usr\nR:file\nZ:Q1abc=\n`).join('\n');
  const t0 = performance.now();
  const b = parseApkInstalled(big, PATH, CTX);
  assert.equal(b.packages.length, 50_000);
  assert.equal(b.edges.length, 49_999);
  assert.ok(performance.now() - t0 < 5000);
});

test('the reader: release from etc/alpine-release, else os-release, else v3.20 with a warning', () => {
  const files: Record<string, string> = {
    'a/etc/alpine-release': '3.19.1\n',
    'b/etc/os-release': 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.18.6\n',
    'w/etc/os-release': 'ID=wolfi\nNAME="Wolfi"\n',
    'e/etc/alpine-release': '3.21_alpha20240807\n',
  };
  const readFile = (p: string): string | undefined => files[p];
  const text = 'P:musl\nV:1.2.5-r0\nA:x86_64\n';
  const at = (root: string): ReturnType<typeof apkInstalledReader.read> => apkInstalledReader.read({ path: `${root}lib/apk/db/installed`, text, readFile });
  assert.equal(at('a/').packages[0]!.ecosystem, 'Alpine:v3.19');
  assert.deepEqual(at('a/').problems, []);
  assert.equal(at('b/').packages[0]!.ecosystem, 'Alpine:v3.18');
  assert.equal(at('b/').packages[0]!.purl, 'pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.18.6');
  assert.equal(at('w/').packages[0]!.ecosystem, 'Wolfi');
  assert.equal(at('w/').packages[0]!.purl, 'pkg:apk/wolfi/musl@1.2.5-r0?arch=x86_64');
  assert.equal(at('e/').packages[0]!.ecosystem, 'Alpine:v3.21');
  const none = at('');
  assert.equal(none.packages[0]!.ecosystem, 'Alpine:v3.20');
  assert.equal(none.problems.length, 1);
  assert.equal(none.problems[0]!.severity, 'warning');
  assert.match(none.problems[0]!.message, /Alpine release unknown/);
  assert.equal(apkInstalledReader.matches('lib/apk/db/installed'), true);
  assert.equal(apkInstalledReader.matches('x/y/lib/apk/db/installed'), true);
  assert.equal(apkInstalledReader.matches('lib/apk/db/installed.old'), false);
  assert.equal(apkInstalledReader.matches('xlib/apk/db/installed'), false);
});
