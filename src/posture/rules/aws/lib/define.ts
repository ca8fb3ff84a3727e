/**
 * How the AWS rules are declared (both series, VGL-AWS-001… and VGL-AWS-100…): one rule per
 * concern serving Terraform (HCL and plan JSON share the `tf:` kinds) and CloudFormation, a
 * check that dispatches on the kind family to one small function per input, examples written
 * as real source text, and short helpers for framework controls.
 */
import type { FrameworkControl } from '../../../frameworks.js';
import type { Resource, Violation } from '../../../model.js';
import { defineRule, type Rule, type RuleContext, type RuleExample } from '../../../rule.js';
import { withLiveFix, type LiveSpec } from '../../shared/live.js';

export type InputCheck = (resource: Resource, ctx: RuleContext) => readonly Violation[];

export interface AwsRuleSpec extends Omit<Rule, 'platform' | 'check' | 'examples' | 'fix' | 'kinds'> {
  /** IaC kinds (`tf:…`, `cfn:…`); the live block lists its collected kinds itself. */
  readonly kinds?: Rule['kinds'];
  /** Checks `tf:*` resources (Terraform HCL and plan JSON). */
  readonly terraform?: InputCheck;
  /** Checks `cfn:*` resources. */
  readonly cloudformation?: InputCheck;
  /** Checks collected `aws:*` resources (live or recorded API responses). */
  readonly live?: LiveSpec;
  readonly fix?: { readonly terraform?: string; readonly cloudformation?: string };
  readonly bad?: readonly RuleExample[];
  readonly good?: readonly RuleExample[];
}

export function awsRule(spec: AwsRuleSpec): Rule {
  const { terraform, cloudformation, live, fix, bad = [], good = [], kinds = [], ...meta } = spec;
  const liveFix = withLiveFix(fix, live);
  return defineRule({
    ...meta,
    platform: 'aws',
    kinds: [...kinds, ...(live?.kinds ?? [])],
    ...(liveFix ? { fix: liveFix } : {}),
    examples: { bad: [...bad, ...(live?.bad ?? [])], good: [...good, ...(live?.good ?? [])] },
    check(resource, ctx) {
      if (resource.kind.startsWith('tf:')) return terraform?.(resource, ctx) ?? [];
      if (resource.kind.startsWith('cfn:')) return cloudformation?.(resource, ctx) ?? [];
      if (resource.kind.startsWith('aws:')) return live?.check(resource, ctx) ?? [];
      return [];
    },
  });
}

/** Source text of an example: a leading newline (after the backtick) is dropped. */
function source(text: string): string {
  return text.startsWith('\n') ? text.slice(1) : text;
}

/** A Terraform example; `lines` for bad examples. */
export function tf(text: string, lines?: readonly number[]): RuleExample {
  return { input: 'terraform', text: source(text), ...(lines ? { lines } : {}) };
}

/** A CloudFormation example (YAML unless `file` ends in .json); `lines` for bad examples. */
export function cfn(text: string, lines?: readonly number[], file?: string): RuleExample {
  return { input: 'cloudformation', text: source(text), ...(lines ? { lines } : {}), ...(file ? { file } : {}) };
}

export const cis = (control: string): FrameworkControl => ({ framework: 'cis-aws-3.0', control });
export const nist = (control: string): FrameworkControl => ({ framework: 'nist-800-53-r5', control });
export const csf = (control: string): FrameworkControl => ({ framework: 'nist-csf-2.0', control });
export const iso = (control: string): FrameworkControl => ({ framework: 'iso-27001-2022', control });
export const soc2 = (control: string): FrameworkControl => ({ framework: 'soc2', control });
export const pci = (control: string): FrameworkControl => ({ framework: 'pci-dss-4.0', control });
export const hipaa = (control: string): FrameworkControl => ({ framework: 'hipaa', control });
export const gdpr = (): FrameworkControl => ({ framework: 'gdpr', control: 'Art.32' });

export const TF_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources';
export const CFN_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide';
export const CIS_AWS = 'https://www.cisecurity.org/benchmark/amazon_web_services';
