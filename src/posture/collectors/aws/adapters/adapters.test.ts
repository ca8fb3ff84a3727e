import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseCredentialReport, MAX_REPORT_CHARS } from './credential-report.js';
import { instancesOf, flowLogsByResource, tagName } from './ec2.js';
import { inlinePolicy, roleBase, rootVirtualMfa } from './iam.js';
import { parsePolicyDocument } from './policy-doc.js';
import { aliasesByKey, alarmTopics, customerKeyCalls, trailBelongsTo } from './regional.js';
import { bucketSubCalls, locationRegion } from './s3.js';

const HEADER = 'user,arn,user_creation_time,password_enabled,mfa_active,access_key_1_active';

describe('parseCredentialReport', () => {
  test('rows keyed by the header, values as AWS writes them', () => {
    const res = parseCredentialReport(`${HEADER}\n<root_account>,arn:aws:iam::1:root,2016-05-16T18:13:11+00:00,not_supported,true,false\nbob,arn:aws:iam::1:user/bob,N/A,true,false,true\n`);
    assert.equal(res.ok, true);
    if (!res.ok) return;
    assert.equal(res.report.rows.length, 2);
    assert.deepEqual(res.report.rows[1], { user: 'bob', arn: 'arn:aws:iam::1:user/bob', user_creation_time: 'N/A', password_enabled: 'true', mfa_active: 'false', access_key_1_active: 'true' });
    assert.deepEqual(res.report.problems, []);
  });

  test('quotes, CRLF, a BOM and a row of the wrong width', () => {
    const res = parseCredentialReport(`\ufeff${HEADER}\r\n"a,b","arn:aws:iam::1:user/""q""",x,true,false,false\r\nshort,row\r\n`);
    assert.equal(res.ok, true);
    if (!res.ok) return;
    assert.equal(res.report.rows[0]?.['user'], 'a,b');
    assert.equal(res.report.rows[0]?.['arn'], 'arn:aws:iam::1:user/"q"');
    assert.deepEqual(res.report.problems, ['line 3: 2 columns, the header has 6']);
  });

  test('empty, broken and hostile content', () => {
    for (const bad of [undefined, 42, '', 'no,header\n', '"never closed', 'x'.repeat(MAX_REPORT_CHARS + 1)]) {
      const res = parseCredentialReport(bad);
      assert.equal(res.ok, false, String(bad).slice(0, 20));
    }
    const headerOnly = parseCredentialReport(`${HEADER}\n`);
    assert.deepEqual(headerOnly.ok && headerOnly.report.rows, []);
    const wide = parseCredentialReport(`user,arn,${Array.from({ length: 300 }, (_, i) => `c${i}`).join(',')}\n`);
    assert.equal(wide.ok, false);
  });
});

describe('parsePolicyDocument', () => {
  test('URL-encoded IAM text, plain JSON text and objects', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    assert.deepEqual(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc))), { ok: true, value: doc });
    assert.deepEqual(parsePolicyDocument(JSON.stringify(doc)), { ok: true, value: doc });
    assert.deepEqual(parsePolicyDocument(doc), { ok: true, value: doc });
  });

  test('not JSON, not an object, bad escapes, too large', () => {
    for (const bad of ['{', '[1]', '%E0%A4%A', null, 7, 'x'.repeat(1_000_001)]) assert.equal(parsePolicyDocument(bad).ok, false, String(bad).slice(0, 10));
  });
});

