/**
 * S3 concerns with no IaC rule of their own: VGL-AWS-240 the account-level Block Public Access
 * not fully on (CIS AWS 2.1.4), VGL-AWS-241 MFA delete off (2.1.2), VGL-AWS-242 bucket ACLs still
 * enabled (Object Ownership not BucketOwnerEnforced), VGL-AWS-243 bucket policy granting other
 * accounts access.
 */
import { at, isObject, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule, type RuleContext } from '../../../rule.js';
import { collected, needs } from '../../shared/live.js';
import { awsRule, cis, csf, gdpr, hipaa, iso, nist, pci, soc2 } from '../lib/define.js';
import { isAllow, policyStatements } from '../lib/policy.js';
import { LIVE_BLOCK_SETTINGS } from '../lib/s3.js';
import { accountBlock, ACCOUNT, AWS_KINDS, bucket, bucketArn, doc, FULL_BLOCK, OTHER_ACCOUNT } from './lib.js';

const S3_FRAMEWORKS = [nist('AC-3'), nist('SC-7'), csf('PR.AA-05'), iso('A.8.3'), soc2('CC6.1'), pci('1.4.1')];

// VGL-AWS-240 ----------------------------------------------------------------------------------

function accountLevelBlock(r: Resource): Violation[] {
  const conf = r.attrs['PublicAccessBlockConfiguration'];
  if (conf === undefined) return [];
  if (!isObject(conf)) return [violation(['PublicAccessBlockConfiguration'], 'the account has no S3 Block Public Access configuration')];
  return LIVE_BLOCK_SETTINGS.filter((s) => conf[s] !== true).map((s) => violation(['PublicAccessBlockConfiguration', s], `${s} is off at account level`));
}

const ACCOUNT_BLOCK_ID = `arn:aws:s3::${ACCOUNT}:account-public-access-block`;

export const accountPublicAccessBlock = awsRule({
  id: 'VGL-AWS-240',
  title: 'S3 Block Public Access not fully on for the account',
  description:
    "The account-level S3 Block Public Access is missing or has a setting off, so any bucket whose own settings are off can be made public by one ACL or policy change. The account level is the guard rail that covers buckets created tomorrow (CIS AWS Foundations 2.1.4).",
  severity: 'high',
  service: 's3',
  frameworks: [cis('2.1.4'), ...S3_FRAMEWORKS, gdpr()],
  remediation: 'Turn all four Block Public Access settings on at account level (serve public content through CloudFront with origin access control).',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html'],
  live: {
    kinds: [AWS_KINDS.accountPublicAccessBlock],
    check: accountLevelBlock,
    cli: 'aws s3control put-public-access-block --account-id <account-id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true',
    console: 'S3 → Block Public Access settings for this account → Edit → Block all public access → Save changes.',
    bad: [collected('aws', [accountBlock({ ...FULL_BLOCK, RestrictPublicBuckets: false })], [ACCOUNT_BLOCK_ID]), collected('aws', [accountBlock(null)], [ACCOUNT_BLOCK_ID])],
    good: [collected('aws', [accountBlock(FULL_BLOCK)])],
  },
});

// VGL-AWS-241 ----------------------------------------------------------------------------------

function mfaDelete(r: Resource): Violation[] {
  const missing = needs(r, 'Versioning');
  if (missing.length > 0) return missing;
  const v = r.attrs['Versioning'];
  if (v === undefined) return [];
  return str(at(v, ['MFADelete'])) === 'Enabled' ? [] : [violation(['Versioning', 'MFADelete'], 'MFA delete is not enabled: a versioned object can be permanently deleted with access keys alone')];
}

export const s3MfaDelete = awsRule({
  id: 'VGL-AWS-241',
  title: 'S3 bucket MFA delete not enabled',
  description:
    'MFA delete is off, so whoever holds the right keys can permanently delete object versions and suspend versioning without a second factor: versioning then protects little against a compromised administrator (CIS AWS Foundations 2.1.2).',
  severity: 'medium',
  service: 's3',
  frameworks: [cis('2.1.2'), nist('CP-9'), nist('IA-2(1)'), csf('PR.DS-11'), iso('A.8.13'), soc2('A1.2'), hipaa('164.308(a)(7)(ii)(A)')],
  remediation: 'Enable versioning with MFA delete (only the root user, with its MFA device, can do it), or use Object Lock for data that must not be deleted.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html'],
  live: {
    kinds: [AWS_KINDS.bucket],
    check: mfaDelete,
    cli: 'aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "<root-mfa-serial> <code>"  # with root credentials',
    console: 'MFA delete cannot be set in the console: use the CLI command with the root user credentials and MFA device.',
    bad: [collected('aws', [bucket('off', { Versioning: { Status: 'Enabled', MFADelete: 'Disabled' } }), bucket('never', { Versioning: {} }), bucket('on')], [bucketArn('off'), bucketArn('never')])],
    good: [collected('aws', [bucket('on', { Versioning: { Status: 'Enabled', MFADelete: 'Enabled' } })])],
  },
});

