import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { Package, ReadResult } from '../model.js';
import { isBinaryReader, type InventoryReader } from '../reader.js';
import { pdmLockReader } from '../formats/pdm-lock/index.js';
import { pipfileLockReader } from '../formats/pipfile-lock/index.js';
import { poetryLockReader } from '../formats/poetry-lock/index.js';
import { pylockTomlReader } from '../formats/pylock-toml/index.js';
import { requirementsTxtReader } from '../formats/requirements-txt/index.js';
import { uvLockReader } from '../formats/uv-lock/index.js';
import { PYTHON_READERS } from './python.js';

/**
 * Conformance of the Python readers with the expectations osv-scanner (legacy lockfile
 * package) and osv-scalibr ship with their fixtures, read from ../shared/data/lockfiles.
 * A case agrees when the multiset of name@version is equal, plus the commit and dependency
 * groups where the expectation gives them, and no error problem is reported; a case expecting
 * an error agrees when the reader reports an error problem.
 *
 * Groups are compared through each tool's reading of the format (below), since our `groups`
 * keep the format's own names and osv-scanner reduces most formats to `dev`/`optional`.
 */
const LOCKFILES = sharedData('lockfiles');

interface Family {
  readonly id: string;
  readonly corpus: 'osv-scanner-legacy' | 'osv-scalibr';
  readonly expected: string;
  readonly reader: InventoryReader;
  /** Our package's groups as the upstream tool would report them. */
  readonly groups: (p: Package) => string[];
  /** osv-scanner writes `0.0.0` for a requirement without a version; we write ''. */
  readonly zeroVersion?: boolean;
  /** Cases that must agree (a floor actually reached; raise it when fixing a disagreement). */
  readonly floor: number;
}

/** osv-scanner's pdm reading: `dev` group → dev; neither `default` nor `dev` → optional. */
function pdmGroups(p: Package): string[] {
  const out: string[] = [];
  let optional = true;
  for (const g of p.groups ?? []) {
    if (g === 'dev') {
      out.push('dev');
      optional = false;
    } else if (g === 'default') optional = false;
  }
  if (optional) out.push('optional');
  return out;
}

const FAMILIES: readonly Family[] = [
  { id: 'pip', corpus: 'osv-scanner-legacy', expected: 'expected/pip', reader: requirementsTxtReader, groups: (p) => [...(p.groups ?? [])], zeroVersion: true, floor: 11 },
  { id: 'pipenv', corpus: 'osv-scanner-legacy', expected: 'expected/pipenv', reader: pipfileLockReader, groups: (p) => (p.scope === 'dev' ? ['dev'] : []), floor: 5 },
  { id: 'poetry', corpus: 'osv-scanner-legacy', expected: 'expected/poetry', reader: poetryLockReader, groups: (p) => (p.scope === 'optional' ? ['optional'] : []), floor: 6 },
  { id: 'pdm', corpus: 'osv-scanner-legacy', expected: 'expected/pdm', reader: pdmLockReader, groups: pdmGroups, floor: 4 },
  { id: 'uv.lock', corpus: 'osv-scalibr', expected: 'expected/python/uvlock', reader: uvLockReader, groups: (p) => [...(p.groups ?? [])], floor: 6 },
  { id: 'pylock.toml', corpus: 'osv-scalibr', expected: 'expected/python/pylock', reader: pylockTomlReader, groups: (p) => [...(p.groups ?? [])], floor: 6 },
];

interface ExpectedPackage {
  readonly Name: string;
  readonly Version: string;
  readonly Commit?: string;
  readonly DepGroups?: readonly string[] | null;
  readonly DepGroupVals?: readonly string[] | null;
}
interface ExpectedCase {
  readonly test?: string;
  readonly case?: string;
  readonly expected_packages?: readonly ExpectedPackage[] | null;
  readonly expected_error_is?: string;
  readonly expected_error_containing?: string;
}
interface ExpectedFile {
  readonly fixture: string;
  readonly cases: readonly ExpectedCase[];
}

function walk(dir: string, keep: (path: string) => boolean): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(p)) out.push(p);
  }
  return out;
}

/** Reads companion files (requirements includes) inside `root` only, like the walker would. */
function fileReader(root: string): (path: string) => string | undefined {
  return (path) => {
    const abs = resolve(root, path);
    if (!abs.startsWith(root + sep) || !existsSync(abs) || !statSync(abs).isFile()) return undefined;
    return readFileSync(abs, 'utf8');
  };
}

const sortedKey = (groups: readonly string[]): string => [...new Set(groups)].sort().join(',');

