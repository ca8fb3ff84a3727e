/**
 * CloudTrail across the account: VGL-AWS-250 no multi-region trail logging every management
 * event (CIS AWS 3.1), VGL-AWS-251 a region no logging trail covers, VGL-AWS-252 / 253 S3 object
 * write / read events not logged for all buckets (3.8 / 3.9), VGL-AWS-254 trail delivery failing,
 * VGL-AWS-255 the trail's bucket is public, VGL-AWS-256 a multi-region trail without global
 * service events.
 *
 * Event selectors are read in both forms: basic (`ReadWriteType`, `IncludeManagementEvents`,
 * `DataResources[{Type: AWS::S3::Object, Values: ["arn:aws:s3"]}]`, the value meaning every
 * bucket) and advanced (`FieldSelectors` on eventCategory, resources.type, readOnly,
 * resources.ARN). A trail with neither listed (GetEventSelectors not collected) counts as AWS's
 * default: all management events, no data events.
 */
import { at, isObject, list, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { awsRule, cis, csf, hipaa, iso, nist, pci, soc2 } from '../lib/define.js';
import { allowsAnyone, policyStatements } from '../lib/policy.js';
import { liveBlockOn, publicGrants } from '../lib/s3.js';
import { accountArn, accountRes, AWS_KINDS, bucket, bucketArn, doc, regionArn, regionRes, sameScope, trail, trailArn, unknownInRegions } from './lib.js';

const LOG_FRAMEWORKS = [nist('AU-2'), nist('AU-3'), nist('AU-12'), csf('DE.CM-09'), csf('PR.PS-04'), iso('A.8.15'), soc2('CC7.2'), pci('10.2.1'), hipaa('164.312(b)')];
const REFERENCE = 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-management-events-with-cloudtrail.html';

const logging = (t: Resource): boolean => at(t.attrs, ['Status', 'IsLogging']) === true;

interface Field {
  readonly field: string;
  readonly equals: string[];
}

function fields(selector: unknown): Field[] {
  return list(at(selector, ['FieldSelectors'])).flatMap((f) =>
    isObject(f) && typeof f['Field'] === 'string' ? [{ field: f['Field'], equals: list(f['Equals']).filter((x): x is string => typeof x === 'string') }] : [],
  );
}

/** `readOnly` of an advanced selector: undefined when it takes both reads and writes. */
function readOnly(fs: readonly Field[]): string | undefined {
  const f = fs.find((x) => x.field === 'readOnly');
  return f?.equals.length === 1 ? f.equals[0] : undefined;
}

type Access = 'read' | 'write';

const covers = (readWrite: string | undefined, access: Access): boolean =>
  readWrite === undefined || readWrite === 'All' || (access === 'read' ? readWrite === 'ReadOnly' : readWrite === 'WriteOnly');
const coversAdvanced = (ro: string | undefined, access: Access): boolean => ro === undefined || ro === (access === 'read' ? 'true' : 'false');

/** Does the trail log management events of both kinds (reads and writes)? */
export function managementReadWrite(t: Resource): boolean {
  if (needs(t, 'EventSelectors').length > 0) return false;
  const basic = t.attrs['EventSelectors'];
  const advanced = t.attrs['AdvancedEventSelectors'];
  if (basic === undefined && advanced === undefined) return true;
  if (list(basic).some((s) => at(s, ['IncludeManagementEvents']) !== false && (str(at(s, ['ReadWriteType'])) ?? 'All') === 'All')) return true;
  return list(advanced).some((s) => {
    const fs = fields(s);
    return fs.some((f) => f.field === 'eventCategory' && f.equals.includes('Management')) && readOnly(fs) === undefined;
  });
}

const ALL_BUCKETS = /^arn:aws[a-z-]*:s3(:::)?$/;

/** Does the trail log S3 object-level `access` events for every bucket? */
export function s3DataEvents(t: Resource, access: Access): boolean {
  const basic = list(t.attrs['EventSelectors']).some(
    (s) =>
      covers(str(at(s, ['ReadWriteType'])), access) &&
      list(at(s, ['DataResources'])).some((d) => str(at(d, ['Type'])) === 'AWS::S3::Object' && list(at(d, ['Values'])).some((v) => typeof v === 'string' && ALL_BUCKETS.test(v))),
  );
  if (basic) return true;
  return list(t.attrs['AdvancedEventSelectors']).some((s) => {
    const fs = fields(s);
    return (
      fs.some((f) => f.field === 'eventCategory' && f.equals.includes('Data')) &&
      fs.some((f) => f.field === 'resources.type' && f.equals.includes('AWS::S3::Object')) &&
      !fs.some((f) => f.field.startsWith('resources.ARN')) &&
      coversAdvanced(readOnly(fs), access)
    );
  });
}

/** "Not assessed" when no trail passes but the trails (or their status / selectors) could not all be read. */
function trailsUnknown(ctx: RuleContext, anchor: Resource, trails: readonly Resource[]): Violation[] {
  const listing = unknownInRegions(ctx, anchor, AWS_KINDS.trail);
  if (listing.length > 0) return listing;
  for (const t of trails) {
    const missing = needs(t, 'Status', 'EventSelectors');
    if (missing.length > 0) return missing.map((v) => ({ ...v, message: `${v.message} (trail ${t.name})` }));
  }
  return [];
}

/** An account-level rule: passes when one trail of the account satisfies `ok`. */
function accountTrailCheck(ok: (t: Resource) => boolean, message: string) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (r.kind !== AWS_KINDS.account) return [];
    const trails = sameScope(ctx, r, AWS_KINDS.trail);
    if (trails.some((t) => logging(t) && ok(t))) return [];
    const unknown = trailsUnknown(ctx, r, trails);
    return unknown.length > 0 ? unknown : [violation([], message)];
  };
}

