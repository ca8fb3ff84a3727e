import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { Package, ReadResult } from '../model.js';
import type { InventoryReader } from '../reader.js';
import { JAVASCRIPT_READERS } from './javascript.js';

/**
 * Conformance of the JavaScript lockfile readers with three public oracles, read by path
 * from ../shared/data/lockfiles (never copied here):
 *  - osv-scanner (legacy) and osv-scalibr expectations, transcribed from their Go tests:
 *    the set of name@version must be equal; Commit and DepGroups are compared where the
 *    expectation gives them (groups merged per name@version the way osv does: a package
 *    that is anywhere prod has no groups); a case that expects an error must give an
 *    `error` problem, any other case none.
 *  - Snyk's nodejs-lockfile-parser dep-graphs: the packages reachable through our edges
 *    from the project (the root, or the workspace whose folder holds the expected file)
 *    must be Snyk's package set (less the project itself and the package.json entries Snyk
 *    marks `missingLockFileEntry`, which no lockfile holds), and the project's direct
 *    dependencies must be Snyk's. The "dev-deps-excluded" variants leave out what we scope
 *    `dev`.
 * Agreement is printed per family; the floor asserted below is what the readers reach.
 */
const LOCKFILES = sharedData('lockfiles');
const reader = (id: string): InventoryReader => {
  const r = JAVASCRIPT_READERS.find((x) => x.id === id);
  if (!r || 'binary' in r) throw new Error(`no text reader ${id}`);
  return r;
};

type Verdict = { readonly family: string; readonly name: string; readonly ok: boolean; readonly reason?: string | undefined; readonly na?: boolean };

/**
 * Disagreements understood case by case (the check still runs; these only explain it).
 * Keys are paths relative to the Snyk folder.
 */
const KNOWN: Readonly<Record<string, string>> = {
  'npm-lock-v2/simple-override/expected.json':
    'Snyk resolves path-loader/node_modules/readable-stream → string_decoder to the copy under concat-stream (1.1.1); Node (and npm) load path-loader/node_modules/string_decoder 1.3.0, which needs safe-buffer 5.2.1',
  'npm-lock-v2/simple-dotted-override/expected.json': 'same install tree as simple-override: Snyk picks string_decoder 1.1.1 where Node loads 1.3.0',
  'npm-lock-v2/deep-override/expected.json':
    'Snyk re-applies the package.json override (swagger-tools > qs 6.5.3) to path-loader/node_modules/formidable; the lockfile installs no qs under it, so Node loads the top-level qs 6.11.2 and its side-channel/call-bind/get-intrinsic subtree',
  'npm-lock-v2/goof/expected.json':
    "Snyk does not descend into the nested install paths of nyc's bundled dependencies (nyc/node_modules/istanbul/node_modules/js-yaml/node_modules/argparse 1.0.7 …); they are installed and we keep them",
  'yarn-lock-v1/real/out-of-sync-workspaces/file-as-version/expected.json':
    "Snyk's graph is for the workspace packages/pkg-a, whose package.json is not in the shared data; a yarn v1 lockfile does not record workspaces",
  'yarn-lock-v1/real/out-of-sync-workspaces/file-as-version-no-lock-entry/expected.json': 'as file-as-version: the graph is for packages/pkg-a, whose package.json is not in the shared data',
  'yarn-lock-v1/real/out-of-sync-workspaces/lock-file-deps-out-of-sync/expected.json': 'as file-as-version: the graph is for packages/pkg-a, whose package.json is not in the shared data',
  'yarn-lock-v1/real/out-of-sync-workspaces/top-level-out-of-sync/expected.json': 'as file-as-version: the graph is for packages/pkg-a, whose package.json is not in the shared data',
  'yarn-lock-v2/real/out-of-sync-resolutions/expected.json':
    'the lockfile is out of sync with package.json resolutions (ms: 1.0.0) and has no ms 1.0.0 entry; Snyk adds ms@1.0.0 anyway (unlabelled), we report debug → ms as unresolved',
  'yarn-lock-v3/real/out-of-sync-resolutions/expected.json': 'as yarn-lock-v2 out-of-sync-resolutions: ms@1.0.0 is not in the lockfile',
  'yarn-lock-v4/real/out-of-sync-resolutions/expected.json': 'as yarn-lock-v2 out-of-sync-resolutions: ms@1.0.0 is not in the lockfile',
};


function readAt(r: InventoryReader, root: string, rel: string): ReadResult {
  const text = readFileSync(join(root, rel), 'utf8');
  const readFile = (p: string): string | undefined => {
    const abs = resolve(root, p);
    if (!abs.startsWith(root + sep) || !existsSync(abs) || !statSync(abs).isFile()) return undefined;
    return readFileSync(abs, 'utf8');
  };
  return r.read({ path: rel.split(sep).join('/'), text, readFile });
}

