import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { apkInstalledReader } from '../formats/apk-installed/index.js';
import { dpkgStatusReader } from '../formats/dpkg-status/index.js';
import type { Package } from '../model.js';
import type { InventoryReader } from '../reader.js';
import { INVENTORY_READERS } from '../registry.js';
import { DEFAULT_SKIP_DIRS, walkDirectory } from '../walk/index.js';

/**
 * Conformance with osv-scanner's (legacy) dpkg and apk parsers, on their own fixtures and
 * expectations (../shared/data/lockfiles/osv-scanner-legacy). osv-scanner reports Debian
 * packages under their *source* package (the name OSV's Debian advisories use), so the dpkg
 * comparison uses our sourceName/sourceVersion; apk is compared on name, version and commit.
 */

interface ExpectedPackage {
  readonly Name: string;
  readonly Version: string;
  readonly Ecosystem: string;
  readonly Commit?: string;
}
interface ExpectedCase {
  readonly test: string;
  readonly expected_packages: readonly ExpectedPackage[];
  readonly expected_error_containing?: string;
  readonly expected_error_is?: string;
}
interface ExpectedFile {
  readonly fixture: string;
  readonly cases: readonly ExpectedCase[];
}

interface Family {
  readonly dir: string;
  readonly reader: InventoryReader;
  readonly key: (p: Package) => string;
  readonly expectedKey: (p: ExpectedPackage) => string;
}

const FAMILIES: readonly Family[] = [
  { dir: 'dpkg', reader: dpkgStatusReader, key: (p) => `${p.sourceName ?? p.name}@${p.sourceVersion ?? p.version}`, expectedKey: (p) => `${p.Name}@${p.Version}` },
  { dir: 'apk', reader: apkInstalledReader, key: (p) => `${p.name}@${p.version}#${p.commit ?? ''}`, expectedKey: (p) => `${p.Name}@${p.Version}#${p.Commit ?? ''}` },
];

/**
 * Known, deliberate disagreements on errors, with the reason. osv-scanner returns an empty
 * result without error for a file that is not a status database at all; a file at a dpkg
 * status path that holds no `Field: value` line cannot be parsed, and the house rule is one
 * error problem for it (a scanner must not report "no packages" for unreadable input).
 */
const KNOWN_ERROR_DISAGREEMENTS: Readonly<Record<string, string>> = {
  'fixtures/dpkg/not_status': 'we report an error for a non-dpkg file at a status path; osv-scanner silently returns no packages',
};

const base = sharedData('lockfiles', 'osv-scanner-legacy');

for (const family of FAMILIES) {
  test(`osv-scanner ${family.dir} fixtures`, { skip: base ? false : skipMessage('lockfiles/osv-scanner-legacy') }, (t) => {
    const expectedDir = join(base!, 'expected', family.dir);
    let cases = 0;
    let packagesAgree = 0;
    let errorsAgree = 0;
    let ecosystemsAgree = 0;
    const unexpected: string[] = [];
    for (const file of readdirSync(expectedDir).filter((f) => f.endsWith('.expected.json')).sort()) {
      const expected = JSON.parse(readFileSync(join(expectedDir, file), 'utf8')) as ExpectedFile;
      const text = readFileSync(join(base!, expected.fixture), 'utf8');
      const result = family.reader.read({ path: expected.fixture, text });
      for (const c of expected.cases) {
        cases++;
        const want = c.expected_packages.map(family.expectedKey).sort();
        const got = result.packages.map(family.key).sort();
        if (JSON.stringify(want) === JSON.stringify(got)) packagesAgree++;
        else {
          t.diagnostic(`DISAGREE packages ${expected.fixture} (${c.test}): expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
          unexpected.push(`${expected.fixture} packages`);
        }
        const wantsError = c.expected_error_containing !== undefined || c.expected_error_is !== undefined;
        const hasError = result.problems.some((p) => p.severity === 'error');
        if (wantsError === hasError) errorsAgree++;
        else {
          const known = KNOWN_ERROR_DISAGREEMENTS[expected.fixture];
          t.diagnostic(`DISAGREE errors ${expected.fixture} (${c.test}): expected ${wantsError ? 'an error' : 'no error'}, got ${hasError ? 'an error' : 'none'}${known ? ` — known: ${known}` : ''}`);
          if (!known) unexpected.push(`${expected.fixture} errors`);
        }
        const ecosystems = new Set(c.expected_packages.map((p) => p.Ecosystem));
        if (c.expected_packages.length === 0 || result.packages.every((p) => ecosystems.has(p.ecosystem))) ecosystemsAgree++;
        else t.diagnostic(`DISAGREE ecosystem ${expected.fixture}: expected ${[...ecosystems].join(',')}, got ${[...new Set(result.packages.map((p) => p.ecosystem))].join(',')}`);
      }
    }
    t.diagnostic(`${family.dir}: packages agree ${packagesAgree}/${cases}, errors agree ${errorsAgree}/${cases}, ecosystems agree ${ecosystemsAgree}/${cases}`);
    assert.ok(cases > 0, 'no expected cases found');
    assert.deepEqual(unexpected, [], 'disagreements without a documented reason');
    assert.equal(packagesAgree, cases, 'floor: every case gives the same packages');
    assert.equal(ecosystemsAgree, cases, 'floor: the reader alone reports the ecosystem osv-scanner does');
  });
}

const realWorld = sharedData('lockfiles', 'real-world');

/** Files any registered reader wants, listed independently of the walker (same skip list). */
function wanted(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, d.name);
      if (d.isDirectory()) {
        if (!DEFAULT_SKIP_DIRS.includes(d.name)) walk(abs);
      } else if (d.isFile()) {
        const rel = relative(root, abs).split(sep).join('/');
        if (INVENTORY_READERS.some((r) => r.matches(rel))) out.push(rel);
      }
    }
  };
  walk(root);
  return out.sort();
}

test('walkDirectory over the real-world lockfiles: every wanted file is read or reported', { skip: realWorld ? false : skipMessage('lockfiles/real-world') }, async (t) => {
  const progress: number[] = [];
  const inv = await walkDirectory(realWorld!, { onProgress: (done) => progress.push(done) });
  const expected = wanted(realWorld!);
  const read = inv.files.map((f) => f.path).sort();
  const reported = new Set(inv.problems.filter((p) => p.reader === 'walker').map((p) => p.location.file));
  t.diagnostic(`real-world: ${expected.length} files wanted by the registered readers, ${read.length} read, ${inv.packages.length} packages, ${inv.problems.length} problems (${inv.problems.filter((p) => p.severity === 'error').length} errors)`);
  const byReader = new Map<string, number>();
  for (const f of inv.files) byReader.set(f.reader, (byReader.get(f.reader) ?? 0) + f.packages);
  for (const [reader, count] of byReader) t.diagnostic(`  ${reader}: ${count} packages`);
  for (const p of expected) assert.ok(read.includes(p) || reported.has(p), `${p} neither read nor reported`);
  assert.equal(progress.at(-1), read.length + [...reported].filter((p) => expected.includes(p)).length);
  assert.equal(new Set(inv.packages.map((p) => p.id)).size, inv.packages.length, 'package ids unique in the inventory');
  for (const p of inv.problems) assert.ok(p.location.file !== '' && typeof p.message === 'string' && p.message !== '');
});
