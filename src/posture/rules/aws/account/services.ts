/**
 * Security services per region and what they notify: VGL-AWS-285 AWS Config not recording in a
 * region (CIS AWS 3.3), VGL-AWS-286 Config recorder without a delivery channel, VGL-AWS-287 no
 * recorder records global resource types, VGL-AWS-288
 * GuardDuty not enabled in a region, VGL-AWS-290 Security Hub not enabled in a region (4.16);
 * KMS keys VGL-AWS-264 pending deletion and VGL-AWS-265 disabled; SNS topics VGL-AWS-291 open to
 * anyone and VGL-AWS-292 not encrypted. A region check reads the region resource and the
 * service's resources in the same account and region; a failed listing there is "not assessed".
 */
import { at, str } from '../../../attrs.js';
import type { PostureSeverity, Resource, ResourceKind, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import type { FrameworkControl } from '../../../frameworks.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { allowsAnyone, policyStatements } from '../lib/policy.js';
import { ACCOUNT, accountArn, accountRes, AWS_KINDS, detector, recorder, REGION, regional, regionArn, regionRes, sameScope, unknownInRegions, type RuleText } from './lib.js';

// Region-level "enabled in every region" --------------------------------------------------------

interface RegionRule extends RuleText {
  readonly service: string;
  readonly frameworks: readonly FrameworkControl[];
  /** The service's kind(s) in the region: the first is the one whose listing must have worked. */
  readonly kinds: readonly ResourceKind[];
  /** Is the service on, given its resources in the region? */
  readonly on: (inRegion: (kind: ResourceKind) => Resource[]) => boolean;
  readonly message: string;
  /** Resources (besides the region) that make the example region pass. */
  readonly good: readonly ExampleResource[];
  /** Resources that leave it failing (a disabled detector, a stopped recorder). */
  readonly bad: readonly ExampleResource[];
}

function regionRule(t: RegionRule): Rule {
  const check = (r: Resource, ctx: RuleContext): Violation[] => {
    if (r.kind !== AWS_KINDS.region) return [];
    if (t.on((kind) => sameScope(ctx, r, kind, true))) return [];
    const missing = needs(r, ...t.kinds);
    if (missing.length > 0) return missing;
    return [violation([], `${t.message} in ${r.region ?? 'this region'}`)];
  };
  return awsRule({
    id: t.id,
    title: t.title,
    description: t.description,
    severity: t.severity,
    service: t.service,
    frameworks: t.frameworks,
    remediation: t.remediation,
    references: [t.reference],
    live: {
      kinds: [AWS_KINDS.region, ...t.kinds],
      check,
      cli: t.cli,
      console: t.console,
      bad: [collected('aws', [regionRes('eu-west-1'), ...t.bad], [regionArn('eu-west-1')]), collected('aws', [regionRes('us-east-1'), regionRes('eu-west-1'), ...t.good.map((g) => ({ ...g, region: 'us-east-1' }))], [regionArn('eu-west-1')])],
      good: [collected('aws', [regionRes('eu-west-1'), ...t.good])],
    },
  });
}

const recording = (r: Resource): boolean => at(r.attrs, ['Status', 'recording']) === true;

export const configInRegion = regionRule({
  id: 'VGL-AWS-285',
  title: 'AWS Config not recording in a region',
  description:
    'The region has no AWS Config recorder that is recording, so configuration changes there (a security group opened, a bucket made public) leave no history and Config rules cannot evaluate them (CIS AWS Foundations 3.3).',
  severity: 'medium',
  service: 'config',
  frameworks: [cis('3.3'), nist('CM-8'), nist('CM-3'), csf('ID.AM-08'), csf('DE.CM-09'), iso('A.8.9'), soc2('CC7.1'), pci('10.2.1')],
  remediation: 'Create a recorder for all supported resource types with a delivery channel and start it, in every enabled region (or deploy it with a StackSet / Control Tower).',
  reference: 'https://docs.aws.amazon.com/config/latest/developerguide/gs-cli.html',
  kinds: [AWS_KINDS.configRecorder],
  on: (inRegion) => inRegion(AWS_KINDS.configRecorder).some(recording),
  message: 'no AWS Config recorder is recording',
  cli: 'aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role-arn> --recording-group allSupported=true --region <region> && aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<bucket> --region <region> && aws configservice start-configuration-recorder --configuration-recorder-name default --region <region>',
  console: 'AWS Config (in the region) → Get started → record all resource types → choose the delivery bucket → Confirm.',
  good: [recorder()],
  bad: [recorder({ Status: { name: 'default', recording: false } })],
});

const channelArn = (region = REGION): string => `arn:aws:config:${region}:${ACCOUNT}:delivery-channel/default`;
const channel = (region = REGION): ExampleResource => regional('AWS::Config::DeliveryChannel', channelArn(region), { name: 'default', s3BucketName: 'config-history' }, region);

function deliveryChannel(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind !== AWS_KINDS.configRecorder) return [];
  if (sameScope(ctx, r, AWS_KINDS.deliveryChannel, true).length > 0) return [];
  const region = ctx.byKind(AWS_KINDS.region).find((x) => x.account === r.account && x.region === r.region);
  const missing = region === undefined ? [] : needs(region, AWS_KINDS.deliveryChannel);
  return missing.length > 0 ? missing : [violation([], 'the recorder has no delivery channel: configuration history and snapshots are not delivered')];
}

