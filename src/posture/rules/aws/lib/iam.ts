/**
 * Where identity-based IAM policy documents live, per input: the resources that carry one (or
 * several, like a role's inline policies) and the attribute path of each document.
 */
import { blocks, isObject } from '../../../attrs.js';
import type { AttrPath, Resource, ResourceKind } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';
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
