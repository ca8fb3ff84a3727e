/**
 * How the GCP rules are declared: Terraform `google_*` resource types, HCL fix snippets and
 * `.tf` examples (the builder is shared with the Azure rules), CIS GCP 3.0 sections.
 */
import type { FrameworkControl } from '../../../frameworks.js';
import type { Rule } from '../../../rule.js';
import { tfRule, type TfRuleSpec } from '../../shared/define.js';

export function gcpRule(spec: TfRuleSpec): Rule {
  return tfRule('gcp', spec);
}

/** A section of the CIS Google Cloud Platform Foundation Benchmark v3.0.0. */
export const cis = (control: string): FrameworkControl => ({ framework: 'cis-gcp-3.0', control });

export const GOOGLE_DOCS = 'https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/';
