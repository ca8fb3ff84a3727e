import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHttpHeaders, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import { armUrl, createArmClient, safeArmPath } from './arm.js';
import { classifyArm, classifyThrown, scrubMessage } from './errors.js';
import { createLimiter } from '../lib/limit.js';

const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) };

/** An HttpClient answering from a function, recording the requests. */
function scripted(answer: (req: PipelineRequest) => { status: number; body: unknown; headers?: Record<string, string> }): HttpClient & { seen: PipelineRequest[] } {
  const seen: PipelineRequest[] = [];
  return {
    seen,
    async sendRequest(request) {
      seen.push(request);
      const a = answer(request);
      return { request, status: a.status, headers: createHttpHeaders(a.headers ?? {}), bodyAsText: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) };
    },
  };
}

test('safeArmPath refuses paths that could leave the ARM namespace', () => {
  assert.ok(safeArmPath('/subscriptions/s/resourceGroups/rg (1)/providers/Microsoft.Web/sites/a b'));
  for (const bad of ['subscriptions/s', '/a/../b', '/a//b', '/a?x=1', '/a#f', '/a\\b', '/a\nb', `/${'a'.repeat(5000)}`]) assert.ok(!safeArmPath(bad), bad);
  assert.equal(armUrl('https://m/', '/x y', '1', { $filter: "type eq 'CustomRole'" }), "https://m/x%20y?api-version=1&$filter=type%20eq%20'CustomRole'");
});

test('list follows nextLink on the same host, sends the bearer token, stops at maxPages with a gap', async () => {
  const client = scripted((req) => {
    const u = new URL(req.url);
    const page = Number(u.searchParams.get('$skiptoken') ?? '0');
    return { status: 200, body: { value: [page], nextLink: page < 5 ? `https://management.azure.com${u.pathname}?api-version=1&$skiptoken=${page + 1}` : undefined } };
  });
  const arm = await createArmClient({ credential, httpClient: client });
  const all = await arm.list('/subscriptions/s/providers/X/y', '1');
  assert.deepEqual(all.items, [0, 1, 2, 3, 4, 5]);
  assert.equal(all.failure, undefined);
  assert.equal(client.seen[0]?.headers.get('authorization'), 'Bearer t');

  const capped = await createArmClient({ credential, httpClient: client, maxPages: 2 });
  const some = await capped.list('/subscriptions/s/providers/X/y', '1');
  assert.deepEqual(some.items, [0, 1]);
  assert.equal(some.failure?.reason, 'error');
  assert.match(some.failure?.message ?? '', /stopped after 2 pages/);
});

test('a nextLink to another host is never followed (the token would go with it)', async () => {
  const client = scripted(() => ({ status: 200, body: { value: [1], nextLink: 'https://evil.example/steal?api-version=1' } }));
  const arm = await createArmClient({ credential, httpClient: client });
  const r = await arm.list('/subscriptions/s/providers/X/y', '1');
  assert.deepEqual(r.items, [1]);
  assert.equal(r.failure?.reason, 'invalid-response');
  assert.equal(client.seen.length, 1);
});

test('malformed answers become invalid-response failures, never exceptions', async () => {
  const answers = [{ status: 200, body: 'not json' }, { status: 200, body: [1, 2] }, { status: 200, body: { value: 'x' } }];
  for (const a of answers) {
    const arm = await createArmClient({ credential, httpClient: scripted(() => a) });
    const r = await arm.list('/subscriptions/s/x', '1');
    assert.equal(r.failure?.reason, 'invalid-response', JSON.stringify(a));
  }
  const arm = await createArmClient({ credential, httpClient: scripted(() => answers[0]!) });
  const g = await arm.get('/subscriptions/s/../x', '1');
  assert.ok(!g.ok && g.failure.reason === 'invalid-response');
});

test('a credential that cannot give a token is bad-credentials', async () => {
  const failing = {
    getToken: async () => {
      const e = new Error('EnvironmentCredential is unavailable');
      e.name = 'CredentialUnavailableError';
      throw e;
    },
  };
  const arm = await createArmClient({ credential: failing, httpClient: scripted(() => ({ status: 200, body: {} })) });
  const r = await arm.get('/subscriptions/s', '1');
  assert.ok(!r.ok);
  assert.equal(r.failure.reason, 'bad-credentials');
});

test('classification of ARM errors', () => {
  assert.equal(classifyArm(401, { error: { code: 'InvalidAuthenticationToken', message: 'x' } }, 'GET /x').reason, 'bad-credentials');
  assert.equal(classifyArm(403, { error: { code: 'AuthorizationFailed', message: 'no' } }, 'GET /x').reason, 'access-denied');
  assert.equal(classifyArm(409, { error: { code: 'MissingSubscriptionRegistration', message: 'no' } }, 'GET /x').reason, 'not-enabled');
  assert.equal(classifyArm(429, {}, 'GET /x').reason, 'throttled');
  assert.equal(classifyArm(503, undefined, 'GET /x').reason, 'unavailable');
  assert.equal(classifyArm(400, { code: 'BadRequest', message: 'x' }, 'GET /x').reason, 'error');
  const m = classifyArm(403, { error: { code: 'AuthorizationFailed', message: 'The client with token Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abc does not have access' } }, 'GET /x').message;
  assert.doesNotMatch(m, /eyJ/);
  assert.match(m, /^403 AuthorizationFailed: /);
  assert.equal(classifyThrown(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })).reason, 'unavailable');
  assert.match(scrubMessage('a?sig=SECRET&x=1 password=hunter2'), /sig=\[redacted\]&x=1 password=\[redacted\]/);
});

test('the limiter never runs more than its limit at once', async () => {
  const limit = createLimiter(3);
  let running = 0;
  let peak = 0;
  await Promise.all(
    Array.from({ length: 40 }, (_, i) =>
      limit(async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, i % 3));
        running--;
      }),
    ),
  );
  assert.equal(peak, 3);
});