// VGL-AWS-242 ----------------------------------------------------------------------------------

function aclsEnabled(r: Resource): Violation[] {
  const missing = needs(r, 'OwnershipControls');
  if (missing.length > 0) return missing;
  const oc = r.attrs['OwnershipControls'];
  if (oc === undefined) return [];
  const ownership = str(at(oc, ['Rules', 0, 'ObjectOwnership']));
  return ownership === 'BucketOwnerEnforced' ? [] : [violation(['OwnershipControls'], `ACLs are enabled (Object Ownership ${ownership ?? 'not set'}): access can be granted outside bucket policies`)];
}

export const s3AclsEnabled = awsRule({
  id: 'VGL-AWS-242',
  title: 'S3 bucket ACLs are enabled',
  description:
    'Object Ownership is not "bucket owner enforced", so bucket and object ACLs still grant access beside IAM and the bucket policy: a second, rarely reviewed permission system, and objects written by other accounts may stay theirs.',
  severity: 'low',
  service: 's3',
  frameworks: [nist('AC-3'), nist('AC-6'), csf('PR.AA-05'), iso('A.5.15'), soc2('CC6.1'), pci('7.2.1')],
  remediation: 'Set Object Ownership to BucketOwnerEnforced (ACLs disabled) after moving any needed ACL grant into the bucket policy.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html'],
  live: {
    kinds: [AWS_KINDS.bucket],
    check: aclsEnabled,
    cli: 'aws s3api put-bucket-ownership-controls --bucket <bucket> --ownership-controls "Rules=[{ObjectOwnership=BucketOwnerEnforced}]"',
    console: 'S3 → the bucket → Permissions → Object Ownership → Edit → ACLs disabled (recommended) → Save changes.',
    bad: [collected('aws', [bucket('legacy', { OwnershipControls: null }), bucket('preferred', { OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }), bucket('enforced')], [bucketArn('legacy'), bucketArn('preferred')])],
    good: [collected('aws', [bucket('enforced')])],
  },
});

// VGL-AWS-243 ----------------------------------------------------------------------------------

function otherAccounts(ids: readonly string[], own: string | undefined): string[] {
  return [...new Set(ids.map((id) => (/^\d{12}$/.test(id) ? id : id.split(':')[4] ?? '')).filter((a) => /^\d{12}$/.test(a) && a !== own))];
}

function crossAccount(r: Resource, ctx: RuleContext): Violation[] {
  const missing = needs(r, 'Policy');
  if (missing.length > 0) return missing;
  return (policyStatements(r, ['Policy'], ctx) ?? []).flatMap((s) => {
    if (!isAllow(s)) return [];
    const others = otherAccounts((s.principals ?? []).filter((p) => p.type === 'AWS').map((p) => p.id), r.account);
    return others.length === 0 ? [] : [violation(s.principalPath, `the bucket policy grants account ${others.join(', ')} access`)];
  });
}

export const s3CrossAccount = awsRule({
  id: 'VGL-AWS-243',
  title: 'S3 bucket policy grants access to other accounts',
  description:
    'A bucket policy allows principals of another AWS account. That may be intended (a partner, a central logging account) but each such grant puts the data under the other account\'s IAM, which this account does not control; review every one.',
  severity: 'medium',
  service: 's3',
  frameworks: [...S3_FRAMEWORKS, iso('A.5.19'), gdpr()],
  remediation: 'Remove grants that are not needed; keep the rest narrow (named roles, specific actions and prefixes) and, within an organisation, prefer an aws:PrincipalOrgID condition.',
  references: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-walkthroughs-managing-access-example2.html'],
  live: {
    kinds: [AWS_KINDS.bucket],
    check: crossAccount,
    cli: 'aws s3api put-bucket-policy --bucket <bucket> --policy file://<policy-without-foreign-principals.json>',
    console: 'S3 → the bucket → Permissions → Bucket policy → Edit → remove or narrow the statements naming other accounts → Save changes.',
    bad: [
      collected('aws', [bucket('shared', { Policy: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::shared/*' }) }), bucket('private')], [bucketArn('shared')]),
    ],
    good: [
      collected('aws', [
        bucket('own', { Policy: doc({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::own/*' }) }),
        bucket('deny', { Policy: doc({ Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: 's3:*', Resource: 'arn:aws:s3:::deny/*' }) }),
      ]),
    ],
  },
});

export const s3AccountRules: readonly Rule[] = [accountPublicAccessBlock, s3MfaDelete, s3AclsEnabled, s3CrossAccount];