const nv = (name: string, version: string): string => `${name}@${version}`;

function walk(dir: string, keep: (p: string) => boolean, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, keep, out);
    else if (keep(p)) out.push(p);
  }
  return out;
}

/* ------------------------------------------------------------------ osv-scanner, osv-scalibr */

interface OsvPackage {
  readonly Name: string;
  readonly Version: string;
  readonly Commit?: string;
  readonly DepGroups?: string[] | null;
  readonly DepGroupVals?: string[] | null;
}
interface OsvCase {
  readonly test?: string;
  readonly case?: string;
  readonly expected_packages?: OsvPackage[] | null;
  readonly expected_error_containing?: string;
  readonly expected_error_is?: string;
}

/** osv's merge: a package found anywhere without groups (prod) has none; otherwise the union. */
function mergedGroups(pkgs: readonly Package[]): string[] {
  if (pkgs.some((p) => (p.groups ?? []).length === 0)) return [];
  return [...new Set(pkgs.flatMap((p) => p.groups ?? []))].sort();
}

function compareOsv(result: ReadResult, c: OsvCase): string | undefined {
  const errors = result.problems.filter((p) => p.severity === 'error');
  const wantsError = c.expected_error_containing !== undefined || c.expected_error_is !== undefined;
  if (wantsError && errors.length === 0) return `expected an error (${c.expected_error_containing ?? c.expected_error_is}), got none`;
  if (!wantsError && errors.length > 0) return `unexpected error: ${errors[0]!.message}`;
  const want = c.expected_packages ?? [];
  const ours = new Map<string, Package[]>();
  for (const p of result.packages) ours.set(nv(p.name, p.version), [...(ours.get(nv(p.name, p.version)) ?? []), p]);
  const wanted = new Set(want.map((p) => nv(p.Name, p.Version)));
  const missing = [...wanted].filter((k) => !ours.has(k));
  const extra = [...ours.keys()].filter((k) => !wanted.has(k));
  if (missing.length > 0 || extra.length > 0) return `packages differ: missing [${missing.join(', ')}] extra [${extra.join(', ')}]`;
  for (const key of wanted) {
    const entries = want.filter((p) => nv(p.Name, p.Version) === key);
    if (entries.every((e) => e.Commit !== undefined)) {
      const wantCommits = [...new Set(entries.map((e) => e.Commit ?? ''))].sort().join(',');
      const gotCommits = [...new Set(ours.get(key)!.map((p) => p.commit ?? ''))].sort().join(',');
      if (wantCommits !== gotCommits) return `${key}: commits [${gotCommits}], expected [${wantCommits}]`;
    }
    for (const e of entries) {
      const groups = e.DepGroups !== undefined ? e.DepGroups : e.DepGroupVals;
      if (groups === undefined) continue;
      const same = ours.get(key)!.filter((p) => e.Commit === undefined || (p.commit ?? '') === e.Commit);
      const got = mergedGroups(same).join(',');
      const exp = [...(groups ?? [])].sort().join(',');
      if (got !== exp) return `${key}: groups [${got}], expected [${exp}]`;
    }
  }
  return undefined;
}

const OSV_FAMILIES: readonly { family: string; root: string; expected: string; readerId: (fixture: string) => string | undefined }[] = [
  { family: 'osv-scanner npm', root: 'osv-scanner-legacy', expected: 'expected/npm', readerId: () => 'npm-lock' },
  { family: 'osv-scanner yarn', root: 'osv-scanner-legacy', expected: 'expected/yarn', readerId: () => 'yarn-lock' },
  { family: 'osv-scanner pnpm', root: 'osv-scanner-legacy', expected: 'expected/pnpm', readerId: () => 'pnpm-lock' },
  {
    family: 'osv-scalibr javascript',
    root: 'osv-scalibr',
    expected: 'expected/javascript',
    readerId: (f) => (f.includes('/bunlock/') ? 'bun-lock' : f.includes('/packagelockjson/') ? 'npm-lock' : undefined),
  },
];

function osvVerdicts(): Verdict[] {
  const out: Verdict[] = [];
  for (const fam of OSV_FAMILIES) {
    const root = join(LOCKFILES!, fam.root);
    const dir = join(root, fam.expected);
    if (!existsSync(dir)) continue;
    for (const file of walk(dir, (p) => p.endsWith('.expected.json'))) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { fixture: string; cases: OsvCase[] };
      const id = fam.readerId(doc.fixture);
      if (!id) continue;
      const result = readAt(reader(id), root, doc.fixture);
      for (const c of doc.cases) {
        const reason = compareOsv(result, c);
        out.push({ family: fam.family, name: `${doc.fixture} (${c.test ?? c.case ?? ''})`, ok: reason === undefined, reason });
      }
    }
  }
  return out;
}

