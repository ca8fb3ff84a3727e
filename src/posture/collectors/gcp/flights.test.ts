import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlightStore, flightNames, notRecordedBody, parseFlight, replayFetch } from './flights.js';

const enc = (v: unknown): Uint8Array => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
const flight = (body: unknown, status = '200') => enc({ headers: { status, 'content-type': 'application/json' }, body });

test('flight names as Custodian records them: method, path with / and : as -, host-qualified first', () => {
  assert.deepEqual(flightNames('GET', 'https://storage.googleapis.com/storage/v1/b?project=p&projection=full'), ['get-storage.googleapis.com-storage-v1-b', 'get-storage-v1-b']);
  assert.deepEqual(flightNames('POST', 'https://cloudresourcemanager.googleapis.com/v1/projects/custodian-test:getIamPolicy'), [
    'post-cloudresourcemanager.googleapis.com-v1-projects-custodian-test-getIamPolicy',
    'post-v1-projects-custodian-test-getIamPolicy',
  ]);
  assert.equal(flightNames('GET', 'https://iam.googleapis.com/v1/projects/p/serviceAccounts/a%40b.iam.gserviceaccount.com/keys')[1], 'get-v1-projects-p-serviceAccounts-a@b.iam.gserviceaccount.com-keys');
  assert.equal(flightNames('GET', 'https://container.googleapis.com/v1/projects/p/locations/-/clusters')[1], 'get-v1-projects-p-locations---clusters');
  assert.deepEqual(flightNames('GET', 'not a url'), []);
});

test('parses a flight: status from the headers, body as recorded; empty body is {}', () => {
  const r = parseFlight('get-storage-v1-b_1.json', flight({ kind: 'storage#buckets', items: [{ name: 'b' }] }));
  assert.ok(r.ok);
  assert.equal(r.name, 'get-storage-v1-b');
  assert.equal(r.index, 1);
  assert.equal(r.response.status, 200);
  const empty = parseFlight('get-v1-projects-p-locations-us-keyRings_1.json', flight({}));
  assert.ok(empty.ok);
  assert.deepEqual(empty.response.body, {});
});

test('broken and hostile flights give problems naming the file', () => {
  const badName = parseFlight('notes.json', flight({}));
  assert.ok(!badName.ok);
  assert.match(badName.problem.reason, /flight file name/);
  const notJson = parseFlight('get-x_1.json', enc('{"headers": '), 'dir/get-x_1.json');
  assert.ok(!notJson.ok);
  assert.equal(notJson.problem.path, 'dir/get-x_1.json');
  assert.match(notJson.problem.reason, /malformed JSON/);
  const badStatus = parseFlight('get-x_1.json', flight({}, 'OK'));
  assert.ok(!badStatus.ok);
  assert.match(badStatus.problem.reason, /\/headers\/status/);
  const notObject = parseFlight('get-x_1.json', enc('[1,2]'));
  assert.ok(!notObject.ok);
  const deep = parseFlight('get-x_1.json', enc(`{"body":${'['.repeat(5000)}${']'.repeat(5000)}}`));
  assert.ok(!deep.ok);
  assert.match(deep.problem.reason, /nested deeper/);
});

test('store: first answer is _1, pages follow nextPageToken to _2, repeats answer _1 again', () => {
  const store = new FlightStore();
  store.add('get-v1-projects-p-serviceAccounts', 1, { status: 200, body: { accounts: [{ email: 'a' }], nextPageToken: 'T1' } });
  store.add('get-v1-projects-p-serviceAccounts', 2, { status: 200, body: { accounts: [{ email: 'b' }] } });
  const url = 'https://iam.googleapis.com/v1/projects/p/serviceAccounts';
  assert.deepEqual(store.find('GET', url)?.body, { accounts: [{ email: 'a' }], nextPageToken: 'T1' });
  assert.deepEqual(store.find('GET', `${url}?pageToken=T1`)?.body, { accounts: [{ email: 'b' }] });
  assert.equal(store.find('GET', `${url}?pageToken=unknown`), undefined);
  assert.deepEqual(store.find('GET', url)?.body, { accounts: [{ email: 'a' }], nextPageToken: 'T1' });
  assert.equal(store.find('POST', url), undefined);
});

test('store: host-qualified names win over legacy ones; recorded project lists give the active projects', () => {
  const store = new FlightStore();
  store.add('get-storage-v1-b', 1, { status: 200, body: { items: [{ name: 'legacy' }] } });
  store.add('get-storage.googleapis.com-storage-v1-b', 1, { status: 200, body: { items: [{ name: 'qualified' }] } });
  assert.deepEqual(store.find('GET', 'https://storage.googleapis.com/storage/v1/b'), { status: 200, body: { items: [{ name: 'qualified' }] } });
  assert.deepEqual(store.find('GET', 'https://www.googleapis.com/storage/v1/b'), { status: 200, body: { items: [{ name: 'legacy' }] } });
  assert.equal(store.recordedProjects(), undefined);
  store.add('get-v1-projects', 1, { status: 200, body: { projects: [{ projectId: 'a', lifecycleState: 'ACTIVE' }, { projectId: 'b', lifecycleState: 'DELETE_REQUESTED' }, { projectId: 7 }] } });
  assert.deepEqual(store.recordedProjects(), ['a']);
});

test('replay fetch: recorded answers as fetch Responses, 404 VIGIL_NOT_RECORDED otherwise', async () => {
  const store = new FlightStore();
  store.add('get-v2-projects-p-sinks', 1, { status: 200, body: { sinks: [] } });
  const f = replayFetch(store);
  const hit = await f('https://logging.googleapis.com/v2/projects/p/sinks');
  assert.equal(hit.status, 200);
  assert.deepEqual(await hit.json(), { sinks: [] });
  const miss = await f(new URL('https://logging.googleapis.com/v2/projects/p/metrics'), { method: 'GET' });
  assert.equal(miss.status, 404);
  assert.equal(await miss.text(), notRecordedBody('GET', 'https://logging.googleapis.com/v2/projects/p/metrics'));
});
