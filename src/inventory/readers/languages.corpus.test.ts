import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { Package, ReadResult } from '../model.js';
import { isBinaryReader, type AnyInventoryReader, type InventoryReader } from '../reader.js';
import { cargoLockReader } from '../formats/cargo-lock/index.js';
import { composerLockReader } from '../formats/composer-lock/index.js';
import { conanLockReader } from '../formats/conan-lock/index.js';
import { gemfileLockReader } from '../formats/gemfile-lock/index.js';
import { goModReader } from '../formats/go-mod/index.js';
import { gradleLockReader } from '../formats/gradle-lock/index.js';
import { gradleVerificationReader } from '../formats/gradle-verification/index.js';
import { mavenPomReader } from '../formats/maven-pom/index.js';
import { mixLockReader } from '../formats/mix-lock/index.js';
import { nugetLockReader } from '../formats/nuget-lock/index.js';
import { pubspecLockReader } from '../formats/pubspec-lock/index.js';
import { renvLockReader } from '../formats/renv-lock/index.js';
import { LANGUAGES_READERS } from './languages.js';

/**
 * Conformance of the Go, Rust, Ruby, PHP, .NET, Java, Dart, Elixir, C/C++ and R readers with
 * the expectations osv-scanner's legacy lockfile package ships with its fixtures
 * (../shared/data/lockfiles/osv-scanner-legacy). A case agrees when:
 *  - the set of name@version of our packages in the family's OSV ecosystem equals the
 *    expected set (osv-scanner drops what it cannot match; we report Bioconductor packages
 *    of renv.lock in their own OSV ecosystem, so they are counted apart, and printed);
 *  - the commit and the dependency groups agree where the expectation gives them (for Hex
 *    packages osv-scanner puts the inner checksum in `Commit`; we keep it as the property
 *    `hex:innerChecksum` and compare that);
 *  - for Maven, osv-scanner's `0` for a version it could not resolve matches our '' (we warn
 *    instead of guessing);
 *  - no error problem is reported — and a case expecting an error gets an error problem.
 */
const LEGACY = sharedData('lockfiles', 'osv-scanner-legacy');

interface Family {
  readonly id: string;
  readonly reader: InventoryReader;
  readonly ecosystem: string;
  /** osv-scanner writes `0` for a Maven version it could not resolve; we write '' and warn. */
  readonly zeroVersion?: boolean;
  /** Cases that must agree: a floor actually reached (raise it when fixing a disagreement). */
  readonly floor: number;
}

const FAMILIES: readonly Family[] = [
  { id: 'go', reader: goModReader, ecosystem: 'Go', floor: 10 },
  { id: 'cargo', reader: cargoLockReader, ecosystem: 'crates.io', floor: 4 },
  { id: 'bundler', reader: gemfileLockReader, ecosystem: 'RubyGems', floor: 7 },
  { id: 'composer', reader: composerLockReader, ecosystem: 'Packagist', floor: 5 },
  { id: 'nuget', reader: nugetLockReader, ecosystem: 'NuGet', floor: 4 },
  { id: 'maven', reader: mavenPomReader, ecosystem: 'Maven', zeroVersion: true, floor: 7 },
  { id: 'gradle', reader: gradleLockReader, ecosystem: 'Maven', floor: 3 },
  { id: 'gradle-verification-metadata', reader: gradleVerificationReader, ecosystem: 'Maven', floor: 2 },
  { id: 'pub', reader: pubspecLockReader, ecosystem: 'Pub', floor: 9 },
  { id: 'mix', reader: mixLockReader, ecosystem: 'Hex', floor: 3 },
  { id: 'conan', reader: conanLockReader, ecosystem: 'ConanCenter', floor: 18 },
  { id: 'renv', reader: renvLockReader, ecosystem: 'CRAN', floor: 5 },
];

