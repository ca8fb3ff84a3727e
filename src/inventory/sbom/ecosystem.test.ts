import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rng } from '../toml/__fixtures__/differential.js';
import { ecosystemOf, packageNameOf, parsePurl, parsePurlParts, type PurlParts } from './ecosystem.js';

const CASES: readonly [string, string, string][] = [
  ['pkg:npm/%40babel/core@7.0.0', 'npm', '@babel/core'],
  ['pkg:pypi/django@4.2', 'PyPI', 'django'],
  ['pkg:golang/github.com/gorilla/mux@v1.8.0', 'Go', 'github.com/gorilla/mux'],
  ['pkg:cargo/serde@1.0.0', 'crates.io', 'serde'],
  ['pkg:gem/rails@7.0.0', 'RubyGems', 'rails'],
  ['pkg:composer/laravel/framework@10.0.0', 'Packagist', 'laravel/framework'],
  ['pkg:nuget/Newtonsoft.Json@13.0.1', 'NuGet', 'Newtonsoft.Json'],
  ['pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1', 'Maven', 'org.apache.logging.log4j:log4j-core'],
  ['pkg:pub/http@1.0.0', 'Pub', 'http'],
  ['pkg:hex/phoenix@1.7.0', 'Hex', 'phoenix'],
  ['pkg:conan/zlib@1.3', 'ConanCenter', 'zlib'],
  ['pkg:cran/ggplot2@3.4.0', 'CRAN', 'ggplot2'],
  ['pkg:deb/debian/curl@7.88.1-10?distro=debian-12.5', 'Debian:12', 'curl'],
  ['pkg:deb/debian/curl@7.88.1-10?distro=bookworm', 'Debian:12', 'curl'],
  ['pkg:deb/debian/curl@7.88.1-10', 'Debian', 'curl'],
  ['pkg:deb/ubuntu/curl@7.81.0?distro=ubuntu-22.04', 'Ubuntu:22.04', 'curl'],
  ['pkg:apk/alpine/musl@1.2.4-r2?distro=alpine-3.20.3', 'Alpine:v3.20', 'musl'],
  ['pkg:apk/alpine/musl@1.2.4-r2?distro=3.18.4', 'Alpine:v3.18', 'musl'],
  ['pkg:apk/wolfi/glibc@2.38', 'Wolfi', 'glibc'],
  ['pkg:rpm/redhat/openssl@3.0.7', 'Red Hat', 'openssl'],
  ['pkg:rpm/rocky/bash@5.1?distro=rocky-9.3', 'Rocky Linux:9', 'bash'],
  ['pkg:rpm/fedora/bash@5.1', '', 'bash'],
  ['pkg:generic/openssl@1.1.1', '', 'openssl'],
  ['pkg:generic/acme/flatbuffers@25.9.23', '', 'acme/flatbuffers'],
  ['pkg:docker/dhi/python@3.14', '', 'dhi/python'],
];

test('purl type → OSV ecosystem and ecosystem package name', () => {
  for (const [text, eco, name] of CASES) {
    const p = parsePurl(text);
    assert.ok(p.ok, text);
    assert.equal(ecosystemOf(p.purl), eco, text);
    assert.equal(packageNameOf(p.purl), name, text);
  }
});

test('parsePurl reports invalid purls instead of throwing', () => {
  for (const bad of ['', 'garbage', 'pkg:', 'pkg:npm/']) {
    const p = parsePurl(bad);
    assert.equal(p.ok, false, bad);
    if (!p.ok) assert.ok(p.reason.length > 0);
  }
});

/** The parts as a plain object, for comparing PackageURL with the fast split. */
const parts = (p: PurlParts): unknown => ({
  type: p.type,
  namespace: p.namespace,
  name: p.name,
  version: p.version,
  qualifiers: p.qualifiers === undefined ? undefined : { ...p.qualifiers },
  subpath: p.subpath,
});

function assertSameParse(text: string): void {
  const lib = parsePurl(text);
  const fast = parsePurlParts(text);
  assert.equal(fast.ok, lib.ok, text);
  if (fast.ok && lib.ok) assert.deepEqual(parts(fast.purl), parts(lib.purl), text);
}

test('parsePurlParts agrees with packageurl-js on plain, odd and random purls', () => {
  for (const [text] of CASES) assertSameParse(text);
  for (const text of ['pkg:npm/@scope/name', 'pkg:npm/@Scope/Name@1.0.0', 'pkg:npm/a@b@1', 'pkg:npm//a@1', 'pkg:npm/a/@1', 'pkg:npm/a@', 'pkg:maven/x@1', 'pkg:golang/x@v1', 'pkg:golang/x@vbad', 'PKG:npm/a@1', 'pkg:/a', 'pkg:npm', 'pkg:npm/', 'pkg:pypi/Foo_Bar@1.0', 'pkg:npm/a@1/2', 'pkg://npm/a@1']) assertSameParse(text);
  const random = rng(99);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chars = ['a', 'B', '0', '-', '_', '.', '~', '+', ':', '/', '@', '%40', '%2F', ' ', '?', '#', '='];
  const types = ['npm', 'pypi', 'cargo', 'gem', 'nuget', 'generic', 'maven', 'golang', 'composer', 'hex', 'deb', 'apk', 'rpm', 'pub', 'Npm'];
  for (let i = 0; i < 20_000; i++) {
    const body = Array.from({ length: Math.floor(random() * 14) }, () => pick(chars)).join('');
    assertSameParse(`pkg:${pick(types)}/${body}`);
  }
});
