import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rel, regionOf } from './catalog.js';
import { buildUrl, createGcpClient, type GcpRequester } from './client.js';
import { classifyGoogle, classifyThrown, scrubMessage } from './errors.js';
import { FlightStore, replayFetch } from './flights.js';

/** A requester answering from a function, as an auth client would after gaxios. */
function scripted(answer: (url: URL) => unknown): GcpRequester & { seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    request: async <T>(opts: { url?: string | URL }) => {
      const url = new URL(String(opts.url));
      seen.push(url.href);
      return { data: answer(url) as T } as never;
    },
  };
}

test('pageToken pagination, aggregated lists, page cap, repeated tokens', async () => {
  const pages = scripted((u) => {
    const n = Number(u.searchParams.get('pageToken') ?? '0');
    return { items: [n], ...(n < 3 ? { nextPageToken: String(n + 1) } : {}) };
  });
  const gcp = createGcpClient({ requester: pages });
  const all = await gcp.list({ method: 'GET', host: 'x.googleapis.com', path: '/v1/things' }, 'items');
  assert.deepEqual(all.items, [0, 1, 2, 3]);
  assert.equal(all.failure, undefined);

  const capped = await createGcpClient({ requester: pages, maxPages: 2 }).list({ method: 'GET', host: 'x.googleapis.com', path: '/v1/things' }, 'items');
  assert.deepEqual(capped.items, [0, 1]);
  assert.match(capped.failure?.message ?? '', /stopped after 2 pages/);

  const loop = await createGcpClient({ requester: scripted(() => ({ items: [1], nextPageToken: 'same' })) }).list({ method: 'GET', host: 'x.googleapis.com', path: '/v1/t' }, 'items');
  assert.equal(loop.failure?.reason, 'invalid-response');

  const agg = scripted(() => ({ items: { 'zones/a': { instances: [1, 2] }, 'zones/b': { warning: { code: 'NO_RESULTS_ON_PAGE' } }, 'zones/c': { instances: [3] } } }));
  const flat = await createGcpClient({ requester: agg }).list({ method: 'GET', host: 'compute.googleapis.com', path: '/compute/v1/projects/p/aggregated/instances' }, 'instances', true);
  assert.deepEqual(flat.items, [1, 2, 3]);
});

test('empty and malformed answers', async () => {
  const empty = await createGcpClient({ requester: scripted(() => ({})) }).list({ method: 'GET', host: 'h', path: '/v1/k' }, 'keyRings');
  assert.deepEqual(empty, { items: [] });
  const cases: [unknown, string, boolean][] = [
    ['<html>', 'items', false],
    [[1], 'items', false],
    [{ items: 'x' }, 'items', false],
    [{ items: [1, 2] }, 'instances', true],
    [{ items: { a: { instances: 'x' } } }, 'instances', true],
  ];
  for (const [body, key, aggregated] of cases) {
    const r = await createGcpClient({ requester: scripted(() => body) }).list({ method: 'GET', host: 'h', path: '/v1/k' }, key, aggregated);
    assert.equal(r.failure?.reason, 'invalid-response', JSON.stringify(body));
  }
});

test('the real gaxios path offline: retries, errors and the not-recorded answer', async () => {
  const { OAuth2Client } = await import('google-auth-library');
  const client = new OAuth2Client();
  client.setCredentials({ access_token: 't' });
  const store = new FlightStore();
  store.add('get-v2-projects-p-sinks', 1, { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'Permission logging.sinks.list denied', errors: [{ reason: 'forbidden' }] } } });
  store.add('get-v2-projects-p-metrics', 1, { status: 403, body: { error: { code: 403, status: 'PERMISSION_DENIED', message: 'Cloud Logging API has not been used in project 1 before or it is disabled.', details: [{ reason: 'SERVICE_DISABLED' }] } } });
  store.add('get-v2-projects-p-exclusions', 1, { status: 503, body: { error: { code: 503, message: 'backend down' } } });
  const gcp = createGcpClient({ requester: client, fetchImplementation: replayFetch(store), retry: { maxRetries: 2, retryDelayMs: 1, maxRetryDelayMs: 2 } });
  const denied = await gcp.call({ method: 'GET', host: 'logging.googleapis.com', path: '/v2/projects/p/sinks' });
  assert.ok(!denied.ok && denied.failure.reason === 'access-denied');
  assert.match(denied.ok ? '' : denied.failure.message, /403 PERMISSION_DENIED \(forbidden\): Permission logging.sinks.list denied/);
  const disabled = await gcp.call({ method: 'GET', host: 'logging.googleapis.com', path: '/v2/projects/p/metrics' });
  assert.ok(!disabled.ok && disabled.failure.reason === 'not-enabled');
  const down = await gcp.call({ method: 'GET', host: 'logging.googleapis.com', path: '/v2/projects/p/exclusions' });
  assert.ok(!down.ok && down.failure.reason === 'unavailable');
  assert.equal(gcp.stats.retries, 2, '503 retried twice');
  const missing = await gcp.call({ method: 'GET', host: 'logging.googleapis.com', path: '/v2/projects/p/other' });
  assert.ok(!missing.ok && missing.failure.reason === 'unavailable' && /not in the recordings/.test(missing.failure.message));
});

test('classification and scrubbing', () => {
  assert.equal(classifyGoogle(401, { error: { code: 401, status: 'UNAUTHENTICATED', message: 'x' } }, 'GET /x').reason, 'bad-credentials');
  assert.equal(classifyGoogle(429, {}, 'GET /x').reason, 'throttled');
  assert.equal(classifyGoogle(400, { error: { message: 'bad' } }, 'GET /x').reason, 'error');
  const tokenRefused = classifyThrown({ name: 'GaxiosError', message: 'invalid_grant', config: { url: 'https://oauth2.googleapis.com/token' }, response: { status: 400, data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } } }, 'storage.googleapis.com', 'GET /x');
  assert.equal(tokenRefused.reason, 'bad-credentials');
  assert.match(tokenRefused.message, /Invalid JWT Signature/);
  assert.equal(classifyThrown(new Error('Could not load the default credentials.'), 'h', 'GET /x').reason, 'bad-credentials');
  assert.doesNotMatch(scrubMessage('token ya29.a0AfH6SMBx-secret and Bearer abc.def'), /ya29\.a0|abc\.def/);
  assert.equal(buildUrl('https://h/', '/v1/a', { 'options.requestedPolicyVersion': '3', filter: 'a b' }), 'https://h/v1/a?options.requestedPolicyVersion=3&filter=a%20b');
  assert.equal(rel('projects/p/locations/l/keyRings/k'), 'projects/p/locations/l/keyRings/k');
  for (const bad of ['../x', 'projects/p/../q', 'a?b', 'a//b', '/abs', 'a b']) assert.equal(rel(bad), undefined, bad);
  assert.equal(regionOf('https://www.googleapis.com/compute/v1/projects/p/zones/us-east4-c'), 'us-east4');
  assert.equal(regionOf('US-EAST1'), 'us-east1');
  assert.equal(regionOf('EU'), 'eu');
});
