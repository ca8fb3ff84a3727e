/**
 * How the server reaches a target it scans itself (issue 7, section 5): the collection settings
 * stored with a registry target (`posture_targets.scan_config`) and their translation into the
 * collectors' request. Never a credential: the server uses its own credential chain (AWS SDK
 * default chain, Azure DefaultAzureCredential, Google ADC, its kubeconfig), which is why
 * server-side collection is off unless the operator turns it on (VIGIL_POSTURE_COLLECT=on), and
 * why an AWS role is always assumed with the external id `vigil-<tenant id>`: a tenant cannot
 * make the server assume a role set up for another tenant (the confused-deputy problem AWS's
 * external id exists for). Recorded snapshots are read only below VIGIL_POSTURE_SNAPSHOT_DIR.
 */
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { z } from 'zod';
import type { CollectRequest } from '../collectors/run.js';
import { COLLECTOR_PROVIDERS, type CollectorProvider } from '../collectors/types.js';

const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ROLE_ARN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export const ScanConfig = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('aws'),
    regions: z.array(z.string().regex(AWS_REGION, 'an AWS region such as eu-west-1')).min(1).max(50).optional().describe('Regions to scan (default: every enabled region)'),
    roleArn: z.string().regex(ROLE_ARN, 'an IAM role ARN').optional().describe('Role to assume in the account; assumed with the external id `vigil-<tenant id>`'),
  }),
  z.strictObject({ provider: z.literal('azure'), subscription: z.uuid().describe('Subscription id') }),
  z.strictObject({ provider: z.literal('gcp'), project: z.string().regex(GCP_PROJECT, 'a GCP project id').describe('Project id') }),
  z.strictObject({
    provider: z.literal('kubernetes'),
    context: z.string().min(1).max(253).optional().describe("Context of the server's kubeconfig (default: its current context)"),
  }),
  z.strictObject({
    provider: z.literal('snapshot'),
    path: z.string().min(1).max(1000).describe('Recorded responses or a cluster dump, relative to VIGIL_POSTURE_SNAPSHOT_DIR'),
    of: z.enum(COLLECTOR_PROVIDERS).optional().describe('What the snapshot holds, when detection should not guess'),
  }),
]);
export type ScanConfig = z.infer<typeof ScanConfig>;

export interface CollectPolicy {
  /** VIGIL_POSTURE_COLLECT: may the server use its own credentials to reach live targets? */
  readonly live: boolean;
  /** VIGIL_POSTURE_SNAPSHOT_DIR: where recorded snapshots may be read from (unset: nowhere). */
  readonly snapshotDir: string | undefined;
}

/** Why settings cannot be used (API 422 / a failed job). */
export class ScanConfigError extends Error {
  constructor(message: string, readonly pointer = '/scan/config') {
    super(message);
    this.name = 'ScanConfigError';
  }
}

/** The provider a configuration collects, for a snapshot the one it says it holds (if it says). */
export const configProvider = (c: ScanConfig): CollectorProvider | undefined => (c.provider === 'snapshot' ? c.of : c.provider);

/** The external id the server uses for every AWS role it assumes for a tenant. */
export const externalIdFor = (tenantId: string): string => `vigil-${tenantId}`;

/** Checks settings against the target's provider and the operator's policy (no I/O). */
export function checkScanConfig(config: ScanConfig, targetProvider: CollectorProvider, policy: CollectPolicy): void {
  const p = configProvider(config);
  if (p !== undefined && p !== targetProvider) throw new ScanConfigError(`the settings collect ${p}, but the target is a ${targetProvider} target`, '/scan/config/provider');
  if (config.provider === 'snapshot') {
    if (policy.snapshotDir === undefined) throw new ScanConfigError('snapshots cannot be scanned by the server: the operator has not set VIGIL_POSTURE_SNAPSHOT_DIR', '/scan/config/path');
    if (isAbsolute(config.path) || config.path.split(/[\\/]/).includes('..')) throw new ScanConfigError('the snapshot path must be relative to VIGIL_POSTURE_SNAPSHOT_DIR, without ..', '/scan/config/path');
  } else if (!policy.live) {
    throw new ScanConfigError('the server does not collect live targets: the operator has not set VIGIL_POSTURE_COLLECT=on (upload scans with `vigil posture scan … --upload` instead)', '/scan/config/provider');
  }
}

/** Resolves a snapshot path below the allowed directory, following links, refusing escapes. */
async function snapshotPath(dir: string, path: string): Promise<string> {
  const root = await realpath(dir).catch(() => {
    throw new ScanConfigError(`VIGIL_POSTURE_SNAPSHOT_DIR ${dir} cannot be read`);
  });
  const real = await realpath(resolve(root, path)).catch(() => {
    throw new ScanConfigError(`no snapshot at ${path} in VIGIL_POSTURE_SNAPSHOT_DIR`, '/scan/config/path');
  });
  const rel = relative(root, real);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) throw new ScanConfigError('the snapshot path leads outside VIGIL_POSTURE_SNAPSHOT_DIR', '/scan/config/path');
  return real;
}

/** The collectors' request for stored settings, checked again (the policy may have changed). */
export async function collectRequestFor(config: ScanConfig, target: { provider: CollectorProvider; tenantId: string }, policy: CollectPolicy): Promise<CollectRequest> {
  checkScanConfig(config, target.provider, policy);
  switch (config.provider) {
    case 'aws':
      return { aws: { regions: config.regions, ...(config.roleArn ? { roleArns: [config.roleArn], externalId: externalIdFor(target.tenantId) } : {}) } };
    case 'azure':
      return { azure: { subscriptions: [config.subscription] } };
    case 'gcp':
      return { gcp: { projects: [config.project] } };
    case 'kubernetes':
      return { kubernetes: { context: config.context } };
    case 'snapshot':
      return { snapshot: await snapshotPath(policy.snapshotDir!, config.path), snapshotProvider: config.of ?? target.provider };
  }
}