describe('adapters', () => {
  test('S3: LocationConstraint to a region; not-configured codes give null', () => {
    assert.equal(locationRegion(null, 'us-east-1'), 'us-east-1');
    assert.equal(locationRegion('', 'us-east-1'), 'us-east-1');
    assert.equal(locationRegion('EU', 'us-east-1'), 'eu-west-1');
    assert.equal(locationRegion('ap-south-1', 'us-east-1'), 'ap-south-1');
    const calls = bucketSubCalls('b');
    const policy = calls.find((c) => c.keys[0] === 'Policy')!;
    assert.deepEqual(policy.absent, ['NoSuchBucketPolicy']);
    assert.deepEqual(policy.pick({ Policy: '{"Statement":[]}' }), { Policy: { Statement: [] } });
    assert.match(String((policy.pick({ Policy: 'not json' }) as { $invalid?: string }).$invalid), /^bucket policy: policy document is not JSON/);
    const versioning = calls.find((c) => c.keys[0] === 'Versioning')!;
    assert.deepEqual(versioning.pick({ Status: 'Enabled', MFADelete: 'Disabled' }), { Versioning: { Status: 'Enabled', MFADelete: 'Disabled' } });
    assert.deepEqual(versioning.pick({}), { Versioning: {} });
    assert.deepEqual(calls.find((c) => c.keys[0] === 'Logging')!.pick({}), { Logging: null });
  });

  test('IAM: trust policies parsed in place, inline policies, root MFA devices', () => {
    const trust = roleBase({ RoleName: 'r', AssumeRolePolicyDocument: '%7B%22Statement%22%3A%5B%5D%7D' });
    assert.deepEqual(trust, { attrs: { RoleName: 'r', AssumeRolePolicyDocument: { Statement: [] } } });
    const broken = roleBase({ RoleName: 'r', AssumeRolePolicyDocument: '%7B' });
    assert.equal(broken.attrs['AssumeRolePolicyDocument'], undefined);
    assert.match(broken.problem ?? '', /trust policy/);
    assert.deepEqual(inlinePolicy({ PolicyName: 'p', PolicyDocument: '{}' }), { ok: true, value: { PolicyName: 'p', PolicyDocument: {} } });
    const devices = [
      { SerialNumber: 'arn:aws:iam::1:mfa/root-account-mfa-device' },
      { SerialNumber: 'arn:aws:iam::1:mfa/x', User: { Arn: 'arn:aws:iam::1:root' } },
      { SerialNumber: 'arn:aws:iam::1:mfa/bob', User: { Arn: 'arn:aws:iam::1:user/bob' } },
      'junk',
    ];
    assert.equal(rootVirtualMfa(devices).length, 2);
  });

  test('EC2: names from tags, instances out of reservations, flow logs by resource', () => {
    assert.equal(tagName({ Tags: [{ Key: 'Name', Value: 'web' }] }, 'i-1'), 'web');
    assert.equal(tagName({ Tags: 'bad' }, 'i-1'), 'i-1');
    assert.deepEqual(instancesOf([{ OwnerId: '1', Instances: [{ InstanceId: 'i-1' }, { nope: 1 }] }, null, { Instances: 'x' }]), [{ InstanceId: 'i-1', OwnerId: '1' }]);
    const by = flowLogsByResource([{ ResourceId: 'vpc-1', FlowLogId: 'a' }, { ResourceId: 'vpc-1', FlowLogId: 'b' }, { FlowLogId: 'c' }]);
    assert.equal(by.get('vpc-1')?.length, 2);
  });

  test('regional: trail ownership, customer key calls, aliases, alarm topics', () => {
    assert.equal(trailBelongsTo({ HomeRegion: 'us-east-1' }, 'us-east-1', ['us-east-1', 'eu-west-1']), true);
    assert.equal(trailBelongsTo({ HomeRegion: 'us-east-1' }, 'eu-west-1', ['us-east-1', 'eu-west-1']), false);
    assert.equal(trailBelongsTo({ HomeRegion: 'ap-south-1' }, 'us-east-1', ['us-east-1', 'eu-west-1']), true);
    assert.equal(trailBelongsTo({ HomeRegion: 'ap-south-1' }, 'eu-west-1', ['us-east-1', 'eu-west-1']), false);
    assert.deepEqual(customerKeyCalls('k', { KeyManager: 'AWS' }), []);
    assert.deepEqual(customerKeyCalls('k', { KeyManager: 'CUSTOMER', KeyState: 'Enabled' }).map((c) => c.id), ['kms.GetKeyRotationStatus', 'kms.GetKeyPolicy']);
    assert.deepEqual(customerKeyCalls('k', { KeyManager: 'CUSTOMER', KeyState: 'Enabled', KeySpec: 'RSA_2048' }).map((c) => c.id), ['kms.GetKeyPolicy']);
    assert.deepEqual(customerKeyCalls('k', { KeyManager: 'CUSTOMER', KeyState: 'PendingDeletion' }).map((c) => c.id), ['kms.GetKeyPolicy']);
    const rotation = customerKeyCalls('k', { KeyManager: 'CUSTOMER', KeyState: 'Enabled' })[0]!;
    assert.deepEqual(rotation.pick({ KeyRotationEnabled: false }), { KeyRotationEnabled: false, RotationPeriodInDays: null });
    assert.ok('$invalid' in rotation.pick({}));
    assert.equal(aliasesByKey([{ AliasName: 'alias/a', TargetKeyId: 'k' }, { AliasName: 'alias/aws/s3' }]).get('k')?.length, 1);
    assert.deepEqual(alarmTopics([{ AlarmActions: ['arn:aws:sns:us-east-1:1:t', 'arn:aws:automate:us-east-1:ec2:stop', 7] }, 'x']), ['arn:aws:sns:us-east-1:1:t']);
  });
});
