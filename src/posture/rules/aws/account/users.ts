/**
 * IAM users' credentials from the credential report (ages measured from the report's
 * GeneratedTime, so a recording gives the same verdicts whenever it is replayed):
 * VGL-AWS-211 console password without MFA (CIS AWS 1.10), VGL-AWS-212 console password unused
 * 45 days and VGL-AWS-213 access key unused 45 days (1.12), VGL-AWS-214 access key not rotated in
 * 90 days (1.14), VGL-AWS-215 two active access keys (1.13), VGL-AWS-216 access key created with a
 * console user and never used (1.11).
 */
import { isObject, list, str } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { collected, needs, type ExampleResource } from '../../shared/live.js';
import { awsRule, cis, csf, hipaa, iso, nist, pci, soc2 } from '../lib/define.js';
import { ACCOUNT, AWS_KINDS, cell, daysSince, REPORT_TIME, reportTime, time, type RuleText } from './lib.js';

const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;

const ROW: Record<string, string> = {
  user_creation_time: '2025-01-01T00:00:00+00:00',
  password_enabled: 'true',
  password_last_used: '2026-05-25T08:00:00+00:00',
  password_last_changed: '2026-04-01T08:00:00+00:00',
  mfa_active: 'true',
  access_key_1_active: 'false',
  access_key_1_last_rotated: 'N/A',
  access_key_1_last_used_date: 'N/A',
  access_key_2_active: 'false',
  access_key_2_last_rotated: 'N/A',
  access_key_2_last_used_date: 'N/A',
};

/** A collected user (credential report row; defaults: console user with MFA, used last week, no keys). */
export function user(name: string, row: Record<string, string> = {}, attrs: Record<string, unknown> = {}): ExampleResource {
  const arn = userArn(name);
  return {
    type: 'AWS::IAM::User',
    id: arn,
    account: ACCOUNT,
    attrs: { UserName: name, Arn: arn, Path: '/', CredentialReport: { user: name, arn, ...ROW, ...row }, CredentialReportTime: REPORT_TIME, ...attrs },
  };
}

/** An active key used (or, with `used` N/A, rotated) on the given dates. */
const key = (n: 1 | 2, rotated: string, used = 'N/A'): Record<string, string> => ({
  [`access_key_${n}_active`]: 'true',
  [`access_key_${n}_last_rotated`]: rotated,
  [`access_key_${n}_last_used_date`]: used,
});

const FRAMEWORKS = [nist('IA-2'), nist('IA-5'), nist('AC-2(3)'), csf('PR.AA-01'), csf('PR.AA-03'), iso('A.5.17'), iso('A.5.18'), soc2('CC6.1'), soc2('CC6.2'), hipaa('164.308(a)(5)(ii)(D)')];

interface UserRule extends RuleText {
  readonly cis: string;
  readonly pci: string;
  /** Checks a user the credential report describes. */
  readonly check: (r: Resource) => Violation[];
  readonly bad: Record<string, string>;
  /** Good users (the edge cases: disabled, never set, just created). */
  readonly good: readonly Record<string, string>[];
}

