import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dpkgStatusReader } from './index.js';
import { parseDpkgStatus, parseSource } from './parse.js';

const CTX = { ecosystem: 'Debian', vendor: 'debian' };
const PATH = 'var/lib/dpkg/status';

const STATUS = `Package: libc6
Status: install ok installed
Architecture: amd64
Multi-Arch: same
Source: glibc
Version: 2.36-9+deb12u4
Depends: libgcc-s1
Description: GNU C Library: Shared libraries
 Contains the standard libraries that are used by nearly all programs on
 the system.

Package: bsdutils
Status: install ok installed
Architecture: amd64
Source: util-linux (2.38.1-5+b1)
Version: 1:2.38.1-5+b1
Pre-Depends: libc6 (>= 2.34),
 libsystemd0

Package: libgcc-s1
Status: deinstall ok installed
Architecture: amd64
Source: gcc-12
Version: 12.2.0-14
Provides: libgcc1 (= 1:12.2.0-14)
Depends: gcc-12-base (= 12.2.0-14), libc6 (>= 2.35)

Package: removed-thing
Status: deinstall ok config-files
Version: 1.0-1

Package: gone
Status: purge ok not-installed

Package: halfway
Status: install reinstreq half-installed
Version: 3.0-1
Depends: libgcc1 | libc6
`;

test('stanzas become packages with source, arch and edges', () => {
  const r = parseDpkgStatus(STATUS, PATH, CTX);
  assert.deepEqual(r.problems, []);
  assert.deepEqual(
    r.packages.map((p) => `${p.name}@${p.version}`),
    ['libc6@2.36-9+deb12u4', 'bsdutils@1:2.38.1-5+b1', 'libgcc-s1@12.2.0-14', 'halfway@3.0-1'],
  );
  const [libc, bsd, gcc, half] = r.packages;
  assert.equal(libc!.sourceName, 'glibc');
  assert.equal(libc!.sourceVersion, '2.36-9+deb12u4', 'Source without a version: the binary version');
  assert.equal(libc!.purl, 'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64');
  assert.equal(libc!.ecosystem, 'Debian');
  assert.deepEqual(libc!.location, { file: PATH, line: 1 });
  assert.equal(bsd!.sourceName, 'util-linux');
  assert.equal(bsd!.sourceVersion, '2.38.1-5+b1');
  assert.equal(bsd!.location.line, 12);
  assert.equal(gcc!.properties, undefined, 'deinstall ok installed is still installed');
  assert.deepEqual(half!.properties, { 'dpkg:status': 'install reinstreq half-installed' });
  assert.equal(half!.sourceName, 'halfway', 'no Source: the package is its own source');
  const edges = r.edges.map((e) => `${e.from} -> ${e.to}`);
  assert.deepEqual(edges, [
    `${libc!.id} -> ${gcc!.id}`,
    `${bsd!.id} -> ${libc!.id}`, // the folded Pre-Depends line is joined; libsystemd0 is not installed
    `${gcc!.id} -> ${libc!.id}`,
    `${half!.id} -> ${gcc!.id}`, // libgcc1 is provided by libgcc-s1
  ]);
});

test('distroless status.d stanzas (no Status field) count as installed', () => {
  const r = parseDpkgStatus('Package: tzdata\nVersion: 2024a-0+deb12u1\nArchitecture: all\n', 'var/lib/dpkg/status.d/tzdata', CTX);
  assert.deepEqual(r.packages.map((p) => p.name), ['tzdata']);
  assert.deepEqual(r.problems, []);
});

test('malformed stanzas: kept where identifiable, reported either way', () => {
  const text = [
    'Malformed header line',
    '',
    'Package: bash',
    'Status: install ok installed',
    '',
    'Status: install ok installed',
    'Source: util-linux (2.36.1-8+deb11u1)',
    'Version: 1:2.36.1-8+deb11u1',
    '',
    'Package: libc6',
    'Status: bad-status',
    'Version: 2.31',
    '',
    'Status: install ok installed',
    'Priority: optional',
    '',
    ' orphan continuation',
    'Package: x',
    'Status: install ok weird-state',
  ].join('\n');
  const r = parseDpkgStatus(text, PATH, CTX);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['bash@', 'util-linux@1:2.36.1-8+deb11u1']);
  assert.equal(r.packages[1]!.sourceVersion, '2.36.1-8+deb11u1');
  const messages = r.problems.map((p) => `${p.location.line}: ${p.message}`);
  assert.equal(r.problems.every((p) => p.severity === 'warning' && p.reader === 'dpkg-status'), true);
  for (const [line, needle] of [
    [1, 'expected a `Field: value` line'],
    [3, '"bash" has no Version'],
    [6, 'no Package field: named after its Source "util-linux"'],
    [10, 'is malformed'],
    [14, 'neither a Package nor a Source'],
    [17, 'continuation line outside a stanza'],
    [18, 'unknown state'],
  ] as const) {
    assert.ok(messages.some((m) => m.startsWith(`${line}: `) && m.includes(needle)), `line ${line}: ${needle} in ${messages.join('\n')}`);
  }
});