export const configDelivery = awsRule({
  id: 'VGL-AWS-286',
  title: 'AWS Config recorder without a delivery channel',
  description: 'A configuration recorder exists in the region but no delivery channel does, so the recorder cannot start and no configuration history or snapshot reaches S3.',
  severity: 'medium',
  service: 'config',
  frameworks: [cis('3.3'), nist('CM-3'), nist('AU-9'), csf('DE.CM-09'), iso('A.8.9'), soc2('CC7.1')],
  remediation: 'Create a delivery channel to an S3 bucket (optionally an SNS topic), then start the recorder.',
  references: ['https://docs.aws.amazon.com/config/latest/developerguide/manage-delivery-channel.html'],
  live: {
    kinds: [AWS_KINDS.configRecorder, AWS_KINDS.deliveryChannel],
    check: deliveryChannel,
    cli: 'aws configservice put-delivery-channel --delivery-channel name=default,s3BucketName=<bucket> --region <region>',
    console: 'AWS Config (in the region) → Settings → Edit → Delivery method → choose an S3 bucket → Save.',
    bad: [collected('aws', [recorder(), recorder({}, 'us-east-1'), channel('us-east-1')], ['arn:aws:config:eu-west-1:111122223333:config-recorder/default'])],
    good: [collected('aws', [recorder(), channel()])],
  },
});

// VGL-AWS-287 ----------------------------------------------------------------------------------

function globalTypes(r: Resource, ctx: RuleContext): Violation[] {
  if (r.kind !== AWS_KINDS.account) return [];
  const recorders = sameScope(ctx, r, AWS_KINDS.configRecorder);
  if (recorders.some((c) => recording(c) && at(c.attrs, ['recordingGroup', 'includeGlobalResourceTypes']) === true)) return [];
  const unknown = unknownInRegions(ctx, r, AWS_KINDS.configRecorder);
  if (unknown.length > 0) return unknown;
  const unread = recorders.find((c) => needs(c, 'Status').length > 0);
  if (unread !== undefined) return needs(unread, 'Status');
  return [violation([], 'no recording AWS Config recorder includes global resource types (IAM users, roles, groups, policies)')];
}

export const configGlobalTypes = awsRule({
  id: 'VGL-AWS-287',
  title: 'AWS Config records no global resource types',
  description:
    'No recording AWS Config recorder, in any region, includes global resource types, so changes to IAM users, groups, roles and policies have no configuration history (CIS AWS Foundations 3.3 asks for global resources to be recorded; one region is enough).',
  severity: 'medium',
  service: 'config',
  frameworks: [cis('3.3'), nist('CM-8'), nist('CM-3'), csf('ID.AM-08'), iso('A.8.9'), soc2('CC7.1')],
  remediation: 'Set includeGlobalResourceTypes (or record the AWS::IAM::* types) on the recorder of one region.',
  references: ['https://docs.aws.amazon.com/config/latest/developerguide/select-resources.html#select-resources-global'],
  live: {
    kinds: [AWS_KINDS.account, AWS_KINDS.configRecorder],
    check: globalTypes,
    cli: 'aws configservice put-configuration-recorder --configuration-recorder name=default,roleARN=<role-arn> --recording-group allSupported=true,includeGlobalResourceTypes=true --region <home-region>',
    console: 'AWS Config (in the home region) → Settings → Edit → Include globally recorded resource types → Save.',
    bad: [collected('aws', [accountRes(), regionRes(), recorder({ recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } })], [accountArn()])],
    good: [
      collected('aws', [
        accountRes(),
        regionRes('eu-west-1'),
        regionRes('us-east-1'),
        recorder({ recordingGroup: { allSupported: true, includeGlobalResourceTypes: false } }, 'eu-west-1'),
        recorder({}, 'us-east-1'),
      ]),
    ],
  },
});

const DETECTION = [nist('SI-4'), nist('RA-5'), csf('DE.CM-01'), csf('DE.AE-02'), iso('A.8.16'), soc2('CC7.2'), pci('11.5.1')];

