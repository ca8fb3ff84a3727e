/**
 * RBAC policy rules of a Role or ClusterRole and the authorizer's matching semantics: `*`
 * matches any API group, resource (subresources included) or verb, and `*\/sub` matches that
 * subresource of any resource. resourceNames narrow a rule but still grant, so they are ignored.
 */
import { isObject } from '../../../attrs.js';
import type { AttrPath, Resource } from '../../../model.js';
import { strings } from './pod.js';

export const RBAC_KINDS = ['k8s:Role', 'k8s:ClusterRole'] as const;
export const BINDING_KINDS = ['k8s:RoleBinding', 'k8s:ClusterRoleBinding'] as const;

export interface PolicyRule {
  readonly index: number;
  readonly path: AttrPath;
  readonly apiGroups: readonly string[];
  readonly resources: readonly string[];
  readonly verbs: readonly string[];
}

export function policyRules(resource: Resource): PolicyRule[] {
  const rules = resource.attrs['rules'];
  if (!Array.isArray(rules)) return [];
  const out: PolicyRule[] = [];
  rules.forEach((r, index) => {
    if (!isObject(r)) return;
    out.push({ index, path: ['rules', index], apiGroups: strings(r['apiGroups']), resources: strings(r['resources']), verbs: strings(r['verbs']) });
  });
  return out;
}

function resourceMatches(granted: readonly string[], resource: string): boolean {
  if (granted.includes('*') || granted.includes(resource)) return true;
  const slash = resource.indexOf('/');
  return slash >= 0 && granted.includes(`*${resource.slice(slash)}`);
}

/** Whether the rule grants any of `verbs` on `resource` in `group` (`""` is the core group). */
export function grants(rule: PolicyRule, group: string, resource: string, verbs: readonly string[]): boolean {
  return (
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(group)) &&
    resourceMatches(rule.resources, resource) &&
    (rule.verbs.includes('*') || verbs.some((v) => rule.verbs.includes(v)))
  );
}

/** Whether the rule grants any of `verbs` on any of `resources` in any of `groups`. */
export function grantsAny(rule: PolicyRule, groups: readonly string[], resources: readonly string[], verbs: readonly string[]): boolean {
  return groups.some((g) => resources.some((r) => grants(rule, g, r, verbs)));
}

export const WRITE_VERBS = ['create', 'update', 'patch', 'delete', 'deletecollection'] as const;
