import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../test/helpers/shared.js';
import { rng } from './toml/__fixtures__/differential.js';
import { libraryPurl, npmPurl, PackageIds, purl } from './purl.js';
import { INVENTORY_READERS } from './registry.js';
import { decodeText, readerForPath } from './walk/run.js';
import { isBinaryReader } from './reader.js';

type Args = Parameters<typeof purl>;

/** The fast path and packageurl-js give the same text, or both refuse. */
function assertAgree(args: Args): void {
  let expected: string | Error;
  try {
    expected = libraryPurl(...args);
  } catch (err) {
    expected = err as Error;
  }
  if (expected instanceof Error) assert.throws(() => purl(...args), Error, JSON.stringify(args));
  else assert.equal(purl(...args), expected, JSON.stringify(args));
}

test('common purls, as the specification writes them', () => {
  assert.equal(purl('npm', '@Angular', 'Core', '1.0.0'), 'pkg:npm/%40angular/core@1.0.0');
  assert.equal(npmPurl('@types/node', '20.1.0+x'), 'pkg:npm/%40types/node@20.1.0+x');
  assert.equal(purl('pypi', undefined, 'Django_Rest', '1.0'), 'pkg:pypi/django-rest@1.0');
  assert.equal(purl('maven', 'org.apache', 'commons', '2.0', { type: 'jar', classifier: undefined }), 'pkg:maven/org.apache/commons@2.0?type=jar');
  assert.equal(purl('deb', 'debian', 'libc6', '2.36-9+deb12u4', { arch: 'amd64', distro: 'debian-12' }), 'pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&distro=debian-12');
  assert.equal(purl('golang', 'github.com/foo', 'bar', 'v1.2.3'), 'pkg:golang/github.com/foo/bar@v1.2.3');
  assert.equal(purl('cargo', undefined, 'serde', ''), 'pkg:cargo/serde');
  assert.equal(purl('generic', undefined, 'a b', '1 0'), 'pkg:generic/a%20b@1%200');
  assert.throws(() => purl('npm', undefined, '', '1'));
  assert.throws(() => purl('maven', undefined, 'x', '1'));
  const ids = new PackageIds();
  assert.deepEqual([ids.next('p'), ids.next('p'), ids.next('q')], ['p', 'p#2', 'q']);
});

test('fast path and packageurl-js agree on random components', () => {
  const random = rng(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const alphabet = ['a', 'Z', '0', '-', '_', '.', '~', '+', ':', '/', '@', ' ', '%', '!', '*', '#', '?', '&', '=', 'é', '\u{1f600}', 'v', 'B'];
  const text = (max: number): string => Array.from({ length: Math.floor(random() * max) }, () => pick(alphabet)).join('');
  const types = ['npm', 'pypi', 'cargo', 'gem', 'nuget', 'generic', 'maven', 'golang', 'composer', 'hex', 'deb', 'apk', 'rpm', 'pub', 'conan', 'swift', 'NPM'];
  for (let i = 0; i < 20_000; i++) {
    const qualifiers = random() < 0.3 ? Object.fromEntries(Array.from({ length: 1 + Math.floor(random() * 3) }, () => [pick(['arch', 'type', 'a.b', 'Distro', '1x', 'x y', 'vcs_url']), random() < 0.2 ? undefined : text(6)])) : undefined;
    const version = random() < 0.5 ? `v${Math.floor(random() * 3)}.${Math.floor(random() * 3)}.${Math.floor(random() * 3)}${random() < 0.3 ? text(4) : ''}` : text(8);
    assertAgree([pick(types), random() < 0.5 ? undefined : text(10), text(10), random() < 0.1 ? undefined : version, qualifiers]);
  }
});

const LOCKFILES = sharedData('lockfiles');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((e) => {
    const p = join(dir, e);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const TYPE_OF: Readonly<Record<string, string>> = { npm: 'npm', PyPI: 'pypi', 'crates.io': 'cargo', RubyGems: 'gem', NuGet: 'nuget', Packagist: 'composer', Hex: 'hex', Pub: 'pub', Go: 'golang' };

test('fast path and packageurl-js agree on every package of the shared lockfile data', { skip: LOCKFILES ? false : skipMessage('lockfiles') }, () => {
  let checked = 0;
  for (const file of files(LOCKFILES!)) {
    const rel = relative(LOCKFILES!, file);
    const reader = readerForPath(INVENTORY_READERS, rel);
    if (!reader || isBinaryReader(reader) || statSync(file).size > 8 * 1024 * 1024) continue;
    for (const p of reader.read({ path: rel, text: decodeText(readFileSync(file)) }).packages) {
      if (p.ecosystem === 'Maven') {
        const [group, artifact] = p.name.split(':');
        assertAgree(['maven', group, artifact ?? '', p.version, { type: 'jar' }]);
      } else if (p.ecosystem === 'npm' && p.name.startsWith('@')) {
        const slash = p.name.indexOf('/');
        assertAgree(['npm', p.name.slice(0, slash), p.name.slice(slash + 1), p.version]);
      } else if (p.ecosystem === 'Go') {
        const slash = p.name.lastIndexOf('/');
        assertAgree(['golang', slash > 0 ? p.name.slice(0, slash) : undefined, p.name.slice(slash + 1), p.version]);
      } else {
        assertAgree([TYPE_OF[p.ecosystem] ?? 'generic', undefined, p.name, p.version]);
      }
      checked++;
    }
  }
  assert.ok(checked > 2000, `only ${checked} packages checked`);
});
