import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkScanConfig, collectRequestFor, externalIdFor, ScanConfig, ScanConfigError } from './config.js';

const LIVE = { live: true, snapshotDir: undefined };
const OFF = { live: false, snapshotDir: undefined };

test('settings are parsed strictly per provider', () => {
  assert.equal(ScanConfig.safeParse({ provider: 'aws', regions: ['eu-west-1'], roleArn: 'arn:aws:iam::111122223333:role/VigilAudit' }).success, true);
  assert.equal(ScanConfig.safeParse({ provider: 'aws', regions: ['mars-1'] }).success, false, 'not a region');
  assert.equal(ScanConfig.safeParse({ provider: 'aws', roleArn: 'arn:aws:iam::1:role/x' }).success, false, 'not a role ARN');
  assert.equal(ScanConfig.safeParse({ provider: 'aws', externalId: 'chosen-by-the-tenant' }).success, false, 'the external id is never the tenant’s to choose');
  assert.equal(ScanConfig.safeParse({ provider: 'aws', accessKeyId: 'AKIA…' }).success, false, 'no credentials');
  assert.equal(ScanConfig.safeParse({ provider: 'azure', subscription: 'not-a-uuid' }).success, false);
  assert.equal(ScanConfig.safeParse({ provider: 'gcp', project: 'My Project' }).success, false);
  assert.equal(ScanConfig.safeParse({ provider: 'kubernetes' }).success, true);
  assert.equal(ScanConfig.safeParse({ provider: 'ftp' }).success, false);
  assert.equal(ScanConfig.safeParse(null).success, false);
});

test('live settings need the operator’s consent and the target’s provider', () => {
  assert.throws(() => checkScanConfig({ provider: 'aws' }, 'aws', OFF), /VIGIL_POSTURE_COLLECT/);
  assert.doesNotThrow(() => checkScanConfig({ provider: 'aws' }, 'aws', LIVE));
  assert.throws(() => checkScanConfig({ provider: 'gcp', project: 'my-project-1' }, 'aws', LIVE), (e: unknown) => e instanceof ScanConfigError && e.pointer === '/scan/config/provider');
  assert.throws(() => checkScanConfig({ provider: 'snapshot', path: 'a.json' }, 'kubernetes', LIVE), /VIGIL_POSTURE_SNAPSHOT_DIR/);
});

test('an AWS role is assumed with the tenant’s own external id', async () => {
  const r = await collectRequestFor({ provider: 'aws', roleArn: 'arn:aws:iam::111122223333:role/VigilAudit' }, { provider: 'aws', tenantId: 't-1' }, LIVE);
  assert.deepEqual(r, { aws: { regions: undefined, roleArns: ['arn:aws:iam::111122223333:role/VigilAudit'], externalId: externalIdFor('t-1') } });
  assert.equal(externalIdFor('t-1'), 'vigil-t-1');
});

test('snapshot paths stay inside the folder, links included', async () => {
  const root = await mkdtemp(join(tmpdir(), 'vigil-snap-'));
  const out = await mkdtemp(join(tmpdir(), 'vigil-out-'));
  try {
    await mkdir(join(root, 'a'));
    await writeFile(join(root, 'a', 'dump.json'), '{}');
    await writeFile(join(out, 'x.json'), '{}');
    await symlink(join(out, 'x.json'), join(root, 'a', 'link.json'));
    const policy = { live: false, snapshotDir: root };
    const ok = await collectRequestFor({ provider: 'snapshot', path: 'a/dump.json' }, { provider: 'kubernetes', tenantId: 't' }, policy);
    assert.equal(ok.snapshot?.endsWith(join('a', 'dump.json')), true);
    assert.equal(ok.snapshotProvider, 'kubernetes');
    for (const path of ['../x.json', '/etc/passwd', 'a/../../x.json']) {
      await assert.rejects(collectRequestFor({ provider: 'snapshot', path }, { provider: 'kubernetes', tenantId: 't' }, policy), ScanConfigError, path);
    }
    await assert.rejects(collectRequestFor({ provider: 'snapshot', path: 'a/link.json' }, { provider: 'kubernetes', tenantId: 't' }, policy), /outside/);
    await assert.rejects(collectRequestFor({ provider: 'snapshot', path: 'a/missing.json' }, { provider: 'kubernetes', tenantId: 't' }, policy), /no snapshot/);
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(out, { recursive: true, force: true });
  }
});
