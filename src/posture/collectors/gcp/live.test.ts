/**
 * The live collector against a local fake of the Google APIs serving recorded flights: the real
 * auth client (an OAuth2 client with a fixed token), gaxios retries and the pageToken loop run,
 * and give the same resources and gaps as the offline replay of the same recordings.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OAuth2Client } from 'google-auth-library';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { CollectResult } from '../types.js';
import { startFakeGcp, type FakeGcp, type FakeGcpOptions } from './__fixtures__/fake-gcp.js';
import { gcpKinds } from './catalog.js';
import { gcpCollector, loadFlights, type GcpCollectOptions } from './index.js';

const DIR = sharedData('cloud', 'custodian-gcp-flights');
const skip = DIR ? false : skipMessage('cloud/custodian-gcp-flights');
const dirs = DIR ? readdirSync(DIR).sort() : [];

function tokenClient(): OAuth2Client {
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 'fake-token' });
  return client;
}

async function withFake<T>(recordings: string[], options: Omit<FakeGcpOptions, 'store'>, run: (fake: FakeGcp) => Promise<T>): Promise<T> {
  const { store } = await loadFlights(recordings);
  const fake = await startFakeGcp({ store, ...options });
  try {
    return await run(fake);
  } finally {
    await fake.close();
  }
}

const live = (fake: FakeGcp, extra: Partial<GcpCollectOptions> = {}): Promise<CollectResult[]> =>
  gcpCollector.collect({ requester: tokenClient(), endpoint: fake.endpoint, retry: { retryDelayMs: 1, maxRetryDelayMs: 5 }, ...extra });

function comparable(results: CollectResult[]): unknown {
  return results.map((r) => ({
    target: r.target,
    resources: r.resources.map((x) => ({ kind: x.kind, id: x.id, name: x.name, account: x.account, region: x.region, attrs: x.attrs, meta: x.meta })),
    gaps: r.gaps,
  }));
}

test('live through the fake == offline, for every flight directory, with pages of 1 item', { skip }, async (t) => {
  let paged = 0;
  for (const dir of dirs) {
    const path = join(DIR ?? '', dir);
    const offline = await gcpCollector.collect({ recordings: [path] });
    // Offline falls back to the recording's project when no project list was recorded; live is told.
    const projects = offline.map((r) => r.target.id);
    const viaFake = await withFake([path], { pageSize: 1 }, async (fake) => {
      const res = await live(fake, { projects: offline.some((r) => r.resources.some((x) => x.kind === 'gcp:cloudresourcemanager.googleapis.com/Project')) ? undefined : projects });
      paged += fake.requests.filter((r) => r.url.includes('pageToken=vigil-fake-page-')).length;
      assert.ok(fake.requests.every((r) => r.bearer), 'every request carried a bearer token');
      assert.ok(fake.requests.every((r) => r.method === 'GET' || r.url.includes(':getIamPolicy')), 'reads only');
      return res;
    });
    assert.deepEqual(comparable(viaFake), comparable(offline), dir);
  }
  t.diagnostic(`gcp live==offline: ${dirs.length} flight directories compared, ${paged} follow-up page requests served by the fake`);
  assert.ok(paged > 0, 'paging exercised');
});

test('throttling: 429 with Retry-After is retried by gaxios; the result is unchanged', { skip }, async () => {
  const path = join(DIR ?? '', 'bucket-iam-policy');
  const offline = await gcpCollector.collect({ recordings: [path] });
  const res = await withFake([path], { throttle: 3 }, (fake) => live(fake, { projects: ['cloud-custodian'], concurrency: 1 }));
  assert.deepEqual(comparable(res), comparable(offline));
  assert.ok((res[0]?.stats.retries ?? 0) >= 3, `retries counted: ${res[0]?.stats.retries}`);
});

test('throttling that outlasts the retries becomes "throttled" gaps, never an exception', { skip }, async () => {
  const path = join(DIR ?? '', 'bucket-iam-policy');
  const res = await withFake([path], { throttle: 1_000_000 }, (fake) => live(fake, { projects: ['cloud-custodian'], retry: { maxRetries: 1, retryDelayMs: 1, maxRetryDelayMs: 2 } }));
  assert.equal(res[0]?.resources.length, 0);
  assert.ok((res[0]?.gaps.length ?? 0) > 0);
  assert.ok(res[0]?.gaps.every((g) => g.reason === 'throttled'));
});

test('401 everywhere → bad-credentials for every kind; 403 on one API → only its kinds; disabled API → not-enabled', { skip }, async () => {
  const path = join(DIR ?? '', 'bucket-iam-policy');
  const unauthorized = await withFake([path], { override: () => ({ status: 401, body: { error: { code: 401, status: 'UNAUTHENTICATED', message: 'Request had invalid authentication credentials.' } } }) }, (fake) =>
    live(fake, { projects: ['cloud-custodian'] }),
  );
  const gaps = unauthorized[0]?.gaps ?? [];
  assert.equal(unauthorized[0]?.resources.length, 0);
  assert.ok(gaps.every((g) => g.reason === 'bad-credentials'));
  const covered = new Set(gaps.flatMap((g) => g.kinds));
  for (const k of gcpKinds()) assert.ok(covered.has(k), `${k} left unknown`);
  assert.doesNotMatch(JSON.stringify(gaps), /fake-token/);

  const denied = await withFake(
    [path],
    {
      override: (_m, host) =>
        host === 'storage.googleapis.com'
          ? { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'caller does not have storage.buckets.list access', errors: [{ reason: 'forbidden' }] } } }
          : host === 'sqladmin.googleapis.com'
            ? { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'Cloud SQL Admin API has not been used in project 1 before or it is disabled.', details: [{ reason: 'SERVICE_DISABLED' }] } } }
            : undefined,
    },
    (fake) => live(fake, { projects: ['cloud-custodian'] }),
  );
  const storage = denied[0]?.gaps.find((g) => g.kinds.includes('gcp:storage.googleapis.com/Bucket'));
  assert.equal(storage?.reason, 'access-denied');
  assert.match(storage?.message ?? '', /storage\.buckets\.list/);
  assert.equal(denied[0]?.gaps.find((g) => g.kinds.includes('gcp:sqladmin.googleapis.com/Instance'))?.reason, 'not-enabled');
  assert.ok(denied[0]?.gaps.filter((g) => g.reason === 'access-denied').every((g) => g.service === 'storage'));
});

test('403 on a sub-call is a SubCallGap; the resource is still reported', { skip }, async () => {
  const path = join(DIR ?? '', 'bucket-iam-policy');
  const res = await withFake(
    [path],
    { override: (_m, _h, p) => (p.endsWith('/iam') ? { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'no getIamPolicy' } } } : undefined) },
    (fake) => live(fake, { projects: ['cloud-custodian'] }),
  );
  const buckets = res[0]?.resources.filter((r) => r.kind === 'gcp:storage.googleapis.com/Bucket') ?? [];
  assert.equal(buckets.length, 3);
  for (const b of buckets) {
    assert.equal('iamPolicy' in b.attrs, false);
    assert.equal((b.meta?.['gaps'] as Record<string, { reason: string }>)['iamPolicy']?.reason, 'access-denied');
  }
});

test('projects are listed when none is given; none visible is a gap, not a silent pass', { skip }, async () => {
  const path = join(DIR ?? '', 'project-iam-policy');
  const listed = await withFake([path], {}, (fake) => live(fake));
  assert.deepEqual(listed.map((r) => r.target.id), ['custodian-test', 'custodian-test-2', 'custodian-test-3']);
  const none = await withFake([path], { override: (_m, _h, p) => (p === '/v1/projects' ? { status: 200, body: {} } : undefined) }, (fake) => live(fake));
  assert.equal(none.length, 1);
  assert.equal(none[0]?.gaps[0]?.reason, 'access-denied');
});
