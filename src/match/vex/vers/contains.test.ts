import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileVers, formatVers, versContains, type VersContainment } from './contains.js';
import { intdot, lexicographic, VERS_TYPE_SCHEME_IDS, versScheme } from './schemes.js';
import { schemeById } from '../../../versions/registry.js';

function contains(vers: string, version: string): VersContainment {
  const c = compileVers(vers);
  assert.ok(c.ok, `${vers}: ${c.ok ? '' : c.message}`);
  return c.range.kind === 'constraints' || c.range.kind === 'all' || c.range.kind === 'none' ? versContains(c.range, version) : 'invalid';
}

/** [vers, version, expected]: the package-url vers-spec containment tests (npm, pypi, intdot), then more per scheme. */
const CONTAINMENT: [string, string, VersContainment][] = [
  // package-url/vers-spec tests/*_containment_test.json and intdot_version_cmp_test.json
  ['vers:npm/*', '1.0.0', 'in'],
  ['vers:pypi/<=1.3.0|3.0.0', '1.0.0', 'in'],
  ['vers:pypi/>0.0.2', '0.0.3', 'in'],
  ['vers:pypi/<0.0.2', '0.0.0.1', 'in'],
  ['vers:pypi/>=1.0.0|<=2.0.0', '1.5', 'in'],
  ['vers:pypi/>=3.0.0|2.0.3', '2.0.3', 'in'],
  ['vers:pypi/>=1.0.0|<=2.0.0', '2.0.3', 'out'],
  ['vers:pypi/>=1.0.0|<=2.0.0', '0.0.9', 'out'],
  ['vers:pypi/>=3.0.0|!=2.0.3', '2.0.3', 'out'],
  ['vers:pypi/<=1.0.0|>=2.0.0', '1.5', 'out'],
  ['vers:pypi/0.0.2|0.0.6|>=3.0.0|0.0.1|0.0.4|0.0.5|0.0.3', '2.0.3', 'out'],
  ['vers:intdot/>=1.2|<2.0', '1.5.0', 'in'],
  ['vers:intdot/>=1.2|<2.0', '2.0', 'out'],
  // npm: bounds, exclusive and inclusive edges, pre-releases order before their release.
  ['vers:npm/>=1.0.0|<2.0.0', '1.0.0', 'in'],
  ['vers:npm/>=1.0.0|<2.0.0', '1.9.9', 'in'],
  ['vers:npm/>=1.0.0|<2.0.0', '2.0.0', 'out'],
  ['vers:npm/>=1.0.0|<2.0.0', '0.9.9', 'out'],
  ['vers:npm/>=1.0.0|<2.0.0', '2.0.0-rc.1', 'in'],
  ['vers:npm/>1.0.0|<=2.0.0', '1.0.0', 'out'],
  ['vers:npm/>1.0.0|<=2.0.0', '2.0.0', 'in'],
  ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '1.2.3', 'in'],
  ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '1.2.4', 'out'],
  ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '4.0.0', 'in'],
  ['vers:npm/1.2.3|>=2.0.0|<5.0.0', '5.0.0', 'out'],
  ['vers:npm/<1.0.0', '0.1.0', 'in'],
  ['vers:npm/<1.0.0', '1.0.0', 'out'],
  ['vers:npm/<=1.0.0', '1.0.0', 'in'],
  ['vers:npm/>=2.0.0', '2.0.0', 'in'],
  ['vers:npm/>=2.0.0', '1.0.0', 'out'],
  ['vers:npm/>2.0.0', '2.0.0', 'out'],
  ['vers:npm/<1.0.0|>=2.0.0', '0.5.0', 'in'],
  ['vers:npm/<1.0.0|>=2.0.0', '1.5.0', 'out'],
  ['vers:npm/<1.0.0|>=2.0.0', '3.0.0', 'in'],
  ['vers:npm/>=1.0.0|!=1.5.0|<2.0.0', '1.5.0', 'out'],
  ['vers:npm/>=1.0.0|!=1.5.0|<2.0.0', '1.5.1', 'in'],
  ['vers:npm/!=1.5.0', '1.5.0', 'out'],
  ['vers:npm/!=1.5.0', '1.5.1', 'in'],
  ['vers:npm/!=1.5.0|!=1.6.0', '1.6.0', 'out'],
  ['vers:npm/!=1.5.0|!=1.6.0', '9.0.0', 'in'],
  ['vers:npm/1.0.0|!=1.5.0', '1.0.0', 'in'],
  ['vers:npm/1.0.0|!=1.5.0', '2.0.0', 'out'],
  ['vers:npm/1.0.0|1.1.0', '1.1.0', 'in'],
  ['vers:npm/1.0.0|1.1.0', '1.0.1', 'out'],
  // Several intervals, sorted (the TomEE example of the spec, in maven ordering).
  ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1', '1.7.0', 'in'],
  ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1', '7.0.8', 'out'],
  ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1', '7.1.1', 'in'],
  ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1', '8.0.0', 'in'],
  ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1', '8.0.2', 'out'],
  ['vers:maven/>=1.0.0-beta1|<=1.7.5|>=7.0.0-M1|<=7.0.7|>=7.1.0|<=7.1.2|>=8.0.0-M1|<=8.0.1', '1.0.0-alpha', 'out'],
  // Scheme equality, not string equality.
  ['vers:maven/!=1.0', '1.0.0', 'out'],
  ['vers:maven/1.0', '1', 'in'],
  ['vers:pypi/1.0', '1.0.0', 'in'],
  ['vers:pypi/>=2.0|<3', '2.5.post1', 'in'],
  ['vers:pypi/>=2.0|<3', '3.0rc1', 'in'],
  ['vers:pypi/1.2.3|>=2.0|<3', 'v1.2.3', 'in'],
  ['vers:golang/>=v1.2.0|<v1.3.0', 'v1.2.5', 'in'],
  ['vers:golang/>=1.2.0|<1.3.0', 'v1.3.0', 'out'],
  ['vers:golang/<v0.0.0-20200101000000-abcdefabcdef', 'v0.0.0-20190101000000-abcdefabcdef', 'in'],
  ['vers:cargo/>=0.4.0|<0.4.2', '0.4.1', 'in'],
  ['vers:gem/>=2.2.0|!=2.2.1|<2.3.0', '2.2.1', 'out'],
  ['vers:gem/>=2.2.0|!=2.2.1|<2.3.0', '2.2.2', 'in'],
  ['vers:gem/>=2.2.0|!=2.2.1|<2.3.0', '2.3.0.pre', 'in'],
  ['vers:nuget/>=1.0.0|<2.0.0', '1.0.0.1', 'in'],
  ['vers:composer/>=5.0|<5.4.2', '5.4.1', 'in'],
  ['vers:pub/>=1.0.0|<2.0.0', '2.0.0', 'out'],
  ['vers:hex/>=1.0.0|<1.2.0', '1.1.9', 'in'],
  ['vers:deb/>=1:2.0-1|<1:2.4-1', '1:2.3-1', 'in'],
  ['vers:deb/>=1:2.0-1|<1:2.4-1', '2.3-1', 'out'],
  ['vers:deb/<2.4', '2.4~rc1', 'in'],
  ['vers:apk/<1.2.3-r1', '1.2.3-r0', 'in'],
  ['vers:alpine/<1.2.3-r1', '1.2.3-r1', 'out'],
  ['vers:rpm/<1:1.0-1', '1.5-1', 'in'],
  ['vers:rpm/>=1.0~rc1|<1.0', '1.0~rc2', 'in'],
  ['vers:semver/<2.6.7.5', '2.6.7.4', 'in'],
  ['vers:semver/>=1.5.0|<7.0.0', '7.0.0-rc.1', 'in'],
  ['vers:intdot/1.2', '01.002.0', 'in'],
  ['vers:intdot/>1.2', '1.10', 'in'],
  ['vers:lexicographic/<b', 'a😀', 'in'],
  ['vers:lexicographic/<b', 'B', 'in'],
  ['vers:all/*', 'anything at all', 'in'],
  ['vers:none/*', '1.0.0', 'out'],
  ['vers:generic/*', 'anything', 'in'],
  // The tested version is not a version of the scheme: not decided.
  ['vers:npm/<2.0.0', 'not-a-version', 'invalid'],
  ['vers:npm/<2.0.0', '', 'invalid'],
  ['vers:deb/<2.0', 'ü', 'invalid'],
  ['vers:intdot/<2', 'beta', 'invalid'],
];

