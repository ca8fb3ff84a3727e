import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AwsOperationId } from '../operations.js';
import { callError, reasonFor, safeMessage } from './errors.js';
import { sdkError } from './live.js';
import { limiter, mapLimit } from './limit.js';
import { normalise, NormaliseError } from './normalise.js';
import { listAll } from './paginate.js';
import type { AwsApi, AwsResult } from './types.js';

describe('normalise', () => {
  test('SDK output and botocore output give one shape', () => {
    const sdk = normalise({
      $metadata: { httpStatusCode: 200, attempts: 1 },
      Content: new TextEncoder().encode('user,arn\n'),
      CreateDate: new Date(Date.UTC(2016, 7, 30, 17, 37, 35)),
      Missing: undefined,
      Nested: [{ When: new Date(0), N: 1, B: false, Nil: null }],
    });
    const boto = normalise({
      ResponseMetadata: { RequestId: 'x' },
      Content: 'user,arn\n',
      CreateDate: { __class__: 'datetime', year: 2016, month: 8, day: 30, hour: 17, minute: 37, second: 35, microsecond: 0 },
      Nested: [{ When: { __class__: 'datetime', year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, microsecond: 0 }, N: 1, B: false, Nil: null }],
    });
    assert.deepEqual(sdk, boto);
    assert.deepEqual(sdk, { Content: 'user,arn\n', CreateDate: '2016-08-30T17:37:35.000Z', Nested: [{ When: '1970-01-01T00:00:00.000Z', N: 1, B: false, Nil: null }] });
  });

  test('Python isoformat strings under time-named keys only; StreamingBody; odd numbers', () => {
    const out = normalise({
      StartTime: '2024-01-30T10:33:22.036000+00:00',
      Value: '2024-01-30T10:33:22.036000+00:00',
      TimeLoggingStarted: '2016-07-24T08:57:57Z',
      Body: { __class__: 'StreamingBody', body: 'text' },
      Big: 10n,
      Inf: Number.POSITIVE_INFINITY,
    });
    assert.deepEqual(out, {
      StartTime: '2024-01-30T10:33:22.036Z',
      Value: '2024-01-30T10:33:22.036000+00:00',
      TimeLoggingStarted: '2016-07-24T08:57:57Z',
      Body: 'text',
      Big: '10',
      Inf: 'Infinity',
    });
  });

  test('hostile shapes: non-objects, deep nesting, __proto__ keys', () => {
    assert.deepEqual(normalise(null), {});
    assert.deepEqual(normalise('x'), {});
    let deep: unknown = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    assert.throws(() => normalise({ deep }), NormaliseError);
    const parsed = JSON.parse('{"__proto__": {"admin": true}}') as unknown;
    const out = normalise({ x: parsed });
    assert.equal(Object.getPrototypeOf(out['x']), Object.prototype);
    assert.deepEqual(Object.keys(out['x'] as object), ['__proto__']);
  });
});

describe('errors', () => {
  test('codes map to gap reasons', () => {
    const cases: [string, number | undefined, string][] = [
      ['AccessDenied', 403, 'access-denied'],
      ['UnauthorizedOperation', 403, 'access-denied'],
      ['InvalidClientTokenId', 403, 'bad-credentials'],
      ['ExpiredToken', 400, 'bad-credentials'],
      ['CredentialsProviderError', undefined, 'bad-credentials'],
      ['Throttling', 400, 'throttled'],
      ['RequestLimitExceeded', 503, 'throttled'],
      ['OptInRequired', 401, 'not-enabled'],
      ['InternalError', 500, 'unavailable'],
      ['NoRecording', undefined, 'unavailable'],
      ['InvalidResponse', undefined, 'invalid-response'],
      ['SomethingNew', 403, 'access-denied'],
      ['SomethingNew', 429, 'throttled'],
      ['SomethingNew', 502, 'unavailable'],
      ['SomethingNew', 400, 'error'],
    ];
    for (const [code, status, reason] of cases) assert.equal(reasonFor(code, status), reason, code);
  });

  test('messages lose credentials and stay bounded', () => {
    const m = safeMessage('The key AKIAIOSFODNN7EXAMPLE with X-Amz-Signature=abcdef0123&X-Amz-Credential=AKIA/2024 and Credential=ASIAXXXXXXXXXXXXXXXX/x, Signature=deadbeef failed');
    assert.doesNotMatch(m, /AKIAIOSFODNN7EXAMPLE|abcdef0123|deadbeef|ASIAXXXX/);
    assert.match(m, /<access-key-id>/);
    assert.ok(safeMessage('x'.repeat(10_000)).length <= 501);
    assert.equal(safeMessage(`token ${'A'.repeat(300)} end`), 'token <redacted> end');
    assert.equal(callError('', '').code, 'Unknown');
  });

  test('SDK errors: wire code, status and attempts', () => {
    const e = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 3 } });
    assert.deepEqual(sdkError(e), { code: 'ThrottlingException', message: 'Rate exceeded', status: 400, attempts: 3 });
    const net = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    assert.equal(sdkError(net).code, 'ECONNREFUSED');
    assert.equal(sdkError('weird').code, 'Error');
    const query = Object.assign(new Error('not found'), { name: 'NoSuchEntityException', Code: 'NoSuchEntity', $metadata: { httpStatusCode: 404 } });
    assert.equal(sdkError(query).code, 'NoSuchEntity');
  });
});

