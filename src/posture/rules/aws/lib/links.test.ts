import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { makeContext } from '../../../engine.js';
import type { Resource, ResourceKind } from '../../../model.js';
import { baseAddress, cfnPointsAt, isModule, linked, referencedBy, tfPointsAt } from './links.js';

function res(kind: ResourceKind, id: string, attrs: Record<string, unknown>, refs: string[] = [], meta?: Record<string, unknown>): Resource {
  return {
    kind,
    input: kind.startsWith('cfn:') ? 'cloudformation' : 'terraform',
    provider: 'aws',
    type: kind.slice(kind.indexOf(':') + 1),
    id,
    name: id,
    file: 'main.tf',
    line: 1,
    endLine: 1,
    attrs,
    lineOf: () => undefined,
    refs,
    suppressions: [],
    meta,
  };
}

describe('baseAddress', () => {
  test('drops instance keys anywhere, including keys holding brackets and dots', () => {
    assert.equal(baseAddress('aws_s3_bucket.b'), 'aws_s3_bucket.b');
    assert.equal(baseAddress('module.m[0].aws_s3_bucket.b["a.b[1]"]'), 'module.m.aws_s3_bucket.b');
    assert.equal(baseAddress(']]['), '');
  });
});

describe('tfPointsAt / cfnPointsAt', () => {
  const bucket = res('tf:aws_s3_bucket', 'aws_s3_bucket.b[0]', { bucket: 'my-bucket' });
  test('a reference to the address (not to a longer one), or the literal name', () => {
    const c = res('tf:aws_s3_bucket_versioning', 'v', {});
    assert.equal(tfPointsAt('${aws_s3_bucket.b[count.index].id}', bucket, c, ['bucket']), true);
    assert.equal(tfPointsAt('${aws_s3_bucket.b.id}', bucket, c, ['bucket']), true);
    assert.equal(tfPointsAt('${aws_s3_bucket.bb.id}', bucket, c, ['bucket']), false);
    assert.equal(tfPointsAt('${xaws_s3_bucket.b.id}', bucket, c, ['bucket']), false);
    assert.equal(tfPointsAt('my-bucket', bucket, c, ['bucket']), true);
    assert.equal(tfPointsAt('other', bucket, c, ['bucket']), false);
    assert.equal(tfPointsAt(undefined, bucket, c, ['bucket']), false);
  });
  test('a value a plan does not know falls back to the references', () => {
    assert.equal(tfPointsAt('${unknown}', bucket, res('tf:aws_s3_bucket_versioning', 'v', {}, ['aws_s3_bucket.b']), ['bucket']), true);
    assert.equal(tfPointsAt('${unknown}', bucket, res('tf:aws_s3_bucket_versioning', 'v', {}, ['aws_s3_bucket.c']), ['bucket']), false);
  });
  test('CloudFormation: Ref, GetAtt in both forms, literal names', () => {
    const b = res('cfn:AWS::S3::Bucket', 'Bucket', { BucketName: 'my-bucket' });
    assert.equal(cfnPointsAt({ Ref: 'Bucket' }, b, []), true);
    assert.equal(cfnPointsAt({ 'Fn::GetAtt': ['Bucket', 'Arn'] }, b, []), true);
    assert.equal(cfnPointsAt({ 'Fn::GetAtt': 'Bucket.Arn' }, b, []), true);
    assert.equal(cfnPointsAt('my-bucket', b, ['BucketName']), true);
    assert.equal(cfnPointsAt({ Ref: 'Other' }, b, ['BucketName']), false);
  });
});

test('linked: companions through the named attribute only', () => {
  const a = res('tf:aws_s3_bucket', 'aws_s3_bucket.a', {});
  const b = res('tf:aws_s3_bucket', 'aws_s3_bucket.b', {});
  const log = res('tf:aws_s3_bucket_logging', 'aws_s3_bucket_logging.a', { bucket: '${aws_s3_bucket.a.id}', target_bucket: '${aws_s3_bucket.b.id}' }, ['aws_s3_bucket.a', 'aws_s3_bucket.b']);
  const ctx = makeContext([a, b, log]);
  assert.deepEqual(linked(ctx, a, 'tf:aws_s3_bucket_logging', 'bucket'), [log]);
  assert.deepEqual(linked(ctx, b, 'tf:aws_s3_bucket_logging', 'bucket'), []);
});

test('linked and tfPointsAt inside a local module: module-local expressions, module-prefixed ids', () => {
  const b = res('tf:aws_s3_bucket', 'module.s3.aws_s3_bucket.b', {});
  const outside = res('tf:aws_s3_bucket', 'aws_s3_bucket.b', {});
  const v = res('tf:aws_s3_bucket_versioning', 'module.s3.aws_s3_bucket_versioning.v', { bucket: '${aws_s3_bucket.b.id}' }, ['module.s3.aws_s3_bucket.b']);
  const ctx = makeContext([b, outside, v]);
  assert.deepEqual(linked(ctx, b, 'tf:aws_s3_bucket_versioning', 'bucket'), [v]);
  assert.deepEqual(linked(ctx, outside, 'tf:aws_s3_bucket_versioning', 'bucket'), []);
  assert.equal(tfPointsAt(v.attrs['bucket'], b, v, []), true);
  assert.equal(tfPointsAt(v.attrs['bucket'], outside, v, []), false);
  assert.deepEqual(referencedBy(ctx, b), [v]);
});

test('isModule: registry sources, with or without host and ref', () => {
  const m = (source: string) => res('tf:module', 'module.m', {}, [], { source });
  assert.equal(isModule(m('terraform-aws-modules/s3-bucket/aws'), 'terraform-aws-modules/s3-bucket/aws'), true);
  assert.equal(isModule(m('registry.terraform.io/terraform-aws-modules/s3-bucket/aws'), 'terraform-aws-modules/s3-bucket/aws'), true);
  assert.equal(isModule(m('./s3'), 'terraform-aws-modules/s3-bucket/aws'), false);
  assert.equal(isModule(res('tf:aws_s3_bucket', 'b', {}), 'terraform-aws-modules/s3-bucket/aws'), false);
});
