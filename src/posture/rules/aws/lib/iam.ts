/**
 * Where identity-based IAM policy documents live, per input: the resources that carry one (or
 * several, like a role's inline policies) and the attribute path of each document. Collected
 * data has two: an attached customer managed policy's default version, and a user's inline
 * policies (roles' and groups' inline policies are listed by name only).
 */
import { blocks, isObject, list, num } from '../../../attrs.js';
import type { AttrPath, Resource, ResourceKind, Violation } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';
import { AWS_KINDS } from '../../../collectors/aws/kinds.js';
import { needs } from '../../shared/live.js';
import { isAllow, policyStatements, type Statement } from './policy.js';

/** Resources with identity-based policy documents (not trust policies, not resource policies). */
export const IDENTITY_POLICY_KINDS: readonly ResourceKind[] = [
  'tf:aws_iam_policy',
  'tf:aws_iam_role_policy',
  'tf:aws_iam_user_policy',
  'tf:aws_iam_group_policy',
  'tf:aws_iam_role',
  'cfn:AWS::IAM::Policy',
  'cfn:AWS::IAM::ManagedPolicy',
  'cfn:AWS::IAM::RolePolicy',
  'cfn:AWS::IAM::UserPolicy',
  'cfn:AWS::IAM::GroupPolicy',
  'cfn:AWS::IAM::Role',
  'cfn:AWS::IAM::User',
  'cfn:AWS::IAM::Group',
];

/** Paths of the policy documents a resource carries. */
export function documentPaths(r: Resource): AttrPath[] {
  switch (r.kind) {
    case 'tf:aws_iam_role':
      return blocks(r.attrs['inline_policy']).map((_, i) => ['inline_policy', i, 'policy']);
    case 'cfn:AWS::IAM::Role':
    case 'cfn:AWS::IAM::User':
    case 'cfn:AWS::IAM::Group': {
      const policies = r.attrs['Policies'];
      return Array.isArray(policies) ? policies.flatMap((p, i) => (isObject(p) ? [['Policies', i, 'PolicyDocument']] : [])) : [];
    }
    case AWS_KINDS.managedPolicy:
      return isAttached(r) ? [['PolicyVersion', 'Document']] : [];
    case AWS_KINDS.user:
      return list(r.attrs['InlinePolicies']).flatMap((p, i) => (isObject(p) ? [['InlinePolicies', i, 'PolicyDocument']] : []));
    default:
      return r.kind.startsWith('cfn:') ? [['PolicyDocument']] : [['policy']];
  }
}

/** Every readable statement of the resource's identity-based policies. */
export function identityStatements(r: Resource, ctx: RuleContext): Statement[] {
  return documentPaths(r).flatMap((p) => policyStatements(r, p, ctx) ?? []);
}

/** `"Action": "*"` on `"Resource": "*"`: administrator access (CIS AWS 1.16). */
export function isFullAdmin(s: Statement): boolean {
  return isAllow(s) && s.notActions === undefined && s.actions.some((a) => a === '*' || a === '*:*') && s.resources.includes('*');
}

/** AWS managed policies that give full (or IAM-escalatable) administrator access. */
export const ADMIN_POLICY_ARNS = new Set([
  'arn:aws:iam::aws:policy/AdministratorAccess',
  'arn:aws-us-gov:iam::aws:policy/AdministratorAccess',
  'arn:aws-cn:iam::aws:policy/AdministratorAccess',
]);

/** Collected kinds with identity-based documents (customer managed policies, users' inline policies). */
export const LIVE_POLICY_KINDS: readonly ResourceKind[] = [AWS_KINDS.managedPolicy, AWS_KINDS.user];

/** A collected customer managed policy attached to someone (AttachmentCount absent counts as attached). */
export function isAttached(r: Resource): boolean {
  const n = num(r.attrs['AttachmentCount']);
  return n === undefined || n > 0;
}

/** A collected-data check over identity documents: "not assessed" when the documents could not be read. */
export function liveDocuments(check: (r: Resource, ctx: RuleContext) => Violation[]) {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    const missing = needs(r, r.kind === AWS_KINDS.user ? 'InlinePolicies' : 'PolicyVersion');
    return missing.length > 0 ? missing : check(r, ctx);
  };
}

/** Does this collected principal have AdministratorAccess, or an account policy granting "*" on "*", attached? */
export function adminAttachments(r: Resource, ctx: RuleContext): { index: number; arn: string }[] {
  const out: { index: number; arn: string }[] = [];
  for (const [index, p] of list(r.attrs['AttachedPolicies']).entries()) {
    const arn = isObject(p) && typeof p['PolicyArn'] === 'string' ? p['PolicyArn'] : undefined;
    if (arn === undefined) continue;
    if (ADMIN_POLICY_ARNS.has(arn)) out.push({ index, arn });
    else {
      const own = ctx.byId(arn);
      if (own?.kind === AWS_KINDS.managedPolicy && (policyStatements(own, ['PolicyVersion', 'Document'], ctx) ?? []).some(isFullAdmin)) out.push({ index, arn });
    }
  }
  return out;
}
