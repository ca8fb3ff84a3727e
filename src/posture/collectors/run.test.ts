import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { detectSnapshot, wantsCollection } from './run.js';

test('snapshot detection from file names and content', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'vigil-snap-'));
  try {
    await mkdir(join(dir, 'aws'));
    await writeFile(join(dir, 'aws', 's3.ListBuckets_1.json'), '{"status_code":200,"data":{}}');
    await mkdir(join(dir, 'gcp'));
    await writeFile(join(dir, 'gcp', 'get-storage-v1-b_1.json'), '{"body":{}}');
    await writeFile(join(dir, 'cassette.json'), '{"version":1,"interactions":[]}');
    await writeFile(join(dir, 'dump.json'), '{"apiVersion":"v1","kind":"List","items":[]}');
    assert.equal(await detectSnapshot(join(dir, 'aws')), 'aws');
    assert.equal(await detectSnapshot(join(dir, 'gcp')), 'gcp');
    assert.equal(await detectSnapshot(join(dir, 'cassette.json')), 'azure');
    assert.equal(await detectSnapshot(join(dir, 'dump.json')), 'kubernetes');
    await assert.rejects(detectSnapshot(join(dir, 'missing')), /ENOENT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the shared recordings are recognised', async (t) => {
  const aws = sharedData('cloud', 'custodian-aws-placebo', 'test_s3_check_public_block');
  const azure = sharedData('cloud', 'custodian-azure-cassettes');
  const gcp = sharedData('cloud', 'custodian-gcp-flights', 'bucket-query');
  if (!aws || !azure || !gcp) return t.skip(skipMessage('cloud recordings'));
  assert.equal(await detectSnapshot(aws), 'aws');
  assert.equal(await detectSnapshot(azure), 'azure');
  assert.equal(await detectSnapshot(gcp), 'gcp');
});

test('collection is wanted only when a collector flag is given', () => {
  assert.equal(wantsCollection({}), false);
  assert.equal(wantsCollection({ kubernetes: {} }), true);
  assert.equal(wantsCollection({ snapshot: 'x' }), true);
});
