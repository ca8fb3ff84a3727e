import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../../../test/helpers/cli.js';
import { usingServer } from '../../../test/helpers/db.js';
import { feedServer, withEtag, type FeedServer } from '../../../test/helpers/feedServer.js';
import { EXIT, UsageError } from '../io.js';
import { parseSources } from './db.js';

const run = runCaptured;

let dir: string;
let srv: FeedServer;
let dataArgs: string[];
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-sync-'));
  srv = await feedServer();
  dataArgs = usingServer() ? [] : ['--data-dir', join(dir, 'data')];
});
after(async () => {
  await srv.close();
  await rm(dir, { recursive: true, force: true });
});

test('--source takes feed ids, repeated or comma-separated', () => {
  assert.deepEqual(parseSources(undefined), []);
  assert.deepEqual(parseSources(['kev,epss', 'kev', ' nvd ']), ['kev', 'epss', 'nvd']);
  assert.throws(() => parseSources(['kev', 'github']), (e: unknown) => e instanceof UsageError && /--source: .*"github"/.test(e.message));
});

test('vigil db sync: imports from the configured URL, then finds it unchanged', async () => {
  assert.equal((await run(['db', 'sync', '--source', 'bogus', ...dataArgs])).code, EXIT.usage);
  const catalog = JSON.stringify({
    title: 'CISA Catalog of Known Exploited Vulnerabilities',
    catalogVersion: '2025.08.25',
    dateReleased: '2025-08-25T17:00:50.6574Z',
    count: 1,
    vulnerabilities: [{ cveID: 'CVE-2024-1111', vendorProject: 'Example', product: 'Widget', vulnerabilityName: 'Widget bug', dateAdded: '2025-01-10', shortDescription: 'x', requiredAction: 'Patch', dueDate: '2025-01-31', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] }],
  });
  srv.route('/kev.json', (req) => withEtag(req, '"k1"', catalog));
  const saved = process.env['VIGIL_KEV_URL'];
  process.env['VIGIL_KEV_URL'] = `${srv.origin}/kev.json`;
  try {
    const first = await run(['db', 'sync', '--source', 'kev', '--json', ...dataArgs]);
    assert.equal(first.code, EXIT.ok, first.err);
    const report = JSON.parse(first.out) as { ok: boolean; sources: { source: string; status: string; records: number }[] };
    assert.equal(report.ok, true);
    assert.deepEqual(report.sources.map((s) => [s.source, s.status, s.records]), [['kev', 'updated', 1]]);
    const second = await run(['db', 'sync', '--source', 'kev', '--quiet', ...dataArgs]);
    assert.equal(second.code, EXIT.ok, second.err);
    assert.match(second.out, /^kev: unchanged \(not modified since the last sync\)$/m);
    assert.equal(srv.seen('/kev.json').at(-1)?.headers['if-none-match'], '"k1"');
    const status = await run(['db', 'status', ...dataArgs]);
    assert.match(status.out, /kev +1 entries/);
    assert.match(status.out, /last kev sync: succeeded/);
  } finally {
    if (saved === undefined) delete process.env['VIGIL_KEV_URL'];
    else process.env['VIGIL_KEV_URL'] = saved;
  }
});
