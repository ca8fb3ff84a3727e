import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../helpers/cli.js';

/**
 * `vigil scan`, the CI gate, on its own embedded database (PGlite in a temporary directory,
 * whatever DATABASE_URL says): exit codes 0 / 1 / 2, the JSON contract, SARIF, the ignore
 * file and VEX, unreadable files, an empty database.
 */

let dir: string;
let data: string[];
let app: string;
const savedUrl = process.env['DATABASE_URL'];

const osv = (id: string, pkg: string, fixed: string, aliases: string[], vector: string) => ({
  schema_version: '1.6.0',
  id,
  modified: '2024-01-01T00:00:00Z',
  published: '2023-01-01T00:00:00Z',
  summary: `${pkg} is vulnerable`,
  aliases,
  severity: [{ type: 'CVSS_V3', score: vector }],
  affected: [{ package: { ecosystem: 'npm', name: pkg }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
});

before(async () => {
  delete process.env['DATABASE_URL'];
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-scan-'));
  data = ['--data-dir', join(dir, 'data')];
  await mkdir(join(dir, 'osv'));
  await writeFile(join(dir, 'osv', 'a.json'), JSON.stringify(osv('GHSA-35jh-r3h4-6jhm', 'lodash', '4.17.21', ['CVE-2021-23337'], 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H')));
  await writeFile(join(dir, 'osv', 'b.json'), JSON.stringify(osv('GHSA-xvch-5gv4-984h', 'minimist', '1.2.6', ['CVE-2021-44906'], 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')));
  const imp = await runCaptured(['db', 'import', join(dir, 'osv'), '-q', ...data]);
  assert.equal(imp.code, 0, imp.err);
  app = join(dir, 'app');
  await mkdir(app);
  await writeFile(
    join(app, 'package-lock.json'),
    JSON.stringify({
      name: 'app',
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', dependencies: { lodash: '*', mkdirp: '*' } },
        'node_modules/lodash': { version: '4.17.20' },
        'node_modules/mkdirp': { version: '0.5.5', dependencies: { minimist: '^1.2.5' } },
        'node_modules/minimist': { version: '1.2.5' },
        'node_modules/ms': { version: '2.1.3' },
      },
    }),
  );
});
after(async () => {
  if (savedUrl !== undefined) process.env['DATABASE_URL'] = savedUrl;
  await rm(dir, { recursive: true, force: true });
});

test('--format json follows the contract; findings carry fix, path and risk; exit 0 without a gate', async () => {
  const r = await runCaptured(['scan', app, '--format', 'json', '-q', ...data]);
  assert.equal(r.code, 0, r.err);
  const doc = JSON.parse(r.out) as {
    target: string;
    packages: number;
    findings: { id: string; aliases: string[]; package: { name: string; version: string; purl: string; ecosystem: string }; severity: string; cvss: unknown[]; fixedVersions: string[]; kev: unknown; epss: unknown; path: string[]; risk: { score: number } }[];
    errors: unknown[];
  };
  assert.equal(doc.target, app);
  assert.equal(doc.packages, 4);
  assert.deepEqual(doc.errors, []);
  assert.deepEqual(doc.findings.map((f) => [f.id, f.severity, f.package.name, f.fixedVersions[0]]), [
    ['CVE-2021-44906', 'critical', 'minimist', '1.2.6'],
    ['CVE-2021-23337', 'high', 'lodash', '4.17.21'],
  ]);
  const minimist = doc.findings[0]!;
  assert.deepEqual(minimist.aliases, ['GHSA-xvch-5gv4-984h']);
  assert.equal(minimist.package.purl, 'pkg:npm/minimist@1.2.5');
  assert.equal(minimist.package.ecosystem, 'npm');
  assert.equal(minimist.path.length, 2, 'pulled in by mkdirp');
  assert.match(minimist.path[0]!, /mkdirp/);
  assert.ok(minimist.risk.score > 0 && minimist.risk.score <= 10);
  assert.equal(minimist.kev, null);
  assert.equal(minimist.epss, null);
  assert.equal(minimist.cvss.length, 1);
});

test('--fail-on: exit 1 at or above the level, 0 below; the table names the fix', async () => {
  const high = await runCaptured(['scan', app, '--fail-on', 'high', ...data]);
  assert.equal(high.code, 1, high.err);
  assert.match(high.err, /gate failed: 2 finding\(s\) at or above high/);
  assert.match(high.out, /lodash@4\.17\.20/);
  assert.match(high.out, /upgrade lodash to 4\.17\.21/);
  const bad = await runCaptured(['scan', app, '--fail-on', 'severe', ...data]);
  assert.equal(bad.code, 2);
});

test('.vigilignore needs a reason; its entries and VEX statements suppress findings from the gate', async () => {
  const ignore = join(dir, 'ignore-bad');
  await writeFile(ignore, 'CVE-2021-44906\n');
  const bad = await runCaptured(['scan', app, '--ignore-file', ignore, '-q', ...data]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /ignore-bad:1/);
  assert.match(bad.err, /reason/);
  const good = join(dir, 'ignore-good');
  await writeFile(good, '# accepted\nCVE-2021-44906 pkg:npm/minimist "only the CLI uses it"\n');
  const crit = await runCaptured(['scan', app, '--ignore-file', good, '--fail-on', 'critical', '--format', 'json', '-q', ...data]);
  assert.equal(crit.code, 0, crit.err);
  const doc = JSON.parse(crit.out) as { findings: { id: string; suppression: { kind: string } | null }[] };
  assert.equal(doc.findings.find((f) => f.id === 'CVE-2021-44906')?.suppression?.kind, 'ignore-file', 'still reported, as suppressed');
  const vex = join(dir, 'vex.json');
  await writeFile(
    vex,
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/2',
      author: 'sec',
      timestamp: '2024-01-01T00:00:00Z',
      version: 1,
      statements: [{ vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash' }], status: 'not_affected', justification: 'vulnerable_code_not_in_execute_path' }],
    }),
  );
  const both = await runCaptured(['scan', app, '--ignore-file', good, '--vex', vex, '--fail-on', 'low', '-q', ...data]);
  assert.equal(both.code, 0, both.err);
  const badVex = join(dir, 'vex-bad.json');
  await writeFile(badVex, '{"nope": true}');
  assert.equal((await runCaptured(['scan', app, '--vex', badVex, '-q', ...data])).code, 2);
});

test('SARIF 2.1.0 locates results at the lockfile', async () => {
  const r = await runCaptured(['scan', app, '--format', 'sarif', '-q', ...data]);
  assert.equal(r.code, 0, r.err);
  const sarif = JSON.parse(r.out) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
  assert.equal(sarif.version, '2.1.0');
  assert.equal(sarif.runs[0]!.tool.driver.name, 'vigil');
  assert.equal(sarif.runs[0]!.results.length, 2);
  assert.equal(sarif.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'package-lock.json');
});

test('an unreadable file makes the scan incomplete: exit 2 unless --allow-partial; usage errors exit 2', async () => {
  const broken = join(dir, 'broken');
  await mkdir(join(broken, 'svc'), { recursive: true });
  await writeFile(join(broken, 'svc', 'package-lock.json'), '{"lockfileVersion": 3, "packages": {"node_modules/lodash": {"version": "4.17.20"}}}');
  await writeFile(join(broken, 'Cargo.lock'), '[[package]]\nname = "serde"\nversion = ');
  const r = await runCaptured(['scan', broken, '--format', 'json', ...data]);
  assert.equal(r.code, 2, r.err);
  assert.match(r.err, /Cargo\.lock/);
  const doc = JSON.parse(r.out) as { errors: { path: string; reason: string }[]; findings: unknown[] };
  assert.equal(doc.errors[0]?.path.startsWith('Cargo.lock'), true);
  assert.equal(doc.findings.length, 1, 'the readable lockfile is still scanned');
  assert.equal((await runCaptured(['scan', broken, '--allow-partial', '-q', ...data])).code, 0);
  assert.equal((await runCaptured(['scan', join(dir, 'missing'), ...data])).code, 2);
  assert.equal((await runCaptured(['scan', app, '--offline', '--server', 'http://127.0.0.1:1', ...data])).code, 2);
  assert.equal((await runCaptured(['scan', app, '--format', 'xml', ...data])).code, 2);
});

test('an empty advisory database is an error, not a clean pass', async () => {
  const r = await runCaptured(['scan', app, '--data-dir', join(dir, 'empty')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /advisory database is empty/);
});
