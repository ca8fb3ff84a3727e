/**
 * How the Terraform-only cloud rules (Azure here, GCP reuses it) are declared: the kinds are
 * Terraform resource types (`tf:<type>`, served by HCL and plan JSON alike), the fix is an HCL
 * snippet and the examples are `.tf` text with the lines a bad example must fail at.
 */
import type { FrameworkControl } from '../../frameworks.js';
import type { ResourceKind } from '../../model.js';
import { defineRule, type Rule, type RuleExample, type RulePlatform } from '../../rule.js';
import { withLiveFix, type LiveSpec } from './live.js';

export interface TfRuleSpec extends Omit<Rule, 'platform' | 'kinds' | 'fix' | 'examples' | 'check'> {
  /** Terraform resource types the rule reads (`azurerm_storage_account`). */
  readonly types: readonly string[];
  /** Checks the Terraform resources (HCL and plan JSON). */
  readonly check: NonNullable<Rule['check']>;
  /** An HCL snippet showing the fix. */
  readonly fix: string;
  readonly bad: readonly { readonly text: string; readonly lines: readonly number[] }[];
  readonly good: readonly string[];
  /** The same concern on collected data (`azure:…` / `gcp:…` kinds), with its own examples. */
  readonly live?: LiveSpec;
}

export function tfRule(platform: RulePlatform, spec: TfRuleSpec): Rule {
  const { types, fix, bad, good, live, check, ...rest } = spec;
  const examples: { bad: RuleExample[]; good: RuleExample[] } = {
    bad: bad.map((b) => ({ input: 'terraform', text: b.text, lines: b.lines })),
    good: good.map((text) => ({ input: 'terraform', text })),
  };
  if (live === undefined) return defineRule({ ...rest, platform, kinds: types.map((t): ResourceKind => `tf:${t}`), fix: { terraform: fix }, examples, check });
  return defineRule({
    ...rest,
    platform,
    kinds: [...types.map((t): ResourceKind => `tf:${t}`), ...live.kinds],
    fix: withLiveFix({ terraform: fix }, live),
    examples: { bad: [...examples.bad, ...live.bad], good: [...examples.good, ...live.good] },
    check: (resource, ctx) => (resource.kind.startsWith('tf:') ? check(resource, ctx) : live.check(resource, ctx)),
  });
}

/**
 * A rule over collected data only, for a concern with no Terraform form (an activity log alert
 * per CIS event, a project-level audit config read from the API).
 */
export interface LiveRuleSpec extends Omit<Rule, 'platform' | 'kinds' | 'fix' | 'examples' | 'check'> {
  readonly live: LiveSpec;
  /** A Terraform snippet that fixes it, when there is one. */
  readonly fix?: string;
}

export function liveRule(platform: RulePlatform, spec: LiveRuleSpec): Rule {
  const { live, fix, ...rest } = spec;
  const fixes = withLiveFix(fix === undefined ? undefined : { terraform: fix }, live);
  return defineRule({
    ...rest,
    platform,
    kinds: live.kinds,
    ...(fixes ? { fix: fixes } : {}),
    examples: { bad: live.bad, good: live.good },
    check: live.check,
  });
}

export function azureRule(spec: TfRuleSpec): Rule {
  return tfRule('azure', spec);
}

/** A section of the CIS Microsoft Azure Foundations Benchmark v2.1.0. */
export const cis = (control: string): FrameworkControl => ({ framework: 'cis-azure-2.1', control });

export const AZURERM_DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/';
export const CIS_AZURE = 'https://www.cisecurity.org/benchmark/azure';