test('versContains: the spec containment tests and every mapped scheme', () => {
  for (const [vers, version, want] of CONTAINMENT) assert.equal(contains(vers, version), want, `${version} in ${vers}`);
});

test('compileVers: sorting, notes and the canonical form', () => {
  const unsorted = compileVers('vers:semver/<7.0.0|>=1.5.0');
  assert.ok(unsorted.ok);
  assert.deepEqual(unsorted.notes, ['constraints were not in version order; sorted']);
  assert.equal(formatVers(unsorted.range), 'vers:semver/>=1.5.0|<7.0.0');
  assert.equal(versContains(unsorted.range, '5.0.0'), 'in');
  const spaced = compileVers('VERS:Npm/ >= 1.0.0 |< 2.0.0');
  assert.ok(spaced.ok);
  assert.equal(formatVers(spaced.range), 'vers:npm/>=1.0.0|<2.0.0');
  assert.equal(spaced.notes.length, 3);
  const sorted = compileVers('vers:npm/1.0.0|>=2.0.0|<3.0.0');
  assert.ok(sorted.ok);
  assert.deepEqual(sorted.notes, []);
  const star = compileVers('vers:cpan/*');
  assert.ok(star.ok);
  assert.equal(star.range.kind, 'all');
  assert.match(star.notes[0]!, /"cpan" is not one Vigil orders/);
  const encoded = compileVers('vers:lexicographic/a%7Cb|caf%C3%A9');
  assert.ok(encoded.ok);
  assert.equal(formatVers(encoded.range), 'vers:lexicographic/a%7Cb|caf%C3%A9');
  assert.equal(versContains(encoded.range, 'a|b'), 'in');
});

