import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import Ajv04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { makeFinding, makeReport, sampleReport } from '../test-fixtures.js';
import { fileUri, renderSarif } from './index.js';

// Both are CommonJS: under NodeNext the default import is `module.exports`, whose `.default` is the export.
const Ajv04 = Ajv04Module.default;
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: InstanceType<typeof Ajv04>) => unknown;

const require = createRequire(import.meta.url);
const schemaPath = require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

function validator() {
  // The schema's language pattern is not valid with the `u` flag (a stray `]`), hence unicodeRegExp: false.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
}

const hostile = makeReport([
  makeFinding({ id: 'CVE-2024-1', title: null, cvss: [], severity: 'unknown', fixedVersions: [], epss: null, package: { name: 'weird pkg', version: '', purl: '', id: 'weird', location: { file: './dir with space/ä#?.lock', line: 0 } } }),
  makeFinding({ id: 'GO-2024-1', aliases: [], severity: 'none', cvss: [], package: { name: 'g', purl: 'pkg:golang/g@v1.0.0', location: { file: '' } } }),
  makeFinding({ confidence: 'low', matchedBy: 'cpe', suppression: { kind: 'triage', status: 'false_positive', reason: 'wrong product', source: 'audit:42' } }),
]);

test('SARIF validates against the official 2.1.0 schema: sample, empty, errors only, odd input', () => {
  const validate = validator();
  const reports = [sampleReport(), makeReport(), makeReport([], { errors: [{ path: 'a b/c.lock', reason: 'bad' }], unassessed: [{ packageId: 'x', purl: '', reason: 'r' }] }), hostile];
  for (const r of reports) {
    const doc = JSON.parse(renderSarif(r, { informationUri: 'https://example.com/vigil' }));
    assert.equal(validate(doc), true, JSON.stringify(validate.errors?.slice(0, 3)));
  }
  // The validator does reject what is wrong.
  const bad = JSON.parse(renderSarif(sampleReport()));
  bad.runs[0].results[0].level = 'critical';
  assert.equal(validate(bad), false);
});

test('SARIF: driver, one rule per advisory id with help and security-severity, results with level, location, fingerprint', () => {
  const log = JSON.parse(renderSarif(sampleReport(), { informationUri: 'https://example.com/vigil' }));
  assert.equal(log.version, '2.1.0');
  assert.match(log.$schema, /sarif-schema-2\.1\.0\.json$/);
  const run = log.runs[0];
  assert.equal(run.tool.driver.name, 'vigil');
  assert.equal(run.tool.driver.version, '9.9.9');
  assert.equal(run.tool.driver.informationUri, 'https://example.com/vigil');
  const rules = run.tool.driver.rules;
  assert.deepEqual(rules.map((r: { id: string }) => r.id), ['CVE-2020-8203', 'CVE-2021-44906', 'CVE-2021-23337', 'GHSA-29mw-wpgm-hmr9', 'GHSA-aaaa-bbbb-cccc']);
  const r0 = rules[0];
  assert.equal(r0.shortDescription.text, 'Prototype Pollution in lodash');
  assert.equal(r0.helpUri, 'https://nvd.nist.gov/vuln/detail/CVE-2020-8203');
  assert.match(r0.help.text, /lodash@4\.17\.20: upgrade lodash to 4\.17\.19 \(fixes 1\)/);
  assert.equal(r0.properties['security-severity'], '9.8');
  assert.deepEqual(r0.properties.tags, ['security', 'vulnerability', 'critical', 'kev']);
  assert.equal(rules[3].helpUri, 'https://github.com/advisories/GHSA-29mw-wpgm-hmr9');
  assert.equal(rules[3].properties['security-severity'], '4.0', 'no CVSS: the floor of its band');
  assert.equal(rules[4].properties['security-severity'], '0.1');

  const results = run.results;
  assert.equal(results.length, 5);
  const [crit, transitive, high, suppressed, low] = results;
  assert.equal(crit.ruleId, 'CVE-2020-8203');
  assert.equal(crit.ruleIndex, 0);
  assert.equal(crit.level, 'error');
  assert.equal(high.level, 'error');
  assert.equal(suppressed.level, 'warning');
  assert.equal(low.level, 'note');
  assert.equal(crit.message.text, 'lodash 4.17.20 is vulnerable to CVE-2020-8203 (Prototype Pollution in lodash); upgrade lodash to 4.17.19 (fixes 1)');
  assert.match(transitive.message.text, /upgrade mkdirp/);
  assert.deepEqual(crit.locations, [{ physicalLocation: { artifactLocation: { uri: 'package-lock.json' }, region: { startLine: 12 } } }]);
  assert.deepEqual(low.locations, [{ physicalLocation: { artifactLocation: { uri: 'package-lock.json' } } }]);
  assert.match(crit.partialFingerprints['vigil/v1'], /^[0-9a-f]{64}$/);
  assert.equal(suppressed.suppressions[0].kind, 'external');
  assert.match(suppressed.suppressions[0].justification, /ignore-file accepted_risk; only used in tests; until 2027-01-31; \(\.vigilignore:3\)/);
  assert.equal(crit.suppressions, undefined);
  assert.deepEqual(
    run.invocations[0].toolExecutionNotifications.map((n: { level: string; message: { text: string } }) => [n.level, n.message.text]),
    [
      ['error', 'poetry.lock: line 12: expected a [[package]] table'],
      ['warning', 'not assessed: pkg:hex/foo@1.0: no version scheme for ecosystem Hex'],
    ],
  );
});

test('SARIF fingerprints are stable per (id, purl, file) and differ otherwise', () => {
  const fp = (r: ReturnType<typeof makeReport>) => JSON.parse(renderSarif(r)).runs[0].results.map((x: { partialFingerprints: Record<string, string> }) => x.partialFingerprints['vigil/v1']);
  const a = makeFinding();
  const [same] = fp(makeReport([makeFinding({ title: 'another title', risk: { score: 1, contributions: [] } })]));
  assert.equal(fp(makeReport([a]))[0], same);
  assert.notEqual(fp(makeReport([makeFinding({ package: { location: { file: 'other/package-lock.json', line: 12 } } })]))[0], same);
  assert.notEqual(fp(makeReport([makeFinding({ id: 'CVE-2000-1' })]))[0], same);
});

test('fileUri: relative, /-separated, percent-encoded segments', () => {
  assert.equal(fileUri('./a/b c/ä.lock'), 'a/b%20c/%C3%A4.lock');
  assert.equal(fileUri('/abs/x'), 'abs/x');
  assert.equal(fileUri('win\\path\\p.lock'), 'win/path/p.lock');
  assert.equal(fileUri('img.tar!usr/lib/x#1?'), 'img.tar!usr/lib/x%231%3F');
  assert.equal(fileUri('c:/x'), 'c%3A/x');
});
