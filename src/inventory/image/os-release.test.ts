import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apkEcosystem, debEcosystem, distroQualifier, findOsRelease, parseOsRelease, rootPrefix, rpmEcosystem, rpmVendor } from './os-release.js';

test('parseOsRelease: quoting, escapes, comments, missing ID', () => {
  const os = parseOsRelease('# comment\nNAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy \\"JJ\\" Jellyfish)"\nPRETTY_NAME=\'Ubuntu 22.04.4 LTS\'\nbad line\nlower=x\n');
  assert.deepEqual(os, { id: 'ubuntu', idLike: ['debian'], versionId: '22.04', version: '22.04.4 LTS (Jammy "JJ" Jellyfish)', prettyName: 'Ubuntu 22.04.4 LTS', name: 'Ubuntu', buildId: undefined });
  assert.equal(parseOsRelease('NAME=foo\n'), undefined);
  assert.equal(parseOsRelease(''), undefined);
  assert.equal(parseOsRelease(`ID=x\n${'#'.repeat(70_000)}`), undefined, 'oversized input refused');
  assert.equal(parseOsRelease('ID="RHEL"\n')?.id, 'rhel');
});

test('ecosystems from os-release', () => {
  const os = (text: string): ReturnType<typeof parseOsRelease> => parseOsRelease(text);
  assert.equal(debEcosystem(os('ID=debian\nVERSION_ID="12"')), 'Debian:12');
  assert.equal(debEcosystem(os('ID=debian\nPRETTY_NAME="Debian GNU/Linux trixie/sid"')), 'Debian');
  assert.equal(debEcosystem(os('ID=debian'), '11.9\n'), 'Debian:11');
  assert.equal(debEcosystem(undefined, 'bookworm/sid'), 'Debian');
  assert.equal(debEcosystem(os('ID=ubuntu\nVERSION_ID="24.04"\nVERSION="24.04 LTS (Noble Numbat)"')), 'Ubuntu:24.04:LTS');
  assert.equal(debEcosystem(os('ID=ubuntu\nVERSION_ID="24.10"\nVERSION="24.10 (Oracular Oriole)"')), 'Ubuntu:24.10');
  assert.equal(debEcosystem(os('ID=kali\nVERSION_ID="2024.1"')), 'Debian');
  assert.deepEqual(apkEcosystem(undefined, '3.20.3\n'), { ecosystem: 'Alpine:v3.20', assumed: false });
  assert.deepEqual(apkEcosystem(undefined, 'edge'), { ecosystem: 'Alpine:v3.20', assumed: true });
  assert.deepEqual(apkEcosystem(os('ID=wolfi'), undefined), { ecosystem: 'Wolfi', assumed: false });
  assert.equal(rpmEcosystem(os('ID=rhel\nVERSION_ID=9.4')), 'Red Hat');
  assert.equal(rpmEcosystem(os('ID=almalinux\nVERSION_ID=8.10')), 'AlmaLinux:8');
  assert.equal(rpmEcosystem(os('ID=rocky\nVERSION_ID=9.3')), 'Rocky Linux:9');
  assert.equal(rpmEcosystem(os('ID=opensuse-leap\nVERSION_ID=15.5')), 'openSUSE:Leap 15.5');
  assert.equal(rpmEcosystem(os('ID=opensuse-tumbleweed\nVERSION_ID=20240101')), 'openSUSE:Tumbleweed');
  assert.equal(rpmEcosystem(os('ID=sles\nVERSION_ID=15.5')), 'SUSE:Linux Enterprise Server 15 SP5');
  assert.equal(rpmEcosystem(os('ID=sles\nVERSION_ID=15')), 'SUSE:Linux Enterprise Server 15');
  assert.equal(rpmEcosystem(os('ID=fedora\nVERSION_ID=40')), undefined);
  assert.equal(rpmEcosystem(undefined), undefined);
  assert.equal(rpmVendor(os('ID=rhel')), 'redhat');
  assert.equal(distroQualifier(os('ID=rhel\nVERSION_ID=9.4')), 'rhel-9.4');
  assert.equal(distroQualifier(os('ID=arch\nBUILD_ID=rolling')), 'arch-rolling');
  assert.equal(distroQualifier(os('ID=arch')), undefined);
});

test('rootPrefix and findOsRelease', () => {
  assert.equal(rootPrefix('var/lib/dpkg/status', 'var/lib/dpkg/status'), '');
  assert.equal(rootPrefix('a/b/var/lib/dpkg/status', 'var/lib/dpkg/status'), 'a/b/');
  assert.equal(rootPrefix('avar/lib/dpkg/status', 'var/lib/dpkg/status'), undefined);
  const files: Record<string, string> = { 'r/usr/lib/os-release': 'ID=debian\n', 'x/etc/os-release': 'garbage\n', 'x/usr/lib/os-release': 'ID=alpine\n' };
  assert.equal(findOsRelease((p) => files[p], 'r/')?.id, 'debian');
  assert.equal(findOsRelease((p) => files[p], 'x/')?.id, 'alpine', 'an os-release without ID falls through to the next');
  assert.equal(findOsRelease(undefined, ''), undefined);
});