function userRule(t: UserRule): Rule {
  return awsRule({
    id: t.id,
    title: t.title,
    description: t.description,
    severity: t.severity,
    service: 'iam',
    frameworks: [cis(t.cis), pci(t.pci), ...FRAMEWORKS],
    remediation: t.remediation,
    references: [t.reference, 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_getting-report.html'],
    live: {
      kinds: [AWS_KINDS.user],
      check: (r) => {
        const missing = needs(r, 'CredentialReport');
        if (missing.length > 0) return missing;
        return isObject(r.attrs['CredentialReport']) ? t.check(r) : [];
      },
      cli: t.cli,
      console: t.console,
      bad: [collected('aws', [user('alice', t.bad), user('bob')], [userArn('alice')])],
      good: [collected('aws', [...t.good.map((row, i) => user(`user${i}`, row)), { ...user('new'), attrs: { UserName: 'new', Arn: userArn('new'), CredentialReport: null } }])],
    },
  });
}

const yes = (r: Resource, c: string): boolean => cell(r, c) === 'true';
const KEYS = [1, 2] as const;

export const consoleMfa = userRule({
  id: 'VGL-AWS-211',
  title: 'IAM console user without MFA',
  description: 'An IAM user with a console password has no MFA device, so a phished, guessed or reused password is enough to sign in with everything the user may do (CIS AWS Foundations 1.10).',
  severity: 'high',
  cis: '1.10',
  pci: '8.4.2',
  remediation: 'Assign an MFA device to the user (and enforce MFA with a policy denying actions without aws:MultiFactorAuthPresent), or remove the console password.',
  cli: 'aws iam create-virtual-mfa-device --virtual-mfa-device-name <user> --outfile <qr.png> --bootstrap-method QRCodePNG && aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <code1> --authentication-code2 <code2>',
  console: 'IAM → Users → the user → Security credentials → Multi-factor authentication → Assign MFA device.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_mfa_enable.html',
  check: (r) => (yes(r, 'password_enabled') && !yes(r, 'mfa_active') ? [violation(['CredentialReport', 'mfa_active'], 'the user signs in to the console with a password and no MFA')] : []),
  bad: { mfa_active: 'false' },
  good: [{ mfa_active: 'true' }, { password_enabled: 'false', mfa_active: 'false', password_last_used: 'N/A' }],
});

/** Credentials unused for this many days (CIS AWS 1.12). */
export const UNUSED_DAYS = 45;

/** Last use, or (never used) when the credential was set. */
function lastActivity(r: Resource, used: string, set: string): number | undefined {
  return time(cell(r, used)) ?? time(cell(r, set)) ?? time(cell(r, 'user_creation_time'));
}

function unusedPassword(r: Resource): Violation[] {
  if (!yes(r, 'password_enabled')) return [];
  const last = lastActivity(r, 'password_last_used', 'password_last_changed');
  if (last === undefined) return [];
  const days = daysSince(reportTime(r), last);
  if (days < UNUSED_DAYS) return [];
  const never = time(cell(r, 'password_last_used')) === undefined;
  return [violation(['CredentialReport', 'password_last_used'], never ? `the console password was never used in the ${days} days since it was set` : `the console password was last used ${days} days before the report`)];
}

export const unusedConsolePassword = userRule({
  id: 'VGL-AWS-212',
  title: 'IAM console password unused for 45 days',
  description: `An IAM user's console password has not been used for ${UNUSED_DAYS} days or more (or was never used since it was set). Unused credentials belong to people who left or no longer need access; they are attack surface nobody would miss (CIS AWS Foundations 1.12).`,
  severity: 'medium',
  cis: '1.12',
  pci: '8.2.6',
  remediation: 'Remove the login profile (console password) of users who do not use it; remove the user when it is not needed at all.',
  cli: 'aws iam delete-login-profile --user-name <user>',
  console: 'IAM → Users → the user → Security credentials → Console sign-in → Manage → Disable.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_finding-unused.html',
  check: unusedPassword,
  bad: { password_last_used: '2026-02-01T08:00:00+00:00' },
  good: [{ password_last_used: 'no_information', password_last_changed: '2026-05-20T08:00:00+00:00' }, { password_enabled: 'false', password_last_used: '2020-01-01T00:00:00+00:00' }],
});

function unusedKeys(r: Resource): Violation[] {
  const now = reportTime(r);
  return KEYS.flatMap((n) => {
    if (!yes(r, `access_key_${n}_active`)) return [];
    const last = lastActivity(r, `access_key_${n}_last_used_date`, `access_key_${n}_last_rotated`);
    if (last === undefined || daysSince(now, last) < UNUSED_DAYS) return [];
    return [violation(['CredentialReport', `access_key_${n}_last_used_date`], `active access key ${n} has not been used for ${daysSince(now, last)} days`)];
  });
}

export const unusedAccessKey = userRule({
  id: 'VGL-AWS-213',
  title: 'IAM access key unused for 45 days',
  description: `An active access key has not been used for ${UNUSED_DAYS} days or more (or never, since it was created that long ago). A forgotten key still works for whoever finds it in an old CI setting, laptop or repository (CIS AWS Foundations 1.12).`,
  severity: 'medium',
  cis: '1.12',
  pci: '8.2.6',
  remediation: 'Deactivate, then delete, access keys nobody uses.',
  cli: 'aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive && aws iam delete-access-key --user-name <user> --access-key-id <key-id>',
  console: 'IAM → Users → the user → Security credentials → Access keys → Actions → Deactivate, then Delete.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#rotating_access_keys_console',
  check: unusedKeys,
  bad: key(2, '2025-01-01T00:00:00+00:00', '2026-03-01T00:00:00+00:00'),
  good: [key(1, '2026-05-01T00:00:00+00:00'), { ...key(1, '2026-03-10T00:00:00+00:00', '2026-05-31T00:00:00+00:00'), access_key_1_active: 'false', access_key_1_last_used_date: '2020-01-01T00:00:00+00:00' }],
});

/** Keys older than this many days fail (CIS AWS 1.14). */
export const ROTATION_DAYS = 90;

function staleKeys(r: Resource): Violation[] {
  const now = reportTime(r);
  return KEYS.flatMap((n) => {
    const rotated = time(cell(r, `access_key_${n}_last_rotated`));
    if (!yes(r, `access_key_${n}_active`) || rotated === undefined || daysSince(now, rotated) <= ROTATION_DAYS) return [];
    return [violation(['CredentialReport', `access_key_${n}_last_rotated`], `active access key ${n} is ${daysSince(now, rotated)} days old (over ${ROTATION_DAYS})`)];
  });
}

export const accessKeyRotation = userRule({
  id: 'VGL-AWS-214',
  title: 'IAM access key not rotated in 90 days',
  description: `An active access key was created more than ${ROTATION_DAYS} days before the credential report. The longer a key lives, the more copies of it exist and the longer a leaked copy works (CIS AWS Foundations 1.14).`,
  severity: 'medium',
  cis: '1.14',
  pci: '8.3.9',
  remediation: 'Create a new key, move its users to it, deactivate and delete the old one; better, replace user keys with roles (short-lived credentials).',
  cli: 'aws iam create-access-key --user-name <user>  # then, once switched: aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive',
  console: 'IAM → Users → the user → Security credentials → Create access key; then deactivate and delete the old key.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#Using_RotateAccessKey',
  check: staleKeys,
  bad: key(1, '2025-12-01T00:00:00+00:00', '2026-05-31T00:00:00+00:00'),
  good: [key(1, '2026-04-01T00:00:00+00:00', '2026-05-31T00:00:00+00:00'), { ...key(1, '2020-01-01T00:00:00+00:00'), access_key_1_active: 'false' }],
});

function twoKeys(r: Resource): Violation[] {
  const fromReport = KEYS.filter((n) => yes(r, `access_key_${n}_active`)).length;
  const fromList = list(r.attrs['AccessKeys']).filter((k) => isObject(k) && str(k['Status']) === 'Active').length;
  return Math.max(fromReport, fromList) > 1 ? [violation(['CredentialReport', 'access_key_2_active'], 'the user has two active access keys')] : [];
}

export const twoActiveKeys = userRule({
  id: 'VGL-AWS-215',
  title: 'IAM user with two active access keys',
  description: 'The user has two active access keys. Two keys are meant for the minutes of a rotation; kept for good, they double what can leak and one of them is usually forgotten (CIS AWS Foundations 1.13).',
  severity: 'medium',
  cis: '1.13',
  pci: '8.3.2',
  remediation: 'Keep one active key per user: deactivate and delete the one no longer used.',
  cli: 'aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive',
  console: 'IAM → Users → the user → Security credentials → Access keys → the unused key → Actions → Deactivate.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  check: twoKeys,
  bad: { ...key(1, '2026-05-01T00:00:00+00:00', '2026-05-30T00:00:00+00:00'), ...key(2, '2026-05-20T00:00:00+00:00', '2026-05-30T00:00:00+00:00') },
  good: [key(1, '2026-05-01T00:00:00+00:00', '2026-05-30T00:00:00+00:00'), { ...key(1, '2026-05-01T00:00:00+00:00'), ...key(2, '2026-05-20T00:00:00+00:00'), access_key_1_active: 'false' }],
});

function setupKeys(r: Resource): Violation[] {
  if (!yes(r, 'password_enabled')) return [];
  return KEYS.filter((n) => yes(r, `access_key_${n}_active`) && cell(r, `access_key_${n}_last_used_date`) === 'N/A').map((n) =>
    violation(['CredentialReport', `access_key_${n}_last_used_date`], `active access key ${n} of a console user has never been used: keys handed out with the account and never needed`),
  );
}

export const setupAccessKey = userRule({
  id: 'VGL-AWS-216',
  title: 'IAM console user has an access key that was never used',
  description: 'A console user has an active access key that has never been used: the mark of a key created with the user "just in case". It is a long-lived credential nobody needs (CIS AWS Foundations 1.11).',
  severity: 'medium',
  cis: '1.11',
  pci: '8.2.2',
  remediation: 'Delete the unused key; create keys only when a user needs programmatic access, and prefer roles.',
  cli: 'aws iam delete-access-key --user-name <user> --access-key-id <key-id>',
  console: 'IAM → Users → the user → Security credentials → Access keys → Actions → Delete.',
  reference: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html',
  check: setupKeys,
  bad: key(1, '2026-05-28T00:00:00+00:00'),
  good: [key(1, '2026-05-28T00:00:00+00:00', '2026-05-30T00:00:00+00:00'), { ...key(1, '2026-05-28T00:00:00+00:00'), password_enabled: 'false' }],
});

export const userCredentialRules: readonly Rule[] = [consoleMfa, unusedConsolePassword, unusedAccessKey, accessKeyRotation, twoActiveKeys, setupAccessKey];