test('compileVers: schemes without an ordering are not evaluable; malformed ranges are invalid', () => {
  const unsupported = ['vers:generic/>=2.9|<=4.1', 'vers:datetime/>=2024-01-01T00:00:00Z', 'vers:cpan/1.0', 'vers:gentoo/<1.0', 'vers:conan/1.0', 'vers:test/1.0', 'vers:example/1.0', 'vers:tomee/>=1.0.0'];
  for (const v of unsupported) {
    const r = compileVers(v);
    assert.equal(r.ok, false, v);
    if (!r.ok) {
      assert.equal(r.reason, 'unsupported', v);
      assert.match(r.message, /no version ordering for the vers scheme/, v);
    }
  }
  const invalid: [string, RegExp][] = [
    ['vers:npm/>=1.0.0|<banana', /"banana" \(in "<banana"\) is not a valid npm version/],
    ['vers:npm/1.0', /"1.0" \(in "1.0"\) is not a valid npm version/],
    ['vers:semver/>=1.0|<=x', /not a valid semver version/],
    ['vers:pypi/1.0|1.0.0', /"1.0.0" appears more than once/],
    ['vers:npm/>=1.0.0|1.0.0', /appears more than once/],
    ['vers:npm/>=1.0.0|<1.0.0', /appears more than once/],
    ['vers:npm/>=1.0.0|>=2.0.0', /two lower limits/],
    ['vers:npm/<1.0.0|<2.0.0', /two upper limits/],
    ['vers:npm/>1.0.0|>=1.5.0|<2.0.0', /two lower limits/],
    ['vers:npm/1.0.0|<2.0.0', /"1.0.0" followed by "<2.0.0": the "=" is already inside/],
    ['vers:semver/2.7.0|<2.8.11.1', /already inside/],
    ['vers:npm/1.0.0|!=1.5.0|<=2.0.0', /already inside/],
    ['vers:none/1.0', /only valid range of the scheme "none"/],
    ['vers:all/>=1.0', /only valid range of the scheme "all"/],
    ['vers:invalid/*', /reserved/],
    ['vers:npm/', /no constraints/],
    ['', /empty/],
  ];
  for (const [v, want] of invalid) {
    const r = compileVers(v);
    assert.equal(r.ok, false, v);
    if (!r.ok) {
      assert.equal(r.reason, 'invalid', v);
      assert.match(r.message, want, v);
    }
  }
});

