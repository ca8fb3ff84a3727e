/**
 * Rule builders for the Kubernetes folder: a pod rule is written against the pod spec (any
 * workload kind, CronJob to Knative Service) and never looks up where the kind keeps it.
 */
import type { Resource, Violation } from '../../../model.js';
import { defineRule, type Rule, type RuleContext } from '../../../rule.js';
import { podOf, POD_KINDS, type PodSpecRef } from './pod.js';

export type PodRuleDef = Omit<Rule, 'kinds' | 'check' | 'checkScan' | 'platform'> & {
  readonly checkPod: (pod: PodSpecRef, resource: Resource, ctx: RuleContext) => readonly Violation[];
};

export function podRule(def: PodRuleDef): Rule {
  const { checkPod, ...meta } = def;
  return defineRule({
    ...meta,
    platform: 'kubernetes',
    kinds: POD_KINDS,
    check(resource, ctx) {
      const pod = podOf(resource);
      return pod === undefined ? [] : checkPod(pod, resource, ctx);
    },
  });
}

export type K8sRuleDef = Omit<Rule, 'platform'>;

export function k8sRule(def: K8sRuleDef): Rule {
  return defineRule({ ...def, platform: 'kubernetes' });
}