/* ------------------------------------------------------------------ Snyk dep-graphs */

interface SnykGraph {
  readonly pkgs: { id: string; info: { name: string; version?: string } }[];
  readonly graph: { rootNodeId: string; nodes: { nodeId: string; pkgId: string; deps: { nodeId: string }[]; info?: { labels?: Record<string, string> } }[] };
}

const LOCKS: Readonly<Record<string, string>> = { 'package-lock.json': 'npm-lock', 'yarn.lock': 'yarn-lock', 'pnpm-lock.yaml': 'pnpm-lock' };

function findLockDir(from: string, stop: string): { dir: string; file: string } | undefined {
  for (let d = from; d.startsWith(stop); d = dirname(d)) {
    for (const file of Object.keys(LOCKS)) if (existsSync(join(d, file))) return { dir: d, file };
    if (d === stop) break;
  }
  return undefined;
}

function compareSnyk(result: ReadResult, expected: SnykGraph, workspace: string, devExcluded: boolean, optionalExcluded: boolean): string | undefined {
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) return `unexpected error: ${errors[0]!.message}`;
  const byId = new Map(result.packages.map((p) => [p.id, p]));
  const wsNames = new Set(result.packages.filter((p) => p.properties?.['workspace'] !== undefined).map((p) => p.name));
  const key = (name: string, version: string | undefined): string => (wsNames.has(name) ? `${name}@<workspace>` : nv(name, version ?? ''));
  const start = workspace === '' ? 'root' : result.packages.find((p) => p.properties?.['workspace'] === workspace)?.id;
  if (start === undefined) return `no workspace package for ${workspace}`;
  const adjacency = new Map<string, string[]>();
  for (const e of result.edges) adjacency.set(e.from, [...(adjacency.get(e.from) ?? []), e.to]);
  const seen = new Set<string>();
  const queue = [...(adjacency.get(start) ?? [])];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(adjacency.get(id) ?? []));
  }
  const keep = (p: Package): boolean => (!devExcluded || p.scope !== 'dev') && (!optionalExcluded || p.scope !== 'optional');
  const ours = new Set([...seen].map((id) => byId.get(id)!).filter((p) => keep(p) && p.id !== start).map((p) => key(p.name, p.version)));
  const direct = new Set((adjacency.get(start) ?? []).map((id) => byId.get(id)!).filter(keep).map((p) => key(p.name, p.version)));

  const nodes = new Map(expected.graph.nodes.map((n) => [n.nodeId, n]));
  const pkgs = new Map(expected.pkgs.map((p) => [p.id, p.info]));
  const root = nodes.get(expected.graph.rootNodeId)!;
  const missing = new Set(expected.graph.nodes.filter((n) => n.info?.labels?.['missingLockFileEntry'] === 'true').map((n) => n.pkgId));
  const rootName = pkgs.get(root.pkgId)?.name;
  const want = new Set(
    [...new Set(expected.graph.nodes.map((n) => n.pkgId))]
      .filter((id) => id !== root.pkgId && !missing.has(id) && pkgs.get(id)?.name !== rootName)
      .map((id) => key(pkgs.get(id)!.name, pkgs.get(id)!.version)),
  );
  const wantDirect = new Set(
    root.deps.map((d) => nodes.get(d.nodeId)!.pkgId).filter((id) => !missing.has(id) && pkgs.get(id)?.name !== rootName).map((id) => key(pkgs.get(id)!.name, pkgs.get(id)!.version)),
  );
  ours.delete(key(rootName ?? '', undefined));
  const diff = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => !b.has(x)).sort();
  const m1 = diff(want, ours);
  const e1 = diff(ours, want);
  if (m1.length > 0 || e1.length > 0) return `reachable packages differ: missing [${m1.slice(0, 8).join(', ')}${m1.length > 8 ? ' …' : ''}] extra [${e1.slice(0, 8).join(', ')}${e1.length > 8 ? ' …' : ''}]`;
  const m2 = diff(wantDirect, direct);
  const e2 = diff(direct, wantDirect);
  if (m2.length > 0 || e2.length > 0) return `direct dependencies differ: missing [${m2.join(', ')}] extra [${e2.join(', ')}]`;
  return undefined;
}