const accountOnly = (trails: readonly ExampleResource[]): ExampleResource[] => [accountRes(), regionRes(), ...trails];

export const multiRegionTrail = awsRule({
  id: 'VGL-AWS-250',
  title: 'No multi-region CloudTrail trail logs all management events',
  description:
    'The account has no trail that is multi-region, logging, and records management events of both kinds (reads and writes). API activity in some region, or of some kind, then leaves no record: the first thing an incident responder needs (CIS AWS Foundations 3.1).',
  severity: 'high',
  service: 'cloudtrail',
  frameworks: [cis('3.1'), ...LOG_FRAMEWORKS],
  remediation: 'Create (or fix) one multi-region trail, logging, with a management event selector of ReadWriteType All (or an organisation trail).',
  references: [REFERENCE, 'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html'],
  live: {
    kinds: [AWS_KINDS.account, AWS_KINDS.trail],
    check: accountTrailCheck((t) => t.attrs['IsMultiRegionTrail'] === true && managementReadWrite(t), 'no multi-region trail is logging read and write management events'),
    cli: 'aws cloudtrail create-trail --name <trail> --s3-bucket-name <bucket> --is-multi-region-trail --enable-log-file-validation && aws cloudtrail start-logging --name <trail>',
    console: 'CloudTrail → Trails → Create trail (multi-region by default) → Management events: Read and Write → Create; or Edit the existing trail.',
    bad: [
      collected('aws', accountOnly([trail('writes-only', { EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] }), trail('local', { IsMultiRegionTrail: false })]), [accountArn()]),
      collected('aws', accountOnly([trail('stopped', { Status: { IsLogging: false } })]), [accountArn()]),
    ],
    good: [
      collected('aws', accountOnly([trail('main')])),
      collected('aws', accountOnly([trail('advanced', { EventSelectors: [], AdvancedEventSelectors: [{ Name: 'mgmt', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }] })])),
    ],
  },
});

function regionCovered(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind !== AWS_KINDS.region) return [];
  const trails = sameScope(ctx, r, AWS_KINDS.trail);
  if (trails.some((t) => logging(t) && (t.attrs['IsMultiRegionTrail'] === true || (str(t.attrs['HomeRegion']) ?? t.region) === r.region))) return [];
  const missing = needs(r, AWS_KINDS.trail);
  if (missing.length > 0) return missing;
  const partial = trails.find((t) => needs(t, 'Status').length > 0);
  if (partial !== undefined) return needs(partial, 'Status');
  return [violation([], `no logging trail records ${r.region ?? 'this region'}`)];
}

export const regionTrail = awsRule({
  id: 'VGL-AWS-251',
  title: 'Region not covered by a logging CloudTrail trail',
  description:
    'No logging trail records this region: neither a multi-region trail nor one whose home region it is. API calls made there (an attacker\'s favourite place: a region nobody uses) are only in the 90-day event history (CIS AWS Foundations 3.1).',
  severity: 'high',
  service: 'cloudtrail',
  frameworks: [cis('3.1'), ...LOG_FRAMEWORKS],
  remediation: 'Make an existing trail multi-region (or use an organisation trail) and keep it logging.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/receive-cloudtrail-log-files-from-multiple-regions.html'],
  live: {
    kinds: [AWS_KINDS.region, AWS_KINDS.trail],
    check: regionCovered,
    cli: 'aws cloudtrail update-trail --name <trail> --is-multi-region-trail && aws cloudtrail start-logging --name <trail>',
    console: 'CloudTrail → Trails → the trail → Edit → enable for all regions → Save changes; Start logging if stopped.',
    bad: [collected('aws', [regionRes('eu-west-1'), regionRes('us-east-1'), trail('local', { IsMultiRegionTrail: false }, 'us-east-1')], [regionArn('eu-west-1')])],
    good: [
      collected('aws', [regionRes('eu-west-1'), regionRes('us-east-1'), trail('main', {}, 'us-east-1')]),
      collected('aws', [regionRes('eu-west-1'), trail('local', { IsMultiRegionTrail: false })]),
    ],
  },
});

