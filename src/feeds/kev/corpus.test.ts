import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { KevEntry } from '../../core/advisory.js';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import type { FeedRecord } from '../types.js';
import { kevParser } from './index.js';

/**
 * Every dated KEV snapshot in ../shared/data/kev: the JSON and the CSV form both parse in
 * full and agree entry for entry, and the JSON passes CISA's own schema (read by path).
 */
const ROOT = sharedData('kev');
const JSON_NAME = 'known_exploited_vulnerabilities.json';
const CSV_NAME = 'known_exploited_vulnerabilities.csv';
const SCHEMA_NAME = 'known_exploited_vulnerabilities_schema.json';

function parse(dir: string, name: string): FeedRecord[] {
  const rel = `kev/${dir.split('/').pop()}/${name}`;
  const bytes = readFileSync(join(dir, name));
  assert.equal(kevParser.sniff(name, bytes.subarray(0, 4096).toString('utf8')), true, `${rel} is recognised`);
  return [...kevParser.parse({ origin: { file: rel }, name, bytes })];
}

const entriesOf = (rs: FeedRecord[]): KevEntry[] => rs.flatMap((r) => (r.kind === 'kev' ? [r.entry] : []));

test('KEV snapshots: JSON and CSV parse in full, agree, and the JSON passes the catalog schema', { skip: ROOT ? false : skipMessage('kev/') }, (t) => {
  const dirs = readdirSync(ROOT!).filter((d) => existsSync(join(ROOT!, d, JSON_NAME))).sort();
  assert.ok(dirs.length > 0, 'at least one snapshot');
  const schemaDir = dirs.find((d) => existsSync(join(ROOT!, d, SCHEMA_NAME)));
  assert.ok(schemaDir, `a ${SCHEMA_NAME} beside one snapshot`);
  const schema = JSON.parse(readFileSync(join(ROOT!, schemaDir, SCHEMA_NAME), 'utf8')) as { $schema: string };
  assert.match(schema.$schema, /draft-07/, 'a draft-07 schema, hence the default Ajv class');
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormatsModule.default(ajv);
  const validate = ajv.compile(schema);

  for (const d of dirs) {
    const dir = join(ROOT!, d);
    const catalog = JSON.parse(readFileSync(join(dir, JSON_NAME), 'utf8')) as { count: number; catalogVersion: string };
    assert.equal(validate(catalog), true, `${d}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);

    const fromJson = parse(dir, JSON_NAME);
    const bad = fromJson.filter((r) => r.kind === 'invalid');
    assert.deepEqual(bad, [], `${d}: no invalid JSON entries`);
    assert.equal(fromJson.length, catalog.count, `${d}: every entry read`);
    assert.ok(fromJson.every((r) => r.kind === 'kev' && r.catalogVersion === catalog.catalogVersion));

    let line = '';
    if (existsSync(join(dir, CSV_NAME))) {
      const fromCsv = parse(dir, CSV_NAME);
      assert.deepEqual(fromCsv.filter((r) => r.kind === 'invalid'), [], `${d}: no invalid CSV records`);
      assert.deepEqual(entriesOf(fromCsv), entriesOf(fromJson), `${d}: CSV and JSON agree entry for entry`);
      const lines = fromCsv.map((r) => r.origin.line);
      assert.deepEqual(lines.slice(0, 3), [2, 3, 4]);
      line = `, CSV lines 2–${lines[lines.length - 1]}`;
    }
    const known = entriesOf(fromJson).filter((e) => e.knownRansomwareCampaignUse === 'Known').length;
    t.diagnostic(`${d}: catalog ${catalog.catalogVersion}, ${fromJson.length} entries (${known} with known ransomware use)${line}`);
  }

  const latest = join(ROOT!, '2025-08-25');
  if (!existsSync(join(latest, JSON_NAME))) {
    t.diagnostic('2025-08-25 snapshot absent: exact-value checks skipped');
    return;
  }
  const rs = parse(latest, JSON_NAME);
  assert.equal(rs.length, 1404);
  const e = entriesOf(rs);
  assert.deepEqual(e[0], {
    cveId: 'CVE-2025-48384',
    vendorProject: 'Git',
    product: 'Git',
    vulnerabilityName: 'Git Link Following Vulnerability',
    dateAdded: '2025-08-25',
    shortDescription: 'Git contains a link following vulnerability that stems from Git’s inconsistent handling of carriage return characters in configuration files.',
    requiredAction: 'Apply mitigations per vendor instructions, follow applicable BOD 22-01 guidance for cloud services, or discontinue use of the product if mitigations are unavailable.',
    dueDate: '2025-09-15',
    knownRansomwareCampaignUse: 'Unknown',
    notes: 'This vulnerability affects a common open-source component, third-party library, or a protocol used by different products. For more information, please see: https://github.com/git/git/security/advisories/GHSA-vwqx-4fm8-6qc9 ; https://access.redhat.com/errata/RHSA-2025:13933 ; https://alas.aws.amazon.com/AL2/ALAS2-2025-2941.html ; https://linux.oracle.com/errata/ELSA-2025-11534.html ; https://msrc.microsoft.com/update-guide/vulnerability/CVE-2025-48384 ; https://nvd.nist.gov/vuln/detail/CVE-2025-48384',
    cwes: ['CWE-59', 'CWE-436'],
  });
  assert.deepEqual(
    e[1] && { cveId: e[1].cveId, product: e[1].product, cwes: e[1].cwes, dueDate: e[1].dueDate },
    { cveId: 'CVE-2024-8068', product: 'Session Recording', cwes: ['CWE-269'], dueDate: '2025-09-15' },
  );
  assert.equal(e.filter((x) => x.knownRansomwareCampaignUse === 'Known').length, 293);
  assert.equal(e.filter((x) => x.cwes.length === 0).length, 152);
  assert.equal(new Set(e.map((x) => x.cveId)).size, 1404, 'each CVE once');
});