function snykVerdicts(): Verdict[] {
  const base = join(LOCKFILES!, 'snyk-nodejs-lockfile-parser');
  if (!existsSync(base)) return [];
  const out: Verdict[] = [];
  for (const kind of readdirSync(base).sort()) {
    const familyDir = join(base, kind);
    const family = `snyk ${kind.replace(/-lock-v\d+$/, '')}`;
    for (const file of walk(familyDir, (p) => /[/\\]expected[^/\\]*\.json$/.test(p))) {
      const name = relative(base, file);
      const lock = findLockDir(dirname(file), familyDir);
      if (!lock) {
        out.push({ family, name, ok: false, na: true, reason: 'the shared data holds no lockfile for this case' });
        continue;
      }
      const workspace = relative(lock.dir, dirname(file)).split(sep).join('/');
      const result = readAt(reader(LOCKS[lock.file]!), lock.dir, lock.file);
      const expected = JSON.parse(readFileSync(file, 'utf8')) as SnykGraph;
      // Snyk leaves dev dependencies out unless asked: graphs that have them say so (the
      // "-dev-deps-included" variants, or nodes labelled scope=dev).
      const withDev = file.includes('dev-deps-included') || expected.graph.nodes.some((n) => n.info?.labels?.['scope'] === 'dev');
      // Snyk's pnpm parser leaves out the optionalDependencies of packages (they are installed; we keep them, scoped `optional`).
      const reason = compareSnyk(result, expected, workspace, !withDev, kind.startsWith('pnpm'));
      const known = KNOWN[name.split(sep).join('/')];
      out.push({ family, name, ok: reason === undefined, reason: reason && known ? `${reason} (known: ${known})` : reason });
    }
  }
  return out;
}

/* ------------------------------------------------------------------ report */

function report(t: TestContext, verdicts: readonly Verdict[]): void {
  const families = [...new Set(verdicts.map((v) => v.family))];
  for (const f of families) {
    const mine = verdicts.filter((v) => v.family === f && !v.na);
    const na = verdicts.filter((v) => v.family === f && v.na).length;
    t.diagnostic(`${f}: ${mine.filter((v) => v.ok).length}/${mine.length} cases${na > 0 ? ` (${na} more without a lockfile in the shared data, not counted)` : ''}`);
  }
  for (const v of verdicts) if (!v.ok) t.diagnostic(`${v.na ? 'not applicable' : 'disagreement'} ${v.family} ${v.name}: ${v.reason}`);
}

test('osv-scanner and osv-scalibr expectations for npm, yarn, pnpm and bun lockfiles', { skip: LOCKFILES ? false : skipMessage('lockfiles') }, (t) => {
  const verdicts = osvVerdicts();
  report(t, verdicts);
  assert.ok(verdicts.length >= 68, `only ${verdicts.length} osv cases found`);
  const agree = verdicts.filter((v) => v.ok).length;
  assert.ok(agree >= FLOORS.osv, `osv agreement ${agree}/${verdicts.length} is below the floor ${FLOORS.osv}`);
});

test("Snyk nodejs-lockfile-parser dep-graphs", { skip: LOCKFILES ? false : skipMessage('lockfiles') }, (t) => {
  const all = snykVerdicts();
  report(t, all);
  const verdicts = all.filter((v) => !v.na);
  assert.ok(verdicts.length >= 100, `only ${verdicts.length} Snyk cases found`);
  const agree = verdicts.filter((v) => v.ok).length;
  assert.ok(agree >= FLOORS.snyk, `Snyk agreement ${agree}/${verdicts.length} is below the floor ${FLOORS.snyk}`);
});

test('no reader throws on truncated or corrupted corpus files', { skip: LOCKFILES ? false : skipMessage('lockfiles') }, () => {
  const files = walk(LOCKFILES!, (p) => /(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|\.json5|[/\\]fixtures[/\\](npm|yarn|pnpm)[/\\].*)$/.test(p));
  assert.ok(files.length > 100);
  let reads = 0;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const id = file.endsWith('.json5') ? 'bun-lock' : /yarn/.test(file) ? 'yarn-lock' : /pnpm/.test(file) ? 'pnpm-lock' : 'npm-lock';
    const r = reader(id);
    for (let k = 1; k <= 6; k++) {
      const cut = Math.floor((text.length * k) / 7);
      const variants = [text.slice(0, cut), `${text.slice(0, cut)}\u0000{[":${text.slice(cut)}`, text.slice(cut)];
      for (const v of variants) {
        const res = r.read({ path: 'x', text: v, readFile: () => undefined });
        assert.ok(Array.isArray(res.packages) && Array.isArray(res.edges) && Array.isArray(res.problems));
        reads++;
      }
    }
  }
  assert.ok(reads > 1000);
});

/** Cases that agree today (osv 68/68, Snyk 131/142): a regression fails the test. */
const FLOORS = { osv: 68, snyk: 131 };
