import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Advisory } from '../../core/advisory.js';
import { testDatabase, type TestDatabase } from '../../../test/helpers/db.js';
import type { Database } from '../db.js';
import { upsertAdvisories } from './advisories.js';

// Migration 012: the id rows of an advisory are checked against it once per statement and go
// with it, as the foreign key they replace did (delete, and now TRUNCATE too).

let t: TestDatabase;
let db: Database;
before(async () => {
  t = await testDatabase();
  db = t.db;
});
after(() => t.cleanup());

const advisory = (id: string, aliases: string[]): Advisory => ({
  source: 'osv',
  id,
  aliases,
  related: [],
  title: `Title of ${id}`,
  description: null,
  published: null,
  modified: '2024-02-01T00:00:00.000Z',
  withdrawn: null,
  rejected: false,
  cwes: [],
  references: [],
  cvss: [],
  ssvc: [],
  affectedPackages: [],
  affectedProducts: [],
  cpeConfigurations: [],
  raw: { id },
});

const idsOf = (id: string) =>
  db.system((q) => q.query<{ vuln_id: string }>('SELECT vuln_id FROM advisory_ids WHERE advisory_id = $1 ORDER BY vuln_id', [id])).then((r) => r.rows.map((x) => x.vuln_id));

test('ids are written with their advisory and deleted with it', async () => {
  await db.system((q) => upsertAdvisories(q, [advisory('GHSA-aaaa-bbbb-0001', ['CVE-2024-0001']), advisory('GHSA-aaaa-bbbb-0002', ['cve-2024-0002', 'PYSEC-2024-2'])]));
  assert.deepEqual(await idsOf('GHSA-aaaa-bbbb-0001'), ['CVE-2024-0001', 'GHSA-AAAA-BBBB-0001']);
  assert.deepEqual(await idsOf('GHSA-aaaa-bbbb-0002'), ['CVE-2024-0002', 'GHSA-AAAA-BBBB-0002', 'PYSEC-2024-2']);
  await db.system((q) => q.query("DELETE FROM advisories WHERE id = 'GHSA-aaaa-bbbb-0001'"));
  assert.deepEqual(await idsOf('GHSA-aaaa-bbbb-0001'), []);
  assert.equal((await idsOf('GHSA-aaaa-bbbb-0002')).length, 3, 'the other advisory keeps its ids');
});

test('an id row naming no advisory is refused (23503), alone or among good ones', async () => {
  for (const rows of [
    [['CVE-2024-9999', 'osv', 'GHSA-none-none-none']],
    [
      ['X-1', 'osv', 'GHSA-aaaa-bbbb-0002'],
      ['X-2', 'osv', 'GHSA-none-none-none'],
    ],
  ]) {
    await assert.rejects(
      db.system((q) => q.query('INSERT INTO advisory_ids (vuln_id, source, advisory_id) SELECT * FROM json_to_recordset($1::json) AS r(v text, s text, a text)', [JSON.stringify(rows.map(([v, s, a]) => ({ v, s, a })))])),
      (err: unknown) => (err as { code?: string }).code === '23503',
    );
  }
  // Several rows naming the same existing advisory pass.
  await db.system((q) => q.query("INSERT INTO advisory_ids (vuln_id, source, advisory_id) VALUES ('X-3', 'osv', 'GHSA-aaaa-bbbb-0002'), ('X-4', 'osv', 'GHSA-aaaa-bbbb-0002')"));
  assert.equal((await idsOf('GHSA-aaaa-bbbb-0002')).length, 5);
});

test('TRUNCATE of advisories empties their ids', async () => {
  await db.system((q) => q.query('TRUNCATE advisories'));
  const { rows } = await db.system((q) => q.query<{ n: number }>('SELECT count(*)::int AS n FROM advisory_ids'));
  assert.equal(rows[0]!.n, 0);
});