interface ExpectedPackage {
  readonly Name: string;
  readonly Version: string;
  readonly Ecosystem?: string;
  readonly Commit?: string;
  readonly DepGroups?: readonly string[] | null;
}
interface ExpectedCase {
  readonly test: string;
  readonly expected_packages?: readonly ExpectedPackage[] | null;
  readonly expected_error_is?: string;
  readonly expected_error_containing?: string;
}
interface ExpectedFile {
  readonly fixture: string;
  readonly cases: readonly ExpectedCase[];
}

/** Companion files (go.sum, parent poms, composer.json …) inside `root` only, as the walker gives them. */
function fileReader(root: string): (path: string) => string | undefined {
  return (path) => {
    const abs = resolve(root, path);
    if (!abs.startsWith(root + sep) || !existsSync(abs) || !statSync(abs).isFile()) return undefined;
    return readFileSync(abs, 'utf8');
  };
}

const commitOf = (p: Package): string => p.commit ?? p.properties?.['hex:innerChecksum'] ?? '';
const groupsKey = (groups: readonly string[]): string => [...new Set(groups)].sort().join(',');

/** Why a case disagrees (undefined when it agrees), and how many packages fell outside the ecosystem. */
function compare(family: Family, c: ExpectedCase, result: ReadResult): { why: string | undefined; outside: string[] } {
  const errors = result.problems.filter((p) => p.severity === 'error');
  const inside = result.packages.filter((p) => p.ecosystem === family.ecosystem);
  const outside = result.packages.filter((p) => p.ecosystem !== family.ecosystem).map((p) => `${p.name}@${p.version} (${p.ecosystem})`);
  if (c.expected_error_is !== undefined || c.expected_error_containing !== undefined) {
    const why = errors.length > 0 ? undefined : `expected an error (${c.expected_error_is ?? c.expected_error_containing}), got none`;
    return { why, outside };
  }
  const reasons: string[] = [];
  if (errors.length > 0) reasons.push(`error problems: ${errors.map((e) => `${e.location.file}:${e.location.line ?? '?'} ${e.message}`).join('; ')}`);
  const want = c.expected_packages ?? [];
  for (const w of want) if (w.Ecosystem !== undefined && w.Ecosystem !== family.ecosystem) reasons.push(`expected ${w.Name} in ecosystem ${w.Ecosystem}, not ${family.ecosystem}`);
  const versionOf = (w: ExpectedPackage): string => (family.zeroVersion && w.Version === '0' ? '' : w.Version);
  const wantKeys = new Set(want.map((w) => `${w.Name}@${versionOf(w)}`));
  const got = new Map<string, Package>();
  for (const p of inside) if (!got.has(`${p.name}@${p.version}`)) got.set(`${p.name}@${p.version}`, p);
  const missing = [...wantKeys].filter((k) => !got.has(k));
  const extra = [...got.keys()].filter((k) => !wantKeys.has(k));
  if (missing.length > 0) reasons.push(`missing ${missing.join(', ')}`);
  if (extra.length > 0) reasons.push(`extra ${extra.join(', ')}`);
  for (const w of want) {
    const key = `${w.Name}@${versionOf(w)}`;
    const p = got.get(key);
    if (!p) continue;
    if (w.Commit !== undefined && commitOf(p) !== w.Commit) reasons.push(`${key}: commit ${JSON.stringify(commitOf(p))} ≠ ${JSON.stringify(w.Commit)}`);
    if (w.DepGroups !== undefined && w.DepGroups !== null && groupsKey(p.groups ?? []) !== groupsKey(w.DepGroups)) {
      reasons.push(`${key}: groups [${groupsKey(p.groups ?? [])}] ≠ [${groupsKey(w.DepGroups)}]`);
    }
  }
  return { why: reasons.length > 0 ? reasons.join(' | ') : undefined, outside };
}

let grandTotal = 0;
let grandAgreed = 0;

