/**
 * The account password policy as collected (GetAccountPasswordPolicy, `null` when the account has
 * none: AWS then applies its default, 8 characters and nothing else). One builder gives every
 * password rule its live block: VGL-AWS-016/017/018 (length, reuse, expiry; their IaC halves are
 * in ../iam-password-policy.ts) and the character-class rules VGL-AWS-206…209 and VGL-AWS-210
 * (users may change their own password), which exist for collected data only.
 */
import { bool, num } from '../../../attrs.js';
import type { Resource, Violation } from '../../../model.js';
import { violation, type Rule } from '../../../rule.js';
import { collected, type LiveSpec } from '../../shared/live.js';
import { awsRule, csf, iso, nist, pci, soc2 } from '../lib/define.js';
import { ACCOUNT, AWS_KINDS, global } from './lib.js';

const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:account-password-policy`;

/** A policy meeting every rule: the base the examples change one field of. */
export const STRONG_POLICY: Readonly<Record<string, unknown>> = {
  MinimumPasswordLength: 14,
  RequireSymbols: true,
  RequireNumbers: true,
  RequireUppercaseCharacters: true,
  RequireLowercaseCharacters: true,
  AllowUsersToChangePassword: true,
  ExpirePasswords: true,
  MaxPasswordAge: 90,
  PasswordReusePrevention: 24,
  HardExpiry: false,
};

/** `update-account-password-policy` replaces the whole policy: the command sets every setting. */
export const PASSWORD_CLI =
  'aws iam update-account-password-policy --minimum-password-length 14 --require-symbols --require-numbers --require-uppercase-characters --require-lowercase-characters --allow-users-to-change-password --max-password-age 90 --password-reuse-prevention 24';
export const PASSWORD_CONSOLE = 'IAM → Account settings → Password policy → Edit → Custom → set the requirement → Save changes.';

export interface PasswordCheck {
  /** PasswordPolicy field. */
  readonly field: string;
  /** Is the value acceptable (undefined when AWS left the field out)? */
  readonly ok: (v: unknown) => boolean;
  readonly problem: (v: unknown) => string;
  /** The field's value in the bad example. */
  readonly bad: unknown;
}

function policyRes(policy: Record<string, unknown> | null): ReturnType<typeof global> {
  return global('AWS::IAM::AccountPasswordPolicy', POLICY_ARN, { PasswordPolicy: policy });
}

/** The live block of a password policy rule. */
export function passwordLive(c: PasswordCheck): LiveSpec {
  const check = (r: Resource): Violation[] => {
    const policy = r.attrs['PasswordPolicy'];
    if (policy === undefined) return [];
    if (policy === null || typeof policy !== 'object' || Array.isArray(policy)) {
      return [violation(['PasswordPolicy'], `the account has no password policy (AWS default: 8 characters, no other requirement), so ${c.problem(undefined)}`)];
    }
    const v = (policy as Record<string, unknown>)[c.field];
    return c.ok(v) ? [] : [violation(['PasswordPolicy', c.field], c.problem(v))];
  };
  return {
    kinds: [AWS_KINDS.passwordPolicy],
    check,
    cli: PASSWORD_CLI,
    console: PASSWORD_CONSOLE,
    bad: [collected('aws', [policyRes({ ...STRONG_POLICY, [c.field]: c.bad })], [POLICY_ARN]), collected('aws', [policyRes(null)], [POLICY_ARN])],
    good: [collected('aws', [policyRes({ ...STRONG_POLICY })])],
  };
}

export const atLeast = (min: number) => (v: unknown): boolean => (num(v) ?? 0) >= min;
export const isTrue = (v: unknown): boolean => bool(v) === true;

const REFERENCE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html';
const FRAMEWORKS = [nist('IA-5(1)'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.3.6')];

interface ClassRule {
  readonly id: string;
  readonly field: string;
  readonly what: string;
}

/** VGL-AWS-206…209: one rule per character class the policy should require (Prowler's four checks). */
function classRule(t: ClassRule): Rule {
  return awsRule({
    id: t.id,
    title: `IAM password policy does not require ${t.what}`,
    description: `The account password policy does not require at least one ${t.what.replace(/s$/, '')} (${t.field}), so users can choose passwords from a smaller alphabet that guessing and cracking cover faster. CIS AWS Foundations 3.0 relies on length alone (1.8, VGL-AWS-016); PCI DSS 8.3.6 and Prowler still ask for character classes.`,
    severity: 'medium',
    service: 'iam',
    frameworks: [...FRAMEWORKS],
    remediation: `Require ${t.what} in the account password policy.`,
    references: [REFERENCE],
    live: passwordLive({
      field: t.field,
      ok: isTrue,
      problem: () => `passwords need not contain ${t.what}`,
      bad: false,
    }),
  });
}

export const passwordClassRules: readonly Rule[] = [
  classRule({ id: 'VGL-AWS-206', field: 'RequireUppercaseCharacters', what: 'uppercase letters' }),
  classRule({ id: 'VGL-AWS-207', field: 'RequireLowercaseCharacters', what: 'lowercase letters' }),
  classRule({ id: 'VGL-AWS-208', field: 'RequireNumbers', what: 'numbers' }),
  classRule({ id: 'VGL-AWS-209', field: 'RequireSymbols', what: 'symbols' }),
];

export const passwordSelfChange = awsRule({
  id: 'VGL-AWS-210',
  title: 'IAM users cannot change their own password',
  description:
    'The password policy does not allow IAM users to change their own password, so a user who suspects theirs is known must wait for an administrator, and expiry cannot be handled by the user.',
  severity: 'low',
  service: 'iam',
  frameworks: [nist('IA-5(1)'), csf('PR.AA-01'), iso('A.5.17'), soc2('CC6.1')],
  remediation: 'Allow users to change their own password in the account password policy.',
  references: [REFERENCE],
  live: passwordLive({ field: 'AllowUsersToChangePassword', ok: isTrue, problem: () => 'users cannot change their own password', bad: false }),
});
