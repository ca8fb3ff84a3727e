/**
 * The live collector against a local fake ARM (HTTPS) serving recorded cassettes: the real SDK
 * pipeline (bearer policy, retry policy, nextLink paging) runs, and gives the same resources
 * and gaps as the offline replay of the same recordings.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { CollectResult } from '../types.js';
import { makeCertificate, startFakeArm, type FakeArm, type FakeArmOptions } from './__fixtures__/fake-arm.js';
import { azureKinds } from './catalog.js';
import { azureCollector, loadCassettes, type AzureCollectOptions } from './index.js';

const DIR = sharedData('cloud', 'custodian-azure-cassettes');
const SUB = 'ea42f556-5106-4743-99b0-c129bfa71a47';
const certificate = makeCertificate();
const skip = !DIR ? skipMessage('cloud/custodian-azure-cassettes') : !certificate ? 'openssl not available to make the fake ARM certificate' : false;
const credential = { getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };

const files = DIR ? readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];

async function withFake<T>(recordings: string[], options: Omit<FakeArmOptions, 'store' | 'certificate'>, run: (fake: FakeArm) => Promise<T>): Promise<T> {
  const { store } = await loadCassettes(recordings);
  const fake = await startFakeArm({ store, certificate: certificate!, ...options });
  try {
    return await run(fake);
  } finally {
    await fake.close();
  }
}

const live = (fake: FakeArm, extra: Partial<AzureCollectOptions> = {}): Promise<CollectResult[]> =>
  azureCollector.collect({ credential, endpoint: fake.endpoint, agent: fake.agent, subscriptions: [SUB], retry: { retryDelayInMs: 1, maxRetryDelayInMs: 5 }, ...extra });

/** What must be equal between live and offline: resources (as data) and gaps. */
function comparable(results: CollectResult[]): unknown {
  return results.map((r) => ({
    target: r.target,
    resources: r.resources.map((x) => ({ kind: x.kind, id: x.id, name: x.name, account: x.account, region: x.region, attrs: x.attrs, meta: x.meta })),
    gaps: r.gaps,
  }));
}

test('live through the fake == offline, for every cassette, with pages of 2 items', { skip }, async (t) => {
  let pagedRequests = 0;
  let compared = 0;
  const one = async (file: string): Promise<void> => {
    const path = join(DIR ?? '', file);
    const offline = await azureCollector.collect({ recordings: [path], subscriptions: [SUB] });
    const viaFake = await withFake([path], { pageSize: 2 }, async (fake) => {
      const res = await live(fake, { concurrency: 32 });
      pagedRequests += fake.requests.filter((r) => r.url.includes('vigil-fake-page-')).length;
      assert.ok(fake.requests.every((r) => r.bearer), 'every request carried a bearer token');
      assert.ok(fake.requests.every((r) => r.method === 'GET'), 'read-only');
      return res;
    });
    assert.deepEqual(comparable(viaFake), comparable(offline), file);
    compared++;
  };
  for (const file of files) await one(file);
  t.diagnostic(`azure live==offline: ${compared} cassettes compared, ${pagedRequests} follow-up page requests served by the fake`);
  assert.ok(pagedRequests > 0, 'paging exercised');
});

test('throttling: 429 with Retry-After is retried by the SDK policy; the result is unchanged', { skip }, async () => {
  const path = join(DIR ?? '', 'NetworkSecurityGroupTest.test_allow_single_port.json');
  const offline = await azureCollector.collect({ recordings: [path], subscriptions: [SUB] });
  const res = await withFake([path], { throttle: 3 }, (fake) => live(fake, { concurrency: 1 }));
  assert.deepEqual(comparable(res), comparable(offline));
  assert.ok((res[0]?.stats.retries ?? 0) >= 3, `retries counted: ${res[0]?.stats.retries}`);
});