for (const family of FAMILIES) {
  test(`language readers agree with osv-scanner on ${family.id}`, (t: TestContext) => {
    const dir = LEGACY && join(LEGACY, 'expected', family.id);
    if (!LEGACY || !dir || !existsSync(dir)) return t.skip(skipMessage(`lockfiles/osv-scanner-legacy/expected/${family.id}`));
    let total = 0;
    let agreed = 0;
    const disagreements: string[] = [];
    const outsideNotes: string[] = [];
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.expected.json')).sort()) {
      const expected = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ExpectedFile;
      const fixture = join(LEGACY, expected.fixture);
      for (const c of expected.cases) {
        total++;
        if (!existsSync(fixture)) {
          disagreements.push(`${name} ${c.test}: fixture ${expected.fixture} absent`);
          continue;
        }
        const result = family.reader.read({ path: expected.fixture, text: readFileSync(fixture, 'utf8'), readFile: fileReader(LEGACY) });
        const { why, outside } = compare(family, c, result);
        if (outside.length > 0) outsideNotes.push(`${name}: also reported outside ${family.ecosystem}: ${outside.join(', ')}`);
        if (why === undefined) agreed++;
        else disagreements.push(`${name} ${c.test}: ${why}`);
      }
    }
    grandTotal += total;
    grandAgreed += agreed;
    t.diagnostic(`osv-scanner-legacy ${family.id}: ${agreed}/${total} cases agree`);
    for (const d of disagreements) t.diagnostic(`  disagrees: ${d}`);
    for (const n of outsideNotes) t.diagnostic(`  note: ${n}`);
    assert.ok(total > 0, 'no expected cases found');
    assert.ok(agreed >= Math.min(family.floor, total), `${agreed}/${total} agree, below the floor of ${family.floor}`);
  });
}

test('language readers: conformance total', (t: TestContext) => {
  if (!LEGACY) return t.skip(skipMessage('lockfiles/osv-scanner-legacy'));
  t.diagnostic(`osv-scanner-legacy, all language families: ${grandAgreed}/${grandTotal} cases agree`);
});

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

const REAL_NAMES = /(^|\/)(go\.mod|Cargo\.lock|Gemfile\.lock|pom\.xml|[^/]+\.csproj)$/;

test('language readers read the real-world files without error problems', (t: TestContext) => {
  const root = sharedData('lockfiles', 'real-world');
  if (!root) return t.skip(skipMessage('lockfiles/real-world'));
  const files = walk(root, (p) => REAL_NAMES.test(p.split(sep).join('/')));
  assert.ok(files.length >= 5, `expected the real-world go.mod, Cargo.lock, Gemfile.lock, pom.xml and .csproj files, found ${files.length}`);
  let packages = 0;
  let ms = 0;
  for (const file of files) {
    // Paths relative to the project folder (owner__repo), as a scan of that project would see them.
    const rel: string[] = relative(root, file).split(sep);
    const projectRoot = join(root, rel[0]!);
    const path: string = rel.slice(1).join('/');
    const reader: AnyInventoryReader | undefined = LANGUAGES_READERS.find((r) => r.matches(path));
    assert.ok(reader && !isBinaryReader(reader), `no language reader matches ${path}`);
    const started = performance.now();
    const result: ReadResult = reader.read({ path, text: readFileSync(file, 'utf8'), readFile: fileReader(projectRoot) });
    ms += performance.now() - started;
    const errors = result.problems.filter((p) => p.severity === 'error');
    assert.deepEqual(errors, [], `${rel.join('/')}: ${JSON.stringify(errors)}`);
    assert.ok(result.packages.length > 0, `${rel.join('/')}: no packages`);
    const ids = new Set(result.packages.map((p) => p.id));
    assert.equal(ids.size, result.packages.length, `${rel.join('/')}: ids not unique`);
    for (const e of result.edges) assert.ok((e.from === 'root' || ids.has(e.from)) && ids.has(e.to), `${rel.join('/')}: dangling edge ${e.from} → ${e.to}`);
    for (const p of result.packages) assert.ok(p.purl.startsWith('pkg:'), p.purl);
    const warnings = result.problems.length;
    t.diagnostic(`${rel.join('/')} (${reader.id}): ${result.packages.length} packages, ${result.edges.length} edges, ${warnings} warning(s)`);
    packages += result.packages.length;
  }
  t.diagnostic(`${files.length} files, ${packages} packages in ${ms.toFixed(1)} ms (first read, cold)`);
});
