import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createOfflineApi, indexRecordings, inferAccountId, parseRecording } from './offline.js';

const root = mkdtempSync(join(tmpdir(), 'vigil-aws-offline-'));
after(() => rmSync(root, { recursive: true, force: true }));

function recording(files: Record<string, unknown>): string {
  const dir = mkdtempSync(join(root, 'rec-'));
  for (const [name, body] of Object.entries(files)) writeFileSync(join(dir, name), typeof body === 'string' ? body : JSON.stringify(body));
  return dir;
}

const ok = (data: Record<string, unknown>): unknown => ({ status_code: 200, data: { ResponseMetadata: {}, ...data } });

describe('parseRecording', () => {
  test('a success is normalised (datetime objects to ISO, ResponseMetadata dropped)', () => {
    const res = parseRecording(
      JSON.stringify(ok({ Buckets: [{ Name: 'b', CreationDate: { __class__: 'datetime', year: 2021, month: 10, day: 19, hour: 18, minute: 6, second: 8, microsecond: 250000 } }] })),
      'x.json',
    );
    assert.deepEqual(res, { ok: true, data: { Buckets: [{ Name: 'b', CreationDate: '2021-10-19T18:06:08.250Z' }] } });
  });

  test('an error answer carries its code, message and status', () => {
    const res = parseRecording(JSON.stringify({ status_code: 404, data: { Error: { Code: 'NoSuchBucketPolicy', Message: 'The bucket policy does not exist' } } }), 'x.json');
    assert.equal(res.ok, false);
    if (res.ok) return;
    assert.equal(res.error.code, 'NoSuchBucketPolicy');
    assert.equal(res.error.status, 404);
    assert.equal(res.error.reason, 'error');
    assert.equal(res.error.message, 'The bucket policy does not exist');
  });

  test('a 403 AccessDenied is an access-denied error; a status without an Error object still fails', () => {
    const denied = parseRecording(JSON.stringify({ status_code: 403, data: { Error: { Code: 'AccessDenied', Message: 'Access Denied' } } }), 'x.json');
    assert.equal(!denied.ok && denied.error.reason, 'access-denied');
    const bare = parseRecording(JSON.stringify({ status_code: 500, data: {} }), 'x.json');
    assert.equal(!bare.ok && bare.error.code, 'Http500');
    assert.equal(!bare.ok && bare.error.reason, 'unavailable');
  });

  test('broken and hostile files are invalid responses naming the file', () => {
    for (const text of ['', '{', '[]', '{"status_code": "200", "data": {}}', '{"status_code": 200}', '{"status_code": 200, "data": []}']) {
      const res = parseRecording(text, 'iam.ListUsers_1.json');
      assert.equal(res.ok, false, text);
      if (!res.ok) {
        assert.equal(res.error.reason, 'invalid-response');
        assert.match(res.error.message, /iam\.ListUsers_1\.json/);
      }
    }
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i++) deep = [deep];
    const tooDeep = parseRecording(JSON.stringify({ status_code: 200, data: { Deep: deep } }), 'deep.json');
    assert.equal(!tooDeep.ok && tooDeep.error.reason, 'invalid-response');
    const proto = parseRecording('{"status_code": 200, "data": {"__proto__": {"polluted": true}, "A": 1}}', 'p.json');
    assert.equal(proto.ok, true);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    if (proto.ok) assert.equal(Object.getPrototypeOf(proto.data), Object.prototype);
  });
});

describe('createOfflineApi (placebo replay)', () => {
  test('successive calls take _1, _2, … then start again at _1', async () => {
    const dir = recording({
      'iam.GetAccountSummary_1.json': ok({ SummaryMap: { Users: 1 } }),
      'iam.GetAccountSummary_2.json': ok({ SummaryMap: { Users: 2 } }),
      'notes.txt': 'ignored',
      'iam.GetAccountSummary_x.json': 'ignored',
    });
    const api = createOfflineApi(dir);
    const users = [];
    for (let i = 0; i < 5; i++) {
      const r = await api.call('iam.GetAccountSummary', 'us-east-1');
      assert.equal(r.ok, true);
      if (r.ok) users.push((r.data['SummaryMap'] as Record<string, number>)['Users']);
    }
    assert.deepEqual(users, [1, 2, 1, 2, 1]);
    assert.equal(api.stats().calls, 5);
    assert.equal(api.ordered, true);
  });

  test('an operation without _1 has no recording (a gap, not a pass); a gap in the numbers wraps like placebo', async () => {
    const dir = recording({ 'kms.ListKeys_2.json': ok({ Keys: [] }), 's3.ListBuckets_1.json': ok({ Buckets: [] }), 's3.ListBuckets_3.json': ok({ Buckets: [{ Name: 'x' }] }) });
    const api = createOfflineApi(dir);
    const none = await api.call('kms.ListKeys', 'us-east-1');
    assert.equal(!none.ok && none.error.code, 'NoRecording');
    assert.equal(!none.ok && none.error.reason, 'unavailable');
    const a = await api.call('s3.ListBuckets', 'us-east-1');
    const b = await api.call('s3.ListBuckets', 'us-east-1');
    assert.deepEqual([a.ok && a.data['Buckets'], b.ok && b.data['Buckets']], [[], []]);
  });

  test('index, unreadable entries and a missing directory', () => {
    const dir = recording({ 'ec2.DescribeVpcs_1.json': ok({}), 'ec2.DescribeVpcs_10.json': ok({}) });
    mkdirSync(join(dir, 'ec2.DescribeVpcs_2.json'));
    assert.deepEqual([...(indexRecordings(dir).get('ec2.DescribeVpcs') ?? [])].sort((x, y) => x - y), [1, 2, 10]);
    assert.throws(() => createOfflineApi(join(root, 'absent')));
  });

  test('a directory entry that is not a file is an invalid response', async () => {
    const dir = recording({ 'ec2.DescribeVpcs_1.json': ok({}) });
    mkdirSync(join(dir, 'ec2.DescribeVpcs_2.json'));
    const api = createOfflineApi(dir);
    await api.call('ec2.DescribeVpcs', 'us-east-1');
    const second = await api.call('ec2.DescribeVpcs', 'us-east-1');
    assert.equal(!second.ok && second.error.reason, 'invalid-response');
  });

  test('inferAccountId picks the account id most ARNs name', () => {
    const dir = recording({
      'iam.ListUsers_1.json': ok({ Users: [{ Arn: 'arn:aws:iam::111122223333:user/a' }, { Arn: 'arn:aws:iam::111122223333:user/b' }] }),
      'sns.ListTopics_1.json': ok({ Topics: [{ TopicArn: 'arn:aws:sns:us-east-1:999988887777:t' }] }),
    });
    assert.equal(inferAccountId(dir), '111122223333');
    assert.equal(inferAccountId(recording({ 's3.ListBuckets_1.json': ok({ Buckets: [] }) })), undefined);
  });
});