function stubApi(pages: (input: Readonly<Record<string, unknown>>, n: number) => AwsResult): AwsApi & { inputs: Record<string, unknown>[] } {
  let n = 0;
  const inputs: Record<string, unknown>[] = [];
  return {
    mode: 'offline',
    ordered: true,
    inputs,
    call: async (_id: AwsOperationId, _region: string, input: Readonly<Record<string, unknown>> = {}) => {
      inputs.push({ ...input });
      return pages(input, n++);
    },
    stats: () => ({ calls: n, retries: 0 }),
    sleep: async () => {},
    close: () => {},
  };
}

describe('listAll', () => {
  test('follows IAM markers while IsTruncated, sending the page size', async () => {
    const api = stubApi((input) => {
      const m = input['Marker'];
      if (m === undefined) return { ok: true, data: { Users: [1, 2], IsTruncated: true, Marker: 'a' } };
      if (m === 'a') return { ok: true, data: { Users: [3], IsTruncated: true, Marker: 'b' } };
      return { ok: true, data: { Users: [4], IsTruncated: false } };
    });
    const res = await listAll(api, 'iam.ListUsers', 'us-east-1');
    assert.deepEqual(res.items, [1, 2, 3, 4]);
    assert.equal(res.error, undefined);
    assert.deepEqual(api.inputs, [{ MaxItems: 1000 }, { MaxItems: 1000, Marker: 'a' }, { MaxItems: 1000, Marker: 'b' }]);
  });

  test('a token received twice stops the walk, drops the repeat and says the list may be incomplete', async () => {
    const api = stubApi(() => ({ ok: true, data: { Roles: ['r1'], IsTruncated: true, Marker: 'same' } }));
    const res = await listAll(api, 'iam.ListRoles', 'us-east-1');
    assert.deepEqual(res.items, ['r1']);
    assert.equal(res.error?.reason, 'invalid-response');
    assert.match(res.error?.message ?? '', /same Marker twice/);
  });

  test('the page cap stops with a gap; a failing later page keeps what was read', async () => {
    let i = 0;
    const endless = stubApi(() => ({ ok: true, data: { SecurityGroups: [i], NextToken: `t${++i}` } }));
    const capped = await listAll(endless, 'ec2.DescribeSecurityGroups', 'eu-west-1', {}, 3);
    assert.deepEqual(capped.items, [0, 1, 2]);
    assert.equal(capped.error?.code, 'PageLimit');
    const failing = stubApi((_input, n) => (n === 0 ? { ok: true, data: { Vpcs: ['v'], NextToken: 'x' } } : { ok: false, error: callError('Throttling', 'Rate exceeded', 400) }));
    const partial = await listAll(failing, 'ec2.DescribeVpcs', 'eu-west-1');
    assert.deepEqual(partial.items, ['v']);
    assert.equal(partial.error?.reason, 'throttled');
    assert.match(partial.error?.message ?? '', /page 2/);
  });

  test('a first page failure, a list that is not a list, and an operation that does not page', async () => {
    const denied = await listAll(stubApi(() => ({ ok: false, error: callError('AccessDenied', 'no', 403) })), 'kms.ListKeys', 'us-east-1');
    assert.deepEqual(denied.items, []);
    assert.equal(denied.error?.reason, 'access-denied');
    const notList = await listAll(stubApi(() => ({ ok: true, data: { Keys: 'x' } })), 'kms.ListKeys', 'us-east-1');
    assert.equal(notList.error?.reason, 'invalid-response');
    const single = await listAll(stubApi(() => ({ ok: true, data: { trailList: [] } })), 'cloudtrail.DescribeTrails', 'us-east-1');
    assert.deepEqual(single.first, { trailList: [] });
  });
});

describe('limit', () => {
  test('limiter bounds concurrency; mapLimit keeps order', async () => {
    const run = limiter(2);
    let active = 0;
    let peak = 0;
    const task = async (v: number): Promise<number> => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, 5));
      active--;
      return v;
    };
    assert.deepEqual(await Promise.all([1, 2, 3, 4, 5].map((v) => run(() => task(v)))), [1, 2, 3, 4, 5]);
    assert.equal(peak, 2);
    const order: number[] = [];
    assert.deepEqual(
      await mapLimit([3, 1, 2], 1, async (v) => {
        order.push(v);
        return v * 2;
      }),
      [6, 2, 4],
    );
    assert.deepEqual(order, [3, 1, 2]);
    assert.deepEqual(await mapLimit([], 4, async (v: number) => v), []);
  });
});
