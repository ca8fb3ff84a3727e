/**
 * The root user and account contacts, from the credential report's `<root_account>` row and the
 * account resource: VGL-AWS-200 root access keys (CIS AWS 1.4), VGL-AWS-201 root without MFA
 * (1.5), VGL-AWS-202 root MFA is virtual, not hardware (1.6), VGL-AWS-203 root used recently
 * (1.7), VGL-AWS-204 root signing certificates, VGL-AWS-205 no security contact (1.2).
 */
import { list } from '../../../attrs.js';
import type { FrameworkControl } from '../../../frameworks.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { awsRule, cis, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { accountArn, accountRes, ACCOUNT, AWS_KINDS, cell, daysSince, REPORT_TIME, reportTime, time, type RuleText } from './lib.js';

const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;

const ROW_DEFAULTS: Record<string, string> = {
  user: '<root_account>',
  password_enabled: 'not_supported',
  password_last_used: '2025-01-10T08:00:00+00:00',
  mfa_active: 'true',
  access_key_1_active: 'false',
  access_key_1_last_used_date: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_used_date: 'N/A',
  cert_1_active: 'false',
  cert_2_active: 'false',
};

/** A collected root user: its credential report row (defaults: MFA on, no keys, unused since 2025-01) and virtual MFA devices. */
function root(row: Record<string, string>, virtualMfa: unknown[] = [], arn = ROOT_ARN): ExampleResource {
  return {
    type: 'AWS::IAM::RootUser',
    id: arn,
    account: arn.split(':')[4],
    attrs: { Arn: arn, CredentialReport: { arn, ...ROW_DEFAULTS, ...row }, CredentialReportTime: REPORT_TIME, VirtualMFADevices: virtualMfa },
  };
}

const ROOT_FRAMEWORKS = [nist('AC-6(2)'), nist('IA-2(1)'), csf('PR.AA-01'), csf('PR.AA-05'), iso('A.8.2'), iso('A.5.17'), soc2('CC6.1'), pci('8.2.2')];

interface RootRule extends RuleText {
  /** The CIS AWS 3.0 control, when the benchmark has one for it. */
  readonly cis?: string;
  readonly extra?: readonly FrameworkControl[];
  /** Checks the root row (the credential report was read and has a root row). */
  readonly check: (r: Resource) => Violation[];
  readonly bad: Record<string, string>;
  readonly badMfa?: unknown[];
  readonly good: Record<string, string>;
}