export const guardDutyInRegion = regionRule({
  id: 'VGL-AWS-288',
  title: 'GuardDuty not enabled in a region',
  description:
    'The region has no enabled GuardDuty detector: no threat detection on its CloudTrail, VPC flow and DNS logs. Attackers favour regions nobody uses, so GuardDuty belongs in every enabled region.',
  severity: 'medium',
  service: 'guardduty',
  frameworks: DETECTION,
  remediation: 'Enable GuardDuty in every enabled region, ideally from the organisation\'s delegated administrator with auto-enable for new accounts.',
  reference: 'https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_settingup.html',
  kinds: [AWS_KINDS.guardDutyDetector],
  on: (inRegion) => inRegion(AWS_KINDS.guardDutyDetector).some((d) => str(at(d.attrs, ['Detector', 'Status'])) === 'ENABLED'),
  message: 'no enabled GuardDuty detector',
  cli: 'aws guardduty create-detector --enable --region <region>',
  console: 'GuardDuty (in the region) → Get started → Enable GuardDuty.',
  good: [detector('main', 'ENABLED')],
  bad: [detector('off', 'DISABLED')],
});

const hub = (region = REGION): ExampleResource => regional('AWS::SecurityHub::Hub', `arn:aws:securityhub:${region}:${ACCOUNT}:hub/default`, { HubArn: `arn:aws:securityhub:${region}:${ACCOUNT}:hub/default`, SubscribedAt: '2025-01-01T00:00:00.000Z', AutoEnableControls: true }, region);

export const securityHubInRegion = regionRule({
  id: 'VGL-AWS-290',
  title: 'Security Hub not enabled in a region',
  description:
    'AWS Security Hub is not enabled in the region, so findings of GuardDuty, Inspector, Macie and the Foundational Security Best Practices controls there are not gathered in one place (CIS AWS Foundations 4.16).',
  severity: 'medium',
  service: 'securityhub',
  frameworks: [cis('4.16'), ...DETECTION, nist('CA-7')],
  remediation: 'Enable Security Hub in every enabled region (with an aggregation region), ideally through the organisation\'s delegated administrator.',
  reference: 'https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-settingup.html',
  kinds: [AWS_KINDS.securityHub],
  on: (inRegion) => inRegion(AWS_KINDS.securityHub).length > 0,
  message: 'Security Hub is not enabled',
  cli: 'aws securityhub enable-security-hub --enable-default-standards --region <region>',
  console: 'Security Hub (in the region) → Go to Security Hub → Enable Security Hub.',
  good: [hub()],
  bad: [],
});

// KMS key states -------------------------------------------------------------------------------

function keyRes(id: string, state: string, manager = 'CUSTOMER'): ExampleResource {
  const arn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${id}`;
  return regional('AWS::KMS::Key', arn, { KeyId: id, KeyArn: arn, KeyMetadata: { KeyId: id, KeyManager: manager, KeyState: state, Enabled: state === 'Enabled', KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'ENCRYPT_DECRYPT' } });
}

function keyStateRule(id: string, state: string, title: string, description: string, severity: PostureSeverity, cli: string, console: string): Rule {
  return awsRule({
    id,
    title,
    description,
    severity,
    service: 'kms',
    frameworks: [nist('SC-12'), nist('CP-9'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.7.1')],
    remediation: state === 'PendingDeletion' ? 'If the key is still needed, cancel the deletion; otherwise confirm nothing encrypted with it remains.' : 'Re-enable the key if it is needed, or schedule its deletion once nothing depends on it.',
    references: ['https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html'],
    live: {
      kinds: [AWS_KINDS.kmsKey],
      check: (r) => (str(at(r.attrs, ['KeyMetadata', 'KeyManager'])) === 'CUSTOMER' && str(at(r.attrs, ['KeyMetadata', 'KeyState'])) === state ? [violation(['KeyMetadata', 'KeyState'], `the customer managed key is ${state}`)] : []),
      cli,
      console,
      bad: [collected('aws', [keyRes('a', state), keyRes('b', 'Enabled')], [`arn:aws:kms:${REGION}:${ACCOUNT}:key/a`])],
      good: [collected('aws', [keyRes('b', 'Enabled'), keyRes('c', state, 'AWS')])],
    },
  });
}

export const keyPendingDeletion = keyStateRule(
  'VGL-AWS-264',
  'PendingDeletion',
  'KMS key scheduled for deletion',
  'A customer managed key is pending deletion. Once the waiting period ends, everything still encrypted with it (volumes, snapshots, objects, secrets) is unrecoverable; deletion by mistake or by an intruder is only reversible until then.',
  'medium',
  'aws kms cancel-key-deletion --key-id <key-id> --region <region> && aws kms enable-key --key-id <key-id> --region <region>',
  'KMS → Customer managed keys → the key → Key actions → Cancel key deletion.',
);

export const keyDisabled = keyStateRule(
  'VGL-AWS-265',
  'Disabled',
  'KMS key disabled',
  'A customer managed key is disabled: data encrypted with it cannot be read until it is enabled again. Either it is no longer needed (schedule deletion) or something depending on it is broken.',
  'low',
  'aws kms enable-key --key-id <key-id> --region <region>  # or: aws kms schedule-key-deletion --key-id <key-id> --pending-window-in-days 30',
  'KMS → Customer managed keys → the key → Key actions → Enable (or Schedule key deletion).',
);

// SNS topics -----------------------------------------------------------------------------------

const topicArn = (name: string): string => `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;

function topicRes(name: string, attributes: Record<string, unknown>): ExampleResource {
  return regional('AWS::SNS::Topic', topicArn(name), { TopicArn: topicArn(name), Attributes: { TopicArn: topicArn(name), SubscriptionsConfirmed: '1', ...attributes }, Subscriptions: [] });
}

const topicPolicy = (principal: unknown, condition?: Record<string, unknown>): string =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: ['SNS:Publish', 'SNS:Subscribe'], Resource: topicArn('x'), ...(condition ? { Condition: condition } : {}) }] });

