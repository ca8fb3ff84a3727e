import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createHttpHeaders, createPipelineRequest } from '@azure/core-rest-pipeline';
import { CassetteStore, parseCassette, replayHttpClient, requestKey } from './cassette.js';
import { NOT_RECORDED } from './errors.js';

const SUB = 'ea42f556-5106-4743-99b0-c129bfa71a47';
const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const interaction = (uri: string, body: unknown, code = 200) => ({
  request: { method: 'GET', uri, body: null, headers: {} },
  response: { status: { code, message: 'OK' }, headers: { 'content-type': ['application/json'] }, body },
});

test('parses a cassette: {data} and {string} bodies, headers joined', () => {
  const r = parseCassette(
    enc({
      version: 1,
      interactions: [
        interaction(`https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts?api-version=2019-04-01`, { data: { value: [{ id: 'x' }] } }),
        interaction('https://checkip.amazonaws.com/', { string: '1.2.3.4\n' }),
      ],
    }),
    'a.json',
  );
  assert.ok(r.ok);
  assert.equal(r.interactions.length, 2);
  assert.equal(r.interactions[0]?.response.body, '{"value":[{"id":"x"}]}');
  assert.equal(r.interactions[0]?.response.headers['content-type'], 'application/json');
  assert.equal(r.interactions[1]?.response.body, '1.2.3.4\n');
});

test('empty cassette: no interactions, no problem', () => {
  const r = parseCassette(enc({ version: 1, interactions: [] }), 'empty.json');
  assert.ok(r.ok);
  assert.equal(r.interactions.length, 0);
});

test('broken input gives a problem naming the file and the pointer', () => {
  const notJson = parseCassette(enc('{"version": 1, "interactions": ['), 'broken.json');
  assert.ok(!notJson.ok);
  assert.equal(notJson.problem.path, 'broken.json');
  assert.match(notJson.problem.reason, /malformed JSON/);

  const badStatus = parseCassette(enc({ interactions: [{ request: { method: 'GET', uri: 'https://x/' }, response: { status: { code: 'OK' } } }] }), 'bad.json');
  assert.ok(!badStatus.ok);
  assert.match(badStatus.problem.reason, /\/interactions\/0\/response\/status\/code/);

  const badBody = parseCassette(enc({ interactions: [interaction('https://x/', { other: 1 })] }), 'body.json');
  assert.ok(!badBody.ok);
  assert.match(badBody.problem.reason, /\/interactions\/0\/response\/body/);

  const empty = parseCassette(new Uint8Array(), 'zero.json');
  assert.ok(!empty.ok);
  assert.match(empty.problem.reason, /empty/);
});

test('hostile input: deep nesting refused, __proto__ kept as data, unparsable URIs ignored', () => {
  const deep = parseCassette(enc(`${'['.repeat(10_000)}${']'.repeat(10_000)}`), 'deep.json');
  assert.ok(!deep.ok);
  assert.match(deep.problem.reason, /nested deeper/);

  const proto = parseCassette(enc('{"interactions":[{"request":{"method":"GET","uri":"not a url"},"response":{"status":{"code":200},"body":{"data":{"__proto__":{"polluted":true}}}}}]}'), 'proto.json');
  assert.ok(proto.ok);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  const store = new CassetteStore();
  store.add(proto.interactions);
  assert.equal(store.size, 0, 'an interaction whose URI does not parse cannot be matched');
});

test('requestKey: case-insensitive path, api-version ignored, other query parameters decoded and compared', () => {
  const a = requestKey('GET', `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.DBForMySql/flexibleServers?api-version=2021-05-01`);
  const b = requestKey('get', `https://MANAGEMENT.azure.com/subscriptions/${SUB}/providers/Microsoft.DBforMySQL/flexibleServers?api-version=2023-12-30`);
  assert.equal(a, b);
  const p1 = requestKey('GET', 'https://management.azure.com/x?api-version=1&$skiptoken=abc%3D');
  const p2 = requestKey('GET', 'https://management.azure.com/x?%24skiptoken=abc=&api-version=2');
  assert.equal(p1, p2);
  assert.notEqual(requestKey('GET', 'https://management.azure.com/x?$skiptoken=abc'), requestKey('GET', 'https://management.azure.com/x?$skiptoken=abd'));
  assert.notEqual(requestKey('GET', 'https://management.azure.com/x'), requestKey('PUT', 'https://management.azure.com/x'));
  assert.equal(requestKey('GET', 'not a url'), undefined);
});

test('store: the first recording of a request answers; subscriptions come from the URIs', () => {
  const uri = `https://management.azure.com/subscriptions/${SUB}/providers/Microsoft.Network/networkSecurityGroups?api-version=2020-08-01`;
  const r = parseCassette(enc({ interactions: [interaction(uri, { data: { value: [1] } }), interaction(uri, { data: { value: [2] } })] }), 'c.json');
  assert.ok(r.ok);
  const store = new CassetteStore();
  store.add(r.interactions);
  assert.equal(store.find('GET', uri)?.body, '{"value":[1]}');
  assert.equal(store.find('GET', uri)?.body, '{"value":[1]}');
  assert.deepEqual(store.subscriptions(), [SUB]);
});

test('replay client: recorded answers as pipeline responses, 404 VigilNotRecorded otherwise', async () => {
  const uri = `https://management.azure.com/subscriptions/${SUB}?api-version=1`;
  const r = parseCassette(enc({ interactions: [interaction(uri, { data: { subscriptionId: SUB } })] }), 'c.json');
  assert.ok(r.ok);
  const store = new CassetteStore();
  store.add(r.interactions);
  const client = replayHttpClient(store, createHttpHeaders);
  const hit = await client.sendRequest(createPipelineRequest({ url: uri, method: 'GET' }));
  assert.equal(hit.status, 200);
  assert.equal(hit.headers.get('content-type'), 'application/json');
  assert.deepEqual(JSON.parse(hit.bodyAsText ?? ''), { subscriptionId: SUB });
  const miss = await client.sendRequest(createPipelineRequest({ url: `https://management.azure.com/subscriptions/${SUB}/other?api-version=1`, method: 'GET' }));
  assert.equal(miss.status, 404);
  assert.equal((JSON.parse(miss.bodyAsText ?? '') as { error: { code: string } }).error.code, NOT_RECORDED);
});
