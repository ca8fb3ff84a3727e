/**
 * The synthetic large account (__fixtures__/synthetic.ts, used by `npm run bench:cloud`) stays a
 * valid recording: collected offline it gives at least the resources it describes and no gap, and
 * the live SDK path against the local fake gives the same result (its lists come in recorded pages).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fakeAwsClientConfig, startFakeAws } from './__fixtures__/fake-aws.js';
import { syntheticCounts, writeSyntheticAccount } from './__fixtures__/synthetic.js';
import { collectAws } from './index.js';
import { AWS_KINDS } from './kinds.js';

process.removeAllListeners('warning');
const scratch = mkdtempSync(join(tmpdir(), 'vigil-aws-synthetic-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

test('a synthetic account of 300 resources: offline gives them all with no gap, live through the fake the same', async () => {
  const dir = join(scratch, 'account');
  const written = await writeSyntheticAccount(dir, 300);
  assert.equal(written.resources, 300);
  const [offline] = await collectAws({ recordings: dir });
  assert.deepEqual(offline!.gaps, []);
  assert.ok(offline!.resources.length >= 300, `${offline!.resources.length} resources`);
  const counts = syntheticCounts(300);
  assert.equal(offline!.resources.filter((r) => r.kind === AWS_KINDS.securityGroup).length, counts.securityGroups);
  assert.equal(offline!.resources.filter((r) => r.kind === AWS_KINDS.user).length, counts.users);

  const server = await startFakeAws({ dir });
  try {
    const [live] = await collectAws({ endpoint: server.url, credentials: { accessKeyId: 'AKIDFAKE', secretAccessKey: 'x' }, concurrency: 1, regionConcurrency: 1, retryMode: 'standard', clientConfig: fakeAwsClientConfig() });
    assert.deepEqual(live!.gaps, []);
    assert.equal(live!.resources.length, offline!.resources.length);
    assert.deepEqual(
      live!.resources.map((r) => [r.id, r.attrs, r.meta]),
      offline!.resources.map((r) => [r.id, r.attrs, r.meta]),
    );
    assert.ok(server.requests.filter((r) => r.id === 'iam.ListRoles').length >= 1);
  } finally {
    await server.close();
  }
});