function publicTopic(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'Attributes');
  if (missing.length > 0) return missing;
  return (policyStatements(r, ['Attributes', 'Policy'], ctx) ?? [])
    .filter(allowsAnyone)
    .map(() => violation(['Attributes', 'Policy'], 'the topic policy lets anyone (any account, anonymous) publish or subscribe with no condition on the caller'));
}

export const snsPublic = awsRule({
  id: 'VGL-AWS-291',
  title: 'SNS topic policy allows anyone',
  description:
    'The topic policy allows "*" with no condition tying the caller to an account, organisation or source ARN: anyone can publish to it (forging security alerts, spamming responders) or subscribe and read every notification.',
  severity: 'high',
  service: 'sns',
  frameworks: [nist('AC-3'), nist('AC-6'), csf('PR.AA-05'), iso('A.5.15'), soc2('CC6.1'), pci('7.2.1')],
  remediation: 'Name the publishing services or accounts, or add an aws:SourceOwner / aws:SourceArn / aws:PrincipalOrgID condition.',
  references: ['https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html'],
  live: {
    kinds: [AWS_KINDS.snsTopic],
    check: publicTopic,
    cli: 'aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name Policy --attribute-value file://<policy-with-source-owner.json>',
    console: 'SNS → Topics → the topic → Edit → Access policy → name the principals or add a condition → Save changes.',
    bad: [collected('aws', [topicRes('open', { Policy: topicPolicy({ AWS: '*' }) }), topicRes('own', { Policy: topicPolicy({ AWS: `arn:aws:iam::${ACCOUNT}:root` }) })], [topicArn('open')])],
    good: [collected('aws', [topicRes('scoped', { Policy: topicPolicy('*', { StringEquals: { 'AWS:SourceOwner': ACCOUNT } }) }), topicRes('default', {})])],
  },
});

export const snsEncryption = awsRule({
  id: 'VGL-AWS-292',
  title: 'SNS topic not encrypted at rest',
  description: 'The topic has no KMS key (KmsMasterKeyId), so messages (often alert contents naming resources and principals) are stored without encryption under a key you control.',
  severity: 'low',
  service: 'sns',
  frameworks: [nist('SC-28'), csf('PR.DS-01'), iso('A.8.24'), soc2('CC6.1'), pci('3.5.1')],
  remediation: 'Set KmsMasterKeyId to a KMS key whose policy lets the publishing services (CloudWatch, EventBridge) use it.',
  references: ['https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html'],
  live: {
    kinds: [AWS_KINDS.snsTopic],
    check: (r) => {
      const missing = needs(r, 'Attributes');
      if (missing.length > 0) return missing;
      const attrs = r.attrs['Attributes'];
      if (attrs === undefined) return [];
      return str(at(attrs, ['KmsMasterKeyId'])) === undefined ? [violation(['Attributes', 'KmsMasterKeyId'], 'the topic is not encrypted with a KMS key')] : [];
    },
    cli: 'aws sns set-topic-attributes --topic-arn <topic-arn> --attribute-name KmsMasterKeyId --attribute-value <key-id-or-alias>',
    console: 'SNS → Topics → the topic → Edit → Encryption → Enable encryption → choose the key → Save changes.',
    bad: [collected('aws', [topicRes('plain', {}), topicRes('sealed', { KmsMasterKeyId: 'alias/sns' })], [topicArn('plain')])],
    good: [collected('aws', [topicRes('sealed', { KmsMasterKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/1` })])],
  },
});

export const serviceRules: readonly Rule[] = [configInRegion, configDelivery, configGlobalTypes, guardDutyInRegion, securityHubInRegion, keyPendingDeletion, keyDisabled, snsPublic, snsEncryption];
