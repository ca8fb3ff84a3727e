/**
 * The AWS collector (issue 7): live through the AWS SDK v3 (standard credential chain, a
 * profile, or roles assumed into several accounts; every enabled region), or offline from a
 * directory of recorded responses. One CollectResult per account. Kinds and attrs:
 * docs/collectors/aws.md; least-privilege permissions: the same page (generated from
 * operations.ts and checked by a test).
 */
import type { Collector, CollectProgress, CollectResult } from '../types.js';
import { credentialTargets } from './api/credentials.js';
import { callError, describeError } from './api/errors.js';
import { mapLimit } from './api/limit.js';
import { createLiveApi } from './api/live.js';
import { createOfflineApi, inferRecordingFacts } from './api/offline.js';
import type { AwsApi } from './api/types.js';
import { scanAccount } from './collect/account.js';
import { ALL_AWS_KINDS } from './kinds.js';
import type { AwsCollectOptions } from './options.js';
import { defaultGlobalRegion } from './options.js';

export type { AwsCollectOptions, AwsServiceGroup } from './options.js';
export { AWS_KINDS, ALL_AWS_KINDS } from './kinds.js';
export { OPERATIONS, requiredActions } from './operations.js';

function failed(label: string, service: string, operation: string, code: string, message: string): CollectResult {
  const error = callError(code, message);
  return {
    target: { provider: 'aws', id: label, name: label },
    resources: [],
    gaps: [{ provider: 'aws', target: label, service, operation, reason: error.reason, message: describeError(error), kinds: [...ALL_AWS_KINDS] }],
    stats: { ms: 0, calls: 0, retries: 0 },
  };
}

async function withApi(api: AwsApi, label: string, options: AwsCollectOptions, progress?: CollectProgress): Promise<CollectResult> {
  try {
    return await scanAccount(api, label, options, progress);
  } finally {
    api.close();
  }
}

export async function collectAws(options: AwsCollectOptions, progress?: CollectProgress): Promise<CollectResult[]> {
  if (options.recordings !== undefined) {
    let api: AwsApi;
    try {
      api = createOfflineApi(options.recordings);
    } catch (e) {
      const code = e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'Error';
      return [failed('offline recording', 'recording', 'read directory', code, `the recordings directory cannot be read (${code})`)];
    }
    // A recording without sts / ec2.DescribeRegions answers: the account and region its ARNs name.
    const facts = options.accountId && options.regions ? {} : inferRecordingFacts(options.recordings);
    const accountId = options.accountId ?? facts.account;
    const regions = options.regions ?? (facts.region ? [facts.region] : undefined);
    return [await withApi(api, 'offline recording', { ...options, accountId, regions }, progress)];
  }
  const globalRegion = options.globalRegion ?? defaultGlobalRegion(options.regions);
  const targets = await credentialTargets({
    profile: options.profile,
    credentials: options.credentials,
    roles: options.roles,
    includeBaseAccount: options.includeBaseAccount,
    globalRegion,
    endpoint: options.endpoint,
    clientConfig: options.clientConfig,
  });
  return mapLimit(targets, options.accountConcurrency ?? 2, (t) =>
    withApi(
      createLiveApi({
        credentials: t.credentials,
        endpoint: options.endpoint,
        maxAttempts: options.maxAttempts,
        retryMode: options.retryMode,
        maxInFlight: options.concurrency,
        clientConfig: options.clientConfig,
      }),
      t.label,
      options,
      progress,
    ),
  );
}

export const awsCollector: Collector<AwsCollectOptions> = {
  provider: 'aws',
  collect: collectAws,
};