test('vers schemes: every mapped type has an ordering; intdot and lexicographic as the spec defines them', () => {
  for (const [type, id] of Object.entries(VERS_TYPE_SCHEME_IDS)) {
    assert.ok(schemeById(id), `${type} → ${id}`);
    assert.equal(versScheme(type), schemeById(id));
  }
  assert.equal(versScheme('generic'), undefined);
  assert.equal(versScheme('__proto__'), undefined);
  assert.equal(versScheme('constructor'), undefined);
  const order = (s: typeof intdot | typeof lexicographic, list: string[]): string[] =>
    [...list].sort((a, b) => (s.compare as (x: unknown, y: unknown) => number)(s.parse(a), s.parse(b)));
  assert.deepEqual(order(intdot, ['1.10', '1.2']), ['1.2', '1.10']);
  assert.deepEqual(order(intdot, ['1.2.1', '1.2']), ['1.2', '1.2.1']);
  assert.deepEqual(order(intdot, ['1.10alpha', '1.2beta', '1.2rc1']), ['1.2beta', '1.2rc1', '1.10alpha']);
  assert.equal(intdot.compare(intdot.parse('01.002.0003')!, intdot.parse('1.2.3')!), 0);
  assert.equal(intdot.compare(intdot.parse('1.2')!, intdot.parse('1.2.0')!), 0);
  assert.equal(intdot.compare(intdot.parse('1.2.')!, intdot.parse('1.2')!), 0);
  assert.equal(intdot.parse('1..2'), undefined);
  assert.equal(intdot.parse('v1'), undefined);
  assert.equal(intdot.parse(''), undefined);
  assert.ok(intdot.compare(intdot.parse('1.99999999999999999999')!, intdot.parse('1.99999999999999999998')!) > 0);
  assert.deepEqual(order(lexicographic, ['a', 'A']), ['A', 'a']);
  assert.deepEqual(order(lexicographic, ['aa', 'a']), ['a', 'aa']);
  assert.deepEqual(order(lexicographic, ['é', 'e\u0301']), ['e\u0301', 'é']);
  assert.deepEqual(order(lexicographic, ['é', 'ä']), ['ä', 'é']);
  assert.deepEqual(order(lexicographic, ['😀', 'z']), ['z', '😀']);
  assert.deepEqual(order(lexicographic, ['€', 'ä']), ['ä', '€']);
  // UTF-8 byte order, not UTF-16: U+FF5E sorts before U+1F600 although its code unit is larger than the surrogate's.
  assert.deepEqual(order(lexicographic, ['😀', '～']), ['～', '😀']);
});

test('hostile: a thousand constraints compile and test quickly; huge versions are refused', () => {
  const many = Array.from({ length: 500 }, (_, i) => `>=${i}.0.0|<${i}.5.0`).join('|');
  const t0 = performance.now();
  const r = compileVers(`vers:npm/${many}`);
  assert.ok(r.ok);
  for (let i = 0; i < 1000; i++) versContains(r.range, `${i % 600}.${i % 7}.0`);
  assert.equal(versContains(r.range, '499.4.0'), 'in');
  assert.equal(versContains(r.range, '499.5.0'), 'out');
  assert.equal(versContains(r.range, '600.0.0'), 'out');
  const shuffled = compileVers(`vers:npm/${many.split('|').reverse().join('|')}`);
  assert.ok(shuffled.ok);
  assert.equal(formatVers(shuffled.range), formatVers(r.range));
  assert.ok(performance.now() - t0 < 2000, `${performance.now() - t0} ms`);
  const huge = compileVers(`vers:npm/<${'9'.repeat(5000)}.0.0`);
  assert.equal(huge.ok, false);
  if (!huge.ok) assert.equal(huge.reason, 'invalid');
  assert.equal(contains('vers:npm/<2.0.0', `1.0.0-${'a'.repeat(10_000)}`), 'invalid');
});