test('throttling that outlasts the retries becomes "throttled" gaps, never an exception', { skip }, async () => {
  const path = join(DIR ?? '', 'NetworkSecurityGroupTest.test_allow_single_port.json');
  const res = await withFake([path], { throttle: 1_000_000 }, (fake) => live(fake, { retry: { maxRetries: 1, retryDelayInMs: 1, maxRetryDelayInMs: 2 } }));
  assert.equal(res[0]?.resources.length, 0);
  assert.ok((res[0]?.gaps.length ?? 0) > 0);
  assert.ok(res[0]?.gaps.every((g) => g.reason === 'throttled'));
});

test('401 everywhere → bad-credentials gaps for every kind; 403 on one provider → only its kinds', { skip }, async () => {
  const path = join(DIR ?? '', 'StorageContainerTest.containers.json');
  const unauthorized = await withFake([path], { override: () => ({ status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } } }) }, (fake) => live(fake));
  const gaps = unauthorized[0]?.gaps ?? [];
  assert.equal(unauthorized[0]?.resources.length, 0);
  assert.ok(gaps.every((g) => g.reason === 'bad-credentials'));
  const covered = new Set(gaps.flatMap((g) => g.kinds));
  for (const k of azureKinds()) assert.ok(covered.has(k), `${k} left unknown`);
  assert.match(gaps[0]?.message ?? '', /InvalidAuthenticationToken/);
  assert.doesNotMatch(JSON.stringify(gaps), /fake-token/);

  const denied = await withFake(
    [path],
    { override: (_m, p) => (p.includes('/Microsoft.Storage/') ? { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'does not have authorization' } } } : undefined) },
    (fake) => live(fake),
  );
  const storageGap = denied[0]?.gaps.find((g) => g.kinds.includes('azure:Microsoft.Storage/storageAccounts'));
  assert.equal(storageGap?.reason, 'access-denied');
  assert.equal(storageGap?.service, 'Microsoft.Storage');
  assert.ok(denied[0]?.gaps.filter((g) => g.reason === 'access-denied').every((g) => g.service === 'Microsoft.Storage'));
});

test('403 on a sub-call is a SubCallGap on the resource; the resource is still reported', { skip }, async () => {
  const path = join(DIR ?? '', 'StorageContainerTest.containers.json');
  const res = await withFake(
    [path],
    { override: (_m, p) => (p.endsWith('/blobServices/default/containers') ? { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'no containers for you' } } } : undefined) },
    (fake) => live(fake),
  );
  const sa = res[0]?.resources.find((r) => r.name === 'cctstoragey6akyqpagdt3o');
  assert.ok(sa);
  assert.equal('containers' in sa.attrs, false);
  const gaps = sa.meta?.['gaps'] as Record<string, { reason: string; message: string }>;
  assert.equal(gaps['containers']?.reason, 'access-denied');
  assert.match(gaps['containers']?.message ?? '', /AuthorizationFailed/);
});

test('subscriptions are listed when none is given; none visible is a gap, not a silent pass', { skip }, async () => {
  const path = join(DIR ?? '', 'DefenderTest.test_azure_defender_pricing.json');
  const listing = (value: unknown[]): FakeArmOptions['override'] => (_m, p) => (p === '/subscriptions' ? { status: 200, body: { value } } : undefined);
  const res = await withFake([path], { override: listing([{ subscriptionId: SUB, displayName: 'Test sub', state: 'Enabled' }, { subscriptionId: 'gone', state: 'Disabled' }]) }, (fake) =>
    azureCollector.collect({ credential, endpoint: fake.endpoint, agent: fake.agent }),
  );
  assert.deepEqual(res.map((r) => r.target.id), [SUB]);
  assert.ok((res[0]?.resources.length ?? 0) >= 12);
  const none = await withFake([path], { override: listing([]) }, (fake) => azureCollector.collect({ credential, endpoint: fake.endpoint, agent: fake.agent }));
  assert.equal(none.length, 1);
  assert.equal(none[0]?.gaps[0]?.reason, 'access-denied');
});
