/**
 * How the Terraform-only cloud rules (Azure here, GCP reuses it) are declared: the kinds are
 * Terraform resource types (`tf:<type>`, served by HCL and plan JSON alike), the fix is an HCL
 * snippet and the examples are `.tf` text with the lines a bad example must fail at.
 */
import type { FrameworkControl } from '../../frameworks.js';
import type { ResourceKind } from '../../model.js';
import { defineRule, type Rule, type RulePlatform } from '../../rule.js';

export interface TfRuleSpec extends Omit<Rule, 'platform' | 'kinds' | 'fix' | 'examples'> {
  /** Terraform resource types the rule reads (`azurerm_storage_account`). */
  readonly types: readonly string[];
  /** An HCL snippet showing the fix. */
  readonly fix: string;
  readonly bad: readonly { readonly text: string; readonly lines: readonly number[] }[];
  readonly good: readonly string[];
}

export function tfRule(platform: RulePlatform, spec: TfRuleSpec): Rule {
  const { types, fix, bad, good, ...rest } = spec;
  return defineRule({
    ...rest,
    platform,
    kinds: types.map((t): ResourceKind => `tf:${t}`),
    fix: { terraform: fix },
    examples: {
      bad: bad.map((b) => ({ input: 'terraform', text: b.text, lines: b.lines })),
      good: good.map((text) => ({ input: 'terraform', text })),
    },
  });
}

export function azureRule(spec: TfRuleSpec): Rule {
  return tfRule('azure', spec);
}

/** A section of the CIS Microsoft Azure Foundations Benchmark v2.1.0. */
export const cis = (control: string): FrameworkControl => ({ framework: 'cis-azure-2.1', control });

export const AZURERM_DOCS = 'https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/';
export const CIS_AZURE = 'https://www.cisecurity.org/benchmark/azure';
