/**
 * The account password policy (`aws_iam_account_password_policy`; CloudFormation has no
 * resource for it): VGL-AWS-016 minimum length below 14 (CIS AWS 1.8), VGL-AWS-017 reuse
 * prevention below 24 (CIS AWS 1.9), VGL-AWS-018 no expiry within 90 days (PCI DSS 8.3.9 for
 * password-only accounts). An unset argument takes AWS's default (length 6, no reuse
 * prevention, no expiry) and fails. Live blocks read the collected policy (account/password.ts).
 */
import { isUnresolved, num } from '../../attrs.js';
import type { Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { awsRule, cis, csf, hipaa, iso, nist, pci, soc2, tf, TF_DOCS } from './lib/define.js';
import { atLeast, passwordLive } from './account/password.js';

const REFERENCES = ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html', `${TF_DOCS}/iam_account_password_policy`];

/** A numeric argument below `min` (or above `max`) or unset; unresolved passes. */
function bound(r: Resource, name: string, test: (n: number) => boolean, unset: string, wrong: (n: number) => string): Violation[] {
  const v = r.attrs[name];
  if (isUnresolved(v)) return [];
  const n = num(v);
  if (n === undefined) return [violation([name], unset)];
  return test(n) ? [] : [violation([name], wrong(n))];
}

const KINDS = ['tf:aws_iam_account_password_policy'] as const;

export const iamPasswordLength = awsRule({
  id: 'VGL-AWS-016',
  title: 'IAM password policy allows passwords shorter than 14 characters',
  description:
    'The account password policy sets minimum_password_length below 14, or leaves it unset (AWS then accepts 6 characters). Short passwords fall to guessing and offline cracking (CIS AWS Foundations 1.8).',
  severity: 'medium',
  service: 'iam',
  kinds: [...KINDS],
  frameworks: [cis('1.8'), nist('IA-5(1)'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.6'), hipaa('164.308(a)(5)(ii)(D)')],
  remediation: 'Set minimum_password_length to 14 or more.',
  fix: { terraform: 'minimum_password_length = 14' },
  references: REFERENCES,
  terraform: (r) =>
    bound(r, 'minimum_password_length', (n) => n >= 14, 'minimum_password_length is not set (AWS default: 6)', (n) => `minimum_password_length is ${n}, below 14`),
  live: passwordLive({
    field: 'MinimumPasswordLength',
    ok: atLeast(14),
    problem: (v) => (v === undefined ? 'passwords may be shorter than 14 characters' : `MinimumPasswordLength is ${JSON.stringify(v)}, below 14`),
    bad: 8,
  }),
  bad: [
    tf(`
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length      = 8
  password_reuse_prevention    = 24
  max_password_age             = 90
}`, [2]),
  ],
  good: [
    tf(`
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length      = 14
  password_reuse_prevention    = 24
  max_password_age             = 90
}`),
  ],
});

export const iamPasswordReuse = awsRule({
  id: 'VGL-AWS-017',
  title: 'IAM password policy allows reusing recent passwords',
  description:
    'The account password policy sets password_reuse_prevention below 24, or leaves it unset (no reuse prevention). Users can then cycle back to a password already exposed (CIS AWS Foundations 1.9).',
  severity: 'low',
  service: 'iam',
  kinds: [...KINDS],
  frameworks: [cis('1.9'), nist('IA-5(1)'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.7')],
  remediation: 'Set password_reuse_prevention to 24.',
  fix: { terraform: 'password_reuse_prevention = 24' },
  references: REFERENCES,
  terraform: (r) =>
    bound(r, 'password_reuse_prevention', (n) => n >= 24, 'password_reuse_prevention is not set: passwords can be reused', (n) => `password_reuse_prevention is ${n}, below 24`),
  live: passwordLive({
    field: 'PasswordReusePrevention',
    ok: atLeast(24),
    problem: (v) => (v === undefined ? 'recent passwords can be reused' : `PasswordReusePrevention is ${JSON.stringify(v)}, below 24`),
    bad: 5,
  }),
  bad: [
    tf(`
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length = 14
  max_password_age        = 90
}`, [1]),
  ],
  good: [
    tf(`
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
  max_password_age          = 90
}`),
  ],
});

export const iamPasswordExpiry = awsRule({
  id: 'VGL-AWS-018',
  title: 'IAM passwords do not expire within 90 days',
  description:
    'The account password policy sets max_password_age above 90 days, or leaves it unset (passwords never expire). PCI DSS 8.3.9 requires changing passwords at least every 90 days where a password is the only authentication factor; with MFA enforced for every console user this rule can be suppressed with that reason.',
  severity: 'low',
  service: 'iam',
  kinds: [...KINDS],
  frameworks: [pci('8.3.9'), nist('IA-5(1)'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1')],
  remediation: 'Set max_password_age to 90 or fewer days (or enforce MFA for every console user and suppress this rule).',
  fix: { terraform: 'max_password_age = 90' },
  references: [...REFERENCES, 'https://docs-prv.pcisecuritystandards.org/PCI%20DSS/Standard/PCI-DSS-v4_0.pdf'],
  terraform: (r) =>
    bound(r, 'max_password_age', (n) => n > 0 && n <= 90, 'max_password_age is not set: passwords never expire', (n) => `max_password_age is ${n} days, over 90`),
  live: passwordLive({
    field: 'MaxPasswordAge',
    ok: (v) => typeof v === 'number' && v > 0 && v <= 90,
    problem: (v) => (v === undefined ? 'passwords never expire' : `MaxPasswordAge is ${JSON.stringify(v)} days, over 90`),
    bad: 365,
  }),
  bad: [
    tf(`
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
  max_password_age          = 180
}`, [4]),
  ],
  good: [
    tf(`
resource "aws_iam_account_password_policy" "strict" {
  minimum_password_length   = 14
  password_reuse_prevention = 24
  max_password_age          = 60
}`),
  ],
});
