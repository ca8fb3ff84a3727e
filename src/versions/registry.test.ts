import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sharedData, skipMessage } from '../../test/helpers/shared.js';
import {
  ECOSYSTEM_SCHEMES,
  VERSION_SCHEME_IDS,
  VERSION_SCHEMES,
  ecosystemBase,
  ecosystemRelease,
  schemeById,
  schemeForEcosystem,
} from './registry.js';

const here = fileURLToPath(new URL('.', import.meta.url));

/** OSV ecosystems with no ordering implemented here (the matcher reports them, never guesses). */
const NO_ORDERING = [
  'Android',
  'CleanStart',
  'ConanCenter',
  'Docker Hardened Images',
  'FreeBSD',
  'GIT',
  'GitHub Actions',
  'Julia',
  'Kubernetes',
  'Linux',
  'OSS-Fuzz',
  'opam',
  'Photon OS',
  'Root',
  'TuxCare',
];

test('registry: scheme ids equal the folder names, one folder per scheme', () => {
  const folders = readdirSync(here)
    .filter((f) => !f.startsWith('_') && statSync(join(here, f)).isDirectory())
    .sort();
  assert.deepEqual(folders, [...VERSION_SCHEME_IDS].sort());
  for (const id of VERSION_SCHEME_IDS) {
    assert.ok(existsSync(join(here, id, 'index.ts')), `${id}/index.ts`);
    assert.ok(existsSync(join(here, id, 'index.test.ts')), `${id}/index.test.ts`);
  }
});

test('registry: every scheme is registered under its own id and reachable', () => {
  assert.equal(VERSION_SCHEMES.size, VERSION_SCHEME_IDS.length);
  const targets = new Set(Object.values(ECOSYSTEM_SCHEMES));
  for (const id of VERSION_SCHEME_IDS) {
    const scheme = schemeById(id);
    assert.ok(scheme, id);
    assert.equal(scheme.id, id);
    assert.ok(scheme.title.length > 0, `${id} has a title`);
    assert.ok(targets.has(id), `${id} is the scheme of at least one OSV ecosystem`);
    assert.equal(typeof scheme.parse, 'function');
    assert.equal(typeof scheme.compare, 'function');
  }
  assert.equal(schemeById('nonexistent'), undefined);
  assert.equal(schemeById('constructor'), undefined);
});

test('registry: OSV ecosystems map to their scheme, release suffixes ignored', () => {
  const cases: [string, string | undefined][] = [
    ['npm', 'npm'],
    ['PyPI', 'pep440'],
    ['Go', 'go'],
    ['crates.io', 'cargo'],
    ['RubyGems', 'rubygems'],
    ['NuGet', 'nuget'],
    ['Packagist', 'packagist'],
    ['Packagist:https://packages.drupal.org/8', 'packagist'],
    ['Pub', 'pub'],
    ['Hex', 'hex'],
    ['Maven', 'maven'],
    ['Maven:https://maven.google.com', 'maven'],
    ['CRAN', 'cran'],
    ['Bioconductor', 'cran'],
    ['Hackage', 'hackage'],
    ['GHC', 'hackage'],
    ['Debian', 'debian'],
    ['Debian:12', 'debian'],
    ['Ubuntu:22.04:LTS', 'debian'],
    ['Ubuntu:Pro:18.04:LTS', 'debian'],
    ['Echo', 'debian'],
    ['Alpine:v3.20', 'alpine'],
    ['Chainguard', 'alpine'],
    ['Wolfi', 'alpine'],
    ['MinimOS', 'alpine'],
    ['Alpaquita:23', 'alpine'],
    ['AlmaLinux:9', 'rpm'],
    ['Rocky Linux:8', 'rpm'],
    ['Red Hat:rhel_aus:8.4::appstream', 'rpm'],
    ['openSUSE:Leap 15.5', 'rpm'],
    ['SUSE:Linux Enterprise Server 15 SP5', 'rpm'],
    ['Mageia:9', 'rpm'],
    ['openEuler:22.03-LTS-SP1', 'rpm'],
    ['Azure Linux:3', 'rpm'],
    ['Bitnami', 'semver'],
    ['SwiftURL', 'semver'],
    ['VSCode', 'semver'],
    ['GIT', undefined],
    ['Linux', undefined],
    ['OSS-Fuzz', undefined],
    ['Android', undefined],
    ['', undefined],
    ['npm ', undefined],
    ['NPM', undefined],
    ['toString', undefined],
    ['__proto__', undefined],
  ];
  for (const [ecosystem, id] of cases) assert.equal(schemeForEcosystem(ecosystem)?.id, id, ecosystem);
});

test('registry: ecosystemBase and ecosystemRelease', () => {
  assert.equal(ecosystemBase('Ubuntu:22.04:LTS'), 'Ubuntu');
  assert.equal(ecosystemRelease('Ubuntu:22.04:LTS'), '22.04:LTS');
  assert.equal(ecosystemBase('Alpine:v3.20'), 'Alpine');
  assert.equal(ecosystemRelease('Alpine:v3.20'), 'v3.20');
  assert.equal(ecosystemBase('npm'), 'npm');
  assert.equal(ecosystemRelease('npm'), undefined);
  assert.equal(ecosystemRelease('Debian:'), undefined);
});

test('registry: every ecosystem OSV defines is either mapped or listed as having no ordering', (t) => {
  const file = sharedData('osv', 'schema', 'ecosystems.json');
  if (!file) {
    t.skip(skipMessage('osv/schema/ecosystems.json'));
    return;
  }
  const defined = Object.keys(JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>);
  const unclassified = defined.filter((e) => !Object.hasOwn(ECOSYSTEM_SCHEMES, e) && !NO_ORDERING.includes(e));
  assert.deepEqual(unclassified, []);
  for (const e of NO_ORDERING) assert.equal(schemeForEcosystem(e), undefined, e);
});