// VGL-AWS-252 / 253 ----------------------------------------------------------------------------

function dataEventsRule(id: string, access: Access, control: string): Rule {
  const only = access === 'read' ? 'WriteOnly' : 'ReadOnly';
  return awsRule({
    id,
    title: `S3 object-level ${access} events not logged by CloudTrail`,
    description: `No logging trail records S3 data events for ${access}s of objects in every bucket, so who ${access === 'read' ? 'downloaded' : 'uploaded, overwrote or deleted'} which object cannot be answered after an incident (CIS AWS Foundations ${control}). Server access logs are best-effort; data events are the audit trail.`,
    severity: 'medium',
    service: 'cloudtrail',
    frameworks: [cis(control), ...LOG_FRAMEWORKS],
    remediation: `Add an S3 data event selector (all current and future buckets, ${access === 'read' ? 'Read' : 'Write'} or All) to a logging trail; an advanced selector can exclude high-volume buckets.`,
    references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html'],
    live: {
      kinds: [AWS_KINDS.account, AWS_KINDS.trail],
      check: accountTrailCheck((t) => s3DataEvents(t, access), `no logging trail records S3 object ${access} events for all buckets`),
      cli: `aws cloudtrail put-event-selectors --trail-name <trail> --event-selectors '[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]'`,
      console: 'CloudTrail → Trails → the trail → Data events → Edit → Add data event type S3 → All current and future S3 buckets → Read and Write → Save changes.',
      bad: [
        collected('aws', accountOnly([trail('mgmt', { EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [] }] })]), [accountArn()]),
        collected('aws', accountOnly([trail('half', { EventSelectors: [{ ReadWriteType: only, IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }] })]), [accountArn()]),
        collected('aws', accountOnly([trail('one-bucket', { EventSelectors: [], AdvancedEventSelectors: [{ Name: 's3', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'resources.ARN', StartsWith: ['arn:aws:s3:::one/'] }] }] })]), [accountArn()]),
      ],
      good: [
        collected('aws', accountOnly([trail('main')])),
        collected('aws', accountOnly([trail('advanced', { EventSelectors: [], AdvancedEventSelectors: [{ Name: 's3', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }, { Field: 'readOnly', Equals: [access === 'read' ? 'true' : 'false'] }] }] })])),
        collected('aws', accountOnly([trail('basic', { EventSelectors: [{ ReadWriteType: access === 'read' ? 'ReadOnly' : 'WriteOnly', DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::'] }] }] }), trail('unused', { Status: { IsLogging: false } })])),
      ],
    },
  });
}

export const s3WriteEvents = dataEventsRule('VGL-AWS-252', 'write', '3.8');
export const s3ReadEvents = dataEventsRule('VGL-AWS-253', 'read', '3.9');

// VGL-AWS-254 ----------------------------------------------------------------------------------

function deliveryErrors(r: Resource): Violation[] {
  const missing = needs(r, 'Status');
  if (missing.length > 0) return missing;
  if (!logging(r)) return [];
  return (['LatestDeliveryError', 'LatestCloudWatchLogsDeliveryError', 'LatestDigestDeliveryError'] as const).flatMap((k) => {
    const e = str(at(r.attrs, ['Status', k]));
    return e === undefined ? [] : [violation(['Status', k], `the trail's last delivery failed: ${e.slice(0, 200)}`)];
  });
}

export const trailDelivery = awsRule({
  id: 'VGL-AWS-254',
  title: 'CloudTrail trail cannot deliver its logs',
  description:
    'GetTrailStatus reports a delivery error (to S3, CloudWatch Logs or for digest files): the trail is "logging" but its events are not arriving, typically after a bucket policy, KMS key policy or IAM role change.',
  severity: 'high',
  service: 'cloudtrail',
  frameworks: [nist('AU-5'), nist('AU-9'), csf('DE.CM-09'), iso('A.8.15'), soc2('CC7.2'), pci('10.7.2')],
  remediation: 'Fix the permission the error names (bucket policy for cloudtrail.amazonaws.com, the KMS key policy, the CloudWatch Logs role) and check that delivery resumes.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html'],
  live: {
    kinds: [AWS_KINDS.trail],
    check: deliveryErrors,
    cli: 'aws cloudtrail get-trail-status --name <trail>  # then fix the bucket / key policy or role the error names',
    console: 'CloudTrail → Trails → the trail → the delivery error banner → fix the S3 bucket policy, KMS key policy or CloudWatch Logs role.',
    bad: [collected('aws', [trail('broken', { Status: { IsLogging: true, LatestDeliveryError: 'AccessDenied' } }), trail('main')], [trailArn('broken')])],
    good: [collected('aws', [trail('main'), trail('stopped', { Status: { IsLogging: false, LatestDeliveryError: 'NoSuchBucket' } })])],
  },
});

// VGL-AWS-255 ----------------------------------------------------------------------------------

function publicTrailBucket(r: Resource, ctx: RuleContext): Violation[] {
  const name = str(r.attrs['S3BucketName']);
  const b = name === undefined ? undefined : ctx.byKind(AWS_KINDS.bucket).find((x) => (str(x.attrs['Name']) ?? x.name) === name);
  if (b === undefined) return [];
  const missing = needs(b, 'Acl', 'Policy');
  if (missing.length > 0) return missing.map((v) => ({ ...v, path: ['S3BucketName'] }));
  const acl = !liveBlockOn(b, ctx, 'IgnorePublicAcls') && publicGrants(b).length > 0;
  const policy = !liveBlockOn(b, ctx, 'RestrictPublicBuckets') && ((policyStatements(b, ['Policy'], ctx) ?? []).some(allowsAnyone) || at(b.attrs, ['PolicyStatus', 'IsPublic']) === true);
  if (!acl && !policy) return [];
  return [violation(['S3BucketName'], `the trail's bucket ${name ?? ''} is public (${acl ? 'its ACL' : 'its bucket policy'} grants everyone access)`)];
}

export const trailBucketPublic = awsRule({
  id: 'VGL-AWS-255',
  title: 'CloudTrail logs bucket is publicly accessible',
  description:
    "The bucket the trail delivers to grants everyone access through its ACL or bucket policy, and Block Public Access does not neutralise it: the account's whole API history (who, what, from where) is readable by anyone.",
  severity: 'critical',
  service: 'cloudtrail',
  frameworks: [nist('AU-9'), nist('AC-3'), csf('PR.DS-01'), iso('A.8.15'), soc2('CC6.1'), pci('10.3.2')],
  remediation: 'Remove the public grant or statement from the log bucket and turn its Block Public Access on.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html'],
  live: {
    kinds: [AWS_KINDS.trail],
    check: publicTrailBucket,
    cli: 'aws s3api put-public-access-block --bucket <trail-bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    console: 'S3 → the trail bucket → Permissions → Block public access → Edit → Block all public access; remove public grants and statements.',
    bad: [
      collected('aws', [
        trail('main', { S3BucketName: 'trail-logs' }),
        bucket('trail-logs', { PublicAccessBlock: null, Policy: doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucketArn('trail-logs')}/*` }) }),
      ], [trailArn('main')]),
    ],
    good: [collected('aws', [trail('main', { S3BucketName: 'trail-logs' }), bucket('trail-logs'), trail('org', { S3BucketName: 'bucket-in-another-account' })])],
  },
});

// VGL-AWS-256 ----------------------------------------------------------------------------------

export const globalServiceEvents = awsRule({
  id: 'VGL-AWS-256',
  title: 'Multi-region CloudTrail trail excludes global service events',
  description:
    'A multi-region trail has IncludeGlobalServiceEvents off, so events of global services (IAM, STS, CloudFront, Route 53) are not delivered by it: user and role changes, access key creation and sign-ins are missing from the trail meant to hold everything.',
  severity: 'medium',
  service: 'cloudtrail',
  frameworks: [cis('3.1'), ...LOG_FRAMEWORKS],
  remediation: 'Turn IncludeGlobalServiceEvents on for the multi-region trail.',
  references: ['https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events'],
  live: {
    kinds: [AWS_KINDS.trail],
    check: (r) => (r.attrs['IsMultiRegionTrail'] === true && r.attrs['IncludeGlobalServiceEvents'] === false ? [violation(['IncludeGlobalServiceEvents'], 'the multi-region trail leaves out global service events (IAM, STS, CloudFront)')] : []),
    cli: 'aws cloudtrail update-trail --name <trail> --include-global-service-events',
    console: 'Use the CLI: the console sets global service events on for multi-region trails and offers no switch.',
    bad: [collected('aws', [trail('no-global', { IncludeGlobalServiceEvents: false }), trail('main')], [trailArn('no-global')])],
    good: [collected('aws', [trail('main'), trail('regional', { IsMultiRegionTrail: false, IncludeGlobalServiceEvents: false })])],
  },
});

export const trailAccountRules: readonly Rule[] = [multiRegionTrail, regionTrail, s3WriteEvents, s3ReadEvents, trailDelivery, trailBucketPublic, globalServiceEvents];