/** Why a case disagrees, or undefined when it agrees. */
function compare(family: Family, c: ExpectedCase, result: ReadResult): string | undefined {
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (c.expected_error_is !== undefined || c.expected_error_containing !== undefined) {
    return errors.length > 0 ? undefined : `expected an error (${c.expected_error_is ?? c.expected_error_containing}), got none`;
  }
  const reasons: string[] = [];
  if (errors.length > 0) reasons.push(`error problems: ${errors.map((e) => `${e.location.file}:${e.location.line ?? '?'} ${e.message}`).join('; ')}`);
  const want = (c.expected_packages ?? []).map((p) => ({ ...p, key: `${p.Name}@${family.zeroVersion && p.Version === '0.0.0' ? '' : p.Version}` }));
  const got = new Map<string, Package[]>();
  for (const p of result.packages) got.set(`${p.name}@${p.version}`, [...(got.get(`${p.name}@${p.version}`) ?? []), p]);
  const wantKeys = want.map((w) => w.key).sort();
  const gotKeys = result.packages.map((p) => `${p.name}@${p.version}`).sort();
  const missing = wantKeys.filter((k) => !got.has(k));
  const extra = gotKeys.filter((k) => !wantKeys.includes(k));
  if (missing.length > 0) reasons.push(`missing ${missing.join(', ')}`);
  if (extra.length > 0) reasons.push(`extra ${extra.join(', ')}`);
  if (missing.length === 0 && extra.length === 0 && wantKeys.join('\n') !== gotKeys.join('\n')) reasons.push(`counts differ: want ${wantKeys.length}, got ${gotKeys.length}`);
  for (const w of want) {
    const p = got.get(w.key)?.[0];
    if (!p) continue;
    if (w.Commit !== undefined && (p.commit ?? '') !== w.Commit) reasons.push(`${w.key}: commit ${JSON.stringify(p.commit ?? '')} ≠ ${JSON.stringify(w.Commit)}`);
    const groups = w.DepGroups ?? w.DepGroupVals;
    if (groups !== undefined && groups !== null && sortedKey(family.groups(p)) !== sortedKey(groups)) {
      reasons.push(`${w.key}: groups [${sortedKey(family.groups(p))}] ≠ [${sortedKey(groups)}]`);
    }
  }
  return reasons.length > 0 ? reasons.join(' | ') : undefined;
}

for (const family of FAMILIES) {
  test(`python readers agree with ${family.corpus} on ${family.id}`, (t: TestContext) => {
    const root = LOCKFILES && sharedData('lockfiles', family.corpus);
    const dir = root && join(root, family.expected);
    if (!root || !dir || !existsSync(dir)) return t.skip(skipMessage(`lockfiles/${family.corpus}/${family.expected}`));
    let total = 0;
    let agreed = 0;
    const disagreements: string[] = [];
    for (const file of walk(dir, (p) => p.endsWith('.expected.json'))) {
      const expected = JSON.parse(readFileSync(file, 'utf8')) as ExpectedFile;
      const fixture = join(root, expected.fixture);
      for (const c of expected.cases) {
        const name = `${relative(dir, file)} ${c.test ?? c.case ?? ''}`;
        total++;
        if (!existsSync(fixture)) {
          disagreements.push(`${name}: fixture ${expected.fixture} absent`);
          continue;
        }
        const result = family.reader.read({ path: expected.fixture, text: readFileSync(fixture, 'utf8'), readFile: fileReader(root) });
        const why = compare(family, c, result);
        if (why === undefined) agreed++;
        else disagreements.push(`${name}: ${why}`);
      }
    }
    t.diagnostic(`${family.corpus} ${family.id}: ${agreed}/${total} cases agree`);
    for (const d of disagreements) t.diagnostic(`  disagrees: ${d}`);
    assert.ok(total > 0, 'no expected cases found');
    assert.ok(agreed >= Math.min(family.floor, total), `${agreed}/${total} agree, below the floor of ${family.floor}`);
  });
}

const REAL_NAMES = /(^|\/)(Pipfile\.lock|poetry\.lock|uv\.lock|pdm\.lock|pylock(\.[^./]+)?\.toml|[^/]*requirements[^/]*\.txt)$/;

test('python readers read the large real-world lockfiles without problems', (t: TestContext) => {
  const root = sharedData('lockfiles', 'real-world');
  if (!root) return t.skip(skipMessage('lockfiles/real-world'));
  const files = walk(root, (p) => REAL_NAMES.test(p.split(sep).join('/')));
  assert.ok(files.length >= 4, `expected the real-world Python lockfiles, found ${files.length}`);
  let packages = 0;
  let ms = 0;
  for (const file of files) {
    const path: string = relative(root, file).split(sep).join('/');
    const found = PYTHON_READERS.find((r) => r.matches(path));
    assert.ok(found && !isBinaryReader(found), `no Python reader matches ${path}`);
    const reader: InventoryReader = found;
    const text = readFileSync(file, 'utf8');
    const started = performance.now();
    const result: ReadResult = reader.read({ path, text, readFile: fileReader(root) });
    ms += performance.now() - started;
    assert.deepEqual(result.problems, [], `${path}: ${JSON.stringify(result.problems)}`);
    assert.ok(result.packages.length > 0, `${path}: no packages`);
    for (const p of result.packages) {
      assert.equal(p.ecosystem, 'PyPI');
      assert.ok(p.purl.startsWith('pkg:pypi/'), p.purl);
      assert.ok(p.location.line === undefined || p.location.line > 0);
    }
    assert.equal(new Set(result.packages.map((p) => p.id)).size, result.packages.length, `${path}: ids not unique`);
    const ids = new Set(result.packages.map((p) => p.id));
    for (const e of result.edges) assert.ok((e.from === 'root' || ids.has(e.from)) && ids.has(e.to), `${path}: dangling edge ${e.from} → ${e.to}`);
    t.diagnostic(`${path} (${reader.id}): ${result.packages.length} packages, ${result.edges.length} edges`);
    packages += result.packages.length;
  }
  t.diagnostic(`${files.length} files, ${packages} packages in ${ms.toFixed(1)} ms (first read, cold)`);
});