/** A root-user rule: a bad root, and a good one beside another account's bad root (other accounts are their own scans). */
function rootRule(t: RootRule): Rule {
  return awsRule({
    id: t.id,
    title: t.title,
    description: t.description,
    severity: t.severity,
    service: 'iam',
    frameworks: [...(t.cis !== undefined ? [cis(t.cis)] : []), ...ROOT_FRAMEWORKS, ...(t.extra ?? [])],
    remediation: t.remediation,
    references: [t.reference, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user.html'],
    live: {
      kinds: [AWS_KINDS.rootUser],
      check: (r) => {
        const missing = needs(r, 'CredentialReport');
        if (missing.length > 0) return missing;
        return r.attrs['CredentialReport'] === null ? [] : t.check(r);
      },
      cli: t.cli,
      console: t.console,
      bad: [collected('aws', [root(t.bad, t.badMfa)], [ROOT_ARN])],
      good: [collected('aws', [root(t.good)]), collected('aws', [{ ...root({}), attrs: { Arn: ROOT_ARN, CredentialReport: null } }])],
    },
  });
}

const active = (r: Resource, column: string): boolean => cell(r, column) === 'true';

export const rootAccessKeys = rootRule({
  id: 'VGL-AWS-200',
  title: 'Root user has an access key',
  description:
    'The root user has an active access key. Root keys cannot be limited by any IAM policy or SCP-free boundary, never expire, and one leaked key is the whole account (CIS AWS Foundations 1.4).',
  severity: 'critical',
  cis: '1.4',
  remediation: 'Delete the root access keys (after moving whatever uses them to an IAM role) and do not create new ones.',
  cli: 'aws iam delete-access-key --access-key-id <root-access-key-id>  # run with root credentials; or delete it in the console',
  console: 'Sign in as root → account menu → Security credentials → Access keys → Actions → Delete.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user_manage_delete-key.html',
  check: (r) =>
    ['access_key_1_active', 'access_key_2_active'].filter((c) => active(r, c)).map((c) => violation(['CredentialReport', c], 'the root user has an active access key')),
  bad: { access_key_1_active: 'true', access_key_1_last_used_date: '2026-05-30T10:00:00+00:00' },
  good: {},
});

export const rootMfa = rootRule({
  id: 'VGL-AWS-201',
  title: 'Root user without MFA',
  description: 'The root user signs in with a password alone. Root can do everything, including closing the account; a phished or reused password must not be enough (CIS AWS Foundations 1.5).',
  severity: 'critical',
  cis: '1.5',
  remediation: 'Enable MFA for the root user (a hardware key, ideally two registered devices).',
  cli: '# root MFA can only be enabled by the root user in the console (IAM → Security credentials → Assign MFA device)',
  console: 'Sign in as root → account menu → Security credentials → Multi-factor authentication → Assign MFA device.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/enable-mfa-for-root.html',
  check: (r) => (active(r, 'mfa_active') ? [] : [violation(['CredentialReport', 'mfa_active'], 'the root user has no MFA device')]),
  bad: { mfa_active: 'false' },
  good: { mfa_active: 'true' },
});

function virtualRootMfa(r: Resource): Violation[] {
  if (!active(r, 'mfa_active')) return [];
  const missing = needs(r, 'VirtualMFADevices');
  if (missing.length > 0) return missing;
  return list(r.attrs['VirtualMFADevices']).length > 0 ? [violation(['VirtualMFADevices'], 'the root user\'s MFA is a virtual (app) device, not a hardware key')] : [];
}

export const rootHardwareMfa = rootRule({
  id: 'VGL-AWS-202',
  title: 'Root user MFA is not a hardware device',
  description:
    "The root user's MFA is a virtual device (an authenticator app on a phone or laptop), which lives on a device that is lost, replaced, backed up and exposed to malware more than a dedicated hardware key (CIS AWS Foundations 1.6). Root without any MFA is VGL-AWS-201.",
  severity: 'high',
  cis: '1.6',
  remediation: 'Register a hardware MFA device (FIDO security key or hardware TOTP token) for the root user and remove the virtual one.',
  cli: '# only the root user can change its MFA, in the console',
  console: 'Sign in as root → Security credentials → Multi-factor authentication → Assign MFA device → Security key / Hardware TOTP token; then remove the virtual device.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable_physical.html',
  check: virtualRootMfa,
  bad: { mfa_active: 'true' },
  badMfa: [{ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/root-account-mfa-device`, User: { Arn: ROOT_ARN } }],
  good: { mfa_active: 'true' },
});

/** Root use within this many days of the report fails (CIS asks root not be used for daily tasks). */
export const ROOT_USE_DAYS = 90;
const ROOT_USE_COLUMNS = ['password_last_used', 'access_key_1_last_used_date', 'access_key_2_last_used_date'];

function recentRootUse(r: Resource): Violation[] {
  const now = reportTime(r);
  for (const c of ROOT_USE_COLUMNS) {
    const t = time(cell(r, c));
    if (t !== undefined && daysSince(now, t) <= ROOT_USE_DAYS) return [violation(['CredentialReport', c], `the root user was used ${Math.max(0, daysSince(now, t))} days before the credential report (${c})`)];
  }
  return [];
}

export const rootRecentUse = rootRule({
  id: 'VGL-AWS-203',
  title: 'Root user used recently',
  description: `The root user signed in or used an access key within ${ROOT_USE_DAYS} days of the credential report. Root should only do the few tasks only it can do; regular use means its credentials are handled often and everything done with them escapes IAM permissions (CIS AWS Foundations 1.7).`,
  severity: 'high',
  cis: '1.7',
  remediation: 'Give administrators IAM roles or IAM Identity Center permission sets, and keep root for the tasks that require it; review CloudTrail for what root did.',
  cli: 'aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=root --max-results 50',
  console: 'CloudTrail → Event history → filter User name = root; move those tasks to IAM roles.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html',
  check: recentRootUse,
  bad: { password_last_used: '2026-05-20T09:00:00+00:00' },
  good: { password_last_used: '2025-11-01T09:00:00+00:00', access_key_1_last_used_date: 'N/A' },
});

export const rootSigningCertificate = rootRule({
  id: 'VGL-AWS-204',
  title: 'Root user has an active signing certificate',
  description: 'The root user has an active X.509 signing certificate: a long-lived root credential for SOAP-era APIs that nothing should still need and that no policy can restrict.',
  severity: 'medium',
  extra: [nist('IA-5')],
  remediation: 'Deactivate and delete the root signing certificates.',
  cli: '# root signing certificates are managed by the root user in the console (Security credentials → X.509 certificates)',
  console: 'Sign in as root → Security credentials → X.509 certificate → Actions → Delete.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_server-certs.html',
  check: (r) => ['cert_1_active', 'cert_2_active'].filter((c) => active(r, c)).map((c) => violation(['CredentialReport', c], 'the root user has an active signing certificate')),
  bad: { cert_1_active: 'true' },
  good: { cert_1_active: 'false', cert_2_active: 'false' },
});

// VGL-AWS-205 ----------------------------------------------------------------------------------

function securityContact(r: Resource): Violation[] {
  const missing = needs(r, 'SecurityContact');
  if (missing.length > 0) return missing;
  const c = r.attrs['SecurityContact'];
  if (c === undefined) return [];
  return c === null || typeof c !== 'object' ? [violation(['SecurityContact'], 'no security alternate contact is registered: AWS security notices go to the root e-mail only')] : [];
}

export const securityContactRule = awsRule({
  id: 'VGL-AWS-205',
  title: 'No security contact registered for the account',
  description:
    'The account has no security alternate contact, so AWS sends abuse reports, compromised-key notices and security advisories only to the root user\'s e-mail address, which is often an unattended alias (CIS AWS Foundations 1.2).',
  severity: 'low',
  service: 'account',
  frameworks: [cis('1.2'), nist('IR-6'), nist('IR-7'), csf('RS.CO-02'), iso('A.5.5'), iso('A.5.24'), soc2('CC2.3'), pci('12.10.1')],
  remediation: 'Register a security alternate contact (a monitored team address and phone number).',
  references: ['https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-update-contact-alternate.html'],
  live: {
    kinds: [AWS_KINDS.account],
    check: securityContact,
    cli: 'aws account put-alternate-contact --alternate-contact-type SECURITY --email-address <security@example.com> --name "<Security team>" --phone-number "<+1 555 0100>" --title "<Security>"',
    console: 'Account menu → Account → Alternate contacts → Security → Edit → enter the team contact → Update.',
    bad: [collected('aws', [accountRes({ SecurityContact: null })], [accountArn()])],
    good: [
      collected('aws', [accountRes({ SecurityContact: { AlternateContactType: 'SECURITY', EmailAddress: 'security@example.com', Name: 'Security', PhoneNumber: '+15550100', Title: 'Security' } })]),
    ],
  },
});

export const rootRules: readonly Rule[] = [rootAccessKeys, rootMfa, rootHardwareMfa, rootRecentUse, rootSigningCertificate, securityContactRule];