test('a repeated Package field starts a new stanza (missing blank line)', () => {
  const r = parseDpkgStatus('Package: a\nVersion: 1\nPackage: b\nVersion: 2\n', PATH, CTX);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['a@1', 'b@2']);
  assert.match(r.problems[0]!.message, /second Package field/);
});

test('empty input: nothing, no problems; not a status file: one error', () => {
  for (const empty of ['', '\n\n', '  \n']) assert.deepEqual(parseDpkgStatus(empty, PATH, CTX), { packages: [], edges: [], problems: [] });
  const r = parseDpkgStatus('astroid==2.5.1\n    # via pylint\nboto3==1.17.19\n', PATH, CTX);
  assert.deepEqual(r.packages, []);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.severity, 'error');
  assert.match(r.problems[0]!.message, /not a dpkg status file/);
});

test('CRLF line ends, comments and case-insensitive field names', () => {
  const r = parseDpkgStatus('# comment\r\npackage: zlib1g\r\nSTATUS: install ok installed\r\nversion: 1:1.2.13\r\n', PATH, CTX);
  assert.deepEqual(r.packages.map((p) => `${p.name}@${p.version}`), ['zlib1g@1:1.2.13']);
  assert.deepEqual(r.problems, []);
});

test('hostile input: warnings are capped, long lines clipped, time stays linear', () => {
  const junk = 'x'.repeat(10_000);
  const text = `${Array.from({ length: 5000 }, () => junk).join('\n')}\nPackage: ok\nVersion: 1\n`;
  const r = parseDpkgStatus(text, PATH, CTX);
  assert.deepEqual(r.packages.map((p) => p.name), ['ok']);
  assert.equal(r.problems.length, 51);
  assert.match(r.problems.at(-1)!.message, /4950 more malformed lines/);
  assert.ok(r.problems[0]!.message.length < 200);

  const many = Array.from({ length: 50_000 }, (_, i) => `Package: p${i}\nStatus: install ok installed\nVersion: ${i}\nDepends: p${i + 1}, missing | p0\n`).join('\n');
  const t0 = performance.now();
  const big = parseDpkgStatus(many, PATH, CTX);
  const ms = performance.now() - t0;
  assert.equal(big.packages.length, 50_000);
  assert.equal(big.edges.length, 99_998);
  assert.ok(ms < 5000, `50k stanzas took ${ms} ms`);
});

test('parseSource', () => {
  assert.deepEqual(parseSource('lvm2 (2.02.176-4.1ubuntu3)'), { name: 'lvm2', version: '2.02.176-4.1ubuntu3' });
  assert.deepEqual(parseSource(' glibc '), { name: 'glibc' });
  assert.deepEqual(parseSource('x ()'), { name: 'x', version: undefined });
  assert.deepEqual(parseSource('x (1.0'), { name: 'x', version: '1.0' });
});

test('matches: the status file and status.d stanza files, at any root', () => {
  const yes = ['var/lib/dpkg/status', 'rootfs/var/lib/dpkg/status', 'var/lib/dpkg/status.d/base-files', 'a/var/lib/dpkg/status.d/tzdata'];
  const no = ['var/lib/dpkg/status-old', 'var/lib/dpkg/status.d/tzdata.md5sums', 'var/lib/dpkg/status.d/', 'xvar/lib/dpkg/status', 'status', 'var/lib/dpkg/status.d/a/b'];
  for (const p of yes) assert.equal(dpkgStatusReader.matches(p), true, p);
  for (const p of no) assert.equal(dpkgStatusReader.matches(p), false, p);
});

test('the reader takes the release from os-release (or debian_version) beside the database', () => {
  const files: Record<string, string> = {
    'img/etc/os-release': 'ID=ubuntu\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\n',
    'deb/usr/lib/os-release': 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n',
    'old/etc/debian_version': '11.9\n',
  };
  const readFile = (p: string): string | undefined => files[p];
  const text = 'Package: bash\nStatus: install ok installed\nVersion: 5.1\nArchitecture: amd64\n';
  const ubuntu = dpkgStatusReader.read({ path: 'img/var/lib/dpkg/status', text, readFile }).packages[0]!;
  assert.equal(ubuntu.ecosystem, 'Ubuntu:22.04:LTS');
  assert.equal(ubuntu.purl, 'pkg:deb/ubuntu/bash@5.1?arch=amd64&distro=ubuntu-22.04');
  const debian = dpkgStatusReader.read({ path: 'deb/var/lib/dpkg/status.d/bash', text, readFile }).packages[0]!;
  assert.equal(debian.ecosystem, 'Debian:12');
  assert.equal(dpkgStatusReader.read({ path: 'old/var/lib/dpkg/status', text, readFile }).packages[0]!.ecosystem, 'Debian:11');
  assert.equal(dpkgStatusReader.read({ path: 'none/var/lib/dpkg/status', text, readFile }).packages[0]!.ecosystem, 'Debian');
  assert.equal(dpkgStatusReader.read({ path: 'var/lib/dpkg/status', text }).packages[0]!.ecosystem, 'Debian');
  const throwing = (): string => {
    throw new Error('boom');
  };
  assert.equal(dpkgStatusReader.read({ path: 'var/lib/dpkg/status', text, readFile: throwing }).packages[0]!.ecosystem, 'Debian');
});
