/** Service group → its gatherer (an exhaustive switch: a new group must be wired here). */
import type { AwsServiceGroup } from '../options.js';
import type { CollectContext } from './context.js';
import { collectKms, collectRds } from './data.js';
import { collectAccessAnalyzer, collectAccount, collectGuardDuty, collectSecurityHub } from './detect.js';
import { collectEc2 } from './ec2.js';
import { collectIam } from './iam.js';
import { collectCloudTrail, collectConfig, collectMetricFilters } from './logging.js';
import { collectS3 } from './s3.js';

/** Collects one service group in one region (global groups ignore the region); returns SNS topics to collect later. */
export async function collectData(ctx: CollectContext, group: AwsServiceGroup, region: string, scanned: readonly string[]): Promise<string[]> {
  switch (group) {
    case 'account':
      await collectAccount(ctx);
      return [];
    case 'iam':
      await collectIam(ctx);
      return [];
    case 's3':
      await collectS3(ctx);
      return [];
    case 'ec2':
      await collectEc2(ctx, region);
      return [];
    case 'rds':
      await collectRds(ctx, region);
      return [];
    case 'cloudtrail':
      await collectCloudTrail(ctx, region, scanned);
      return [];
    case 'kms':
      await collectKms(ctx, region);
      return [];
    case 'monitoring':
      return collectMetricFilters(ctx, region);
    case 'config':
      await collectConfig(ctx, region);
      return [];
    case 'guardduty':
      await collectGuardDuty(ctx, region);
      return [];
    case 'accessanalyzer':
      await collectAccessAnalyzer(ctx, region);
      return [];
    case 'securityhub':
      await collectSecurityHub(ctx, region);
      return [];
  }
}
