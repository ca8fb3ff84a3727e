/**
 * Test support for the Terraform cloud rules: runs a rule over Terraform text (HCL or plan JSON)
 * through the real input and engine and returns the failing lines. The registry test does the
 * same for every rule once the Terraform inputs are registered; this lets the Azure and GCP tests
 * exercise edge cases (unresolved values, plan shapes) that examples do not show.
 */
import { evaluate } from '../../engine.js';
import { terraformPlanInput } from '../../inputs/terraform-plan/index.js';
import { terraformInput } from '../../inputs/terraform/index.js';
import type { Rule } from '../../rule.js';

export interface RunResult {
  readonly lines: number[];
  readonly messages: string[];
  readonly problems: string[];
}

export async function runRule(rule: Rule, text: string, path = 'main.tf'): Promise<RunResult> {
  const input = path.endsWith('.json') && !path.endsWith('.tf.json') ? terraformPlanInput : terraformInput;
  const parsed = await input.parse([{ path, text }]);
  const findings = evaluate(parsed.resources, [rule]).filter((f) => f.status === 'fail');
  return {
    lines: [...new Set(findings.map((f) => f.location.line))].sort((a, b) => a - b),
    messages: findings.map((f) => f.message),
    problems: parsed.problems.map((p) => `${p.path}:${p.line ?? ''} ${p.reason}`),
  };
}

/** Every bad example's failing lines and every good example's findings, as mismatch messages. */
export async function exampleMismatches(rule: Rule): Promise<string[]> {
  const out: string[] = [];
  for (const [i, ex] of rule.examples.bad.entries()) {
    const r = await runRule(rule, ex.text, ex.file);
    const want = [...(ex.lines ?? [])].sort((a, b) => a - b);
    if (r.problems.length > 0 || (ex.lines !== undefined && JSON.stringify(r.lines) !== JSON.stringify(want)) || r.lines.length === 0) {
      out.push(`${rule.id} bad example ${i}: want [${want.join(',')}], got [${r.lines.join(',')}] ${r.problems.join('; ')}`);
    }
  }
  for (const [i, ex] of rule.examples.good.entries()) {
    const r = await runRule(rule, ex.text, ex.file);
    if (r.problems.length > 0 || r.lines.length > 0) out.push(`${rule.id} good example ${i}: got [${r.lines.join(',')}] ${r.messages.join('; ')} ${r.problems.join('; ')}`);
  }
  return out;
}

/** A minimal `terraform show -json` plan holding one root-module resource. */
export function planJson(type: string, name: string, values: Record<string, unknown>): string {
  const address = `${type}.${name}`;
  return JSON.stringify({
    format_version: '1.2',
    terraform_version: '1.11.4',
    planned_values: { root_module: { resources: [{ address, mode: 'managed', type, name, provider_name: 'registry.terraform.io/hashicorp/test', schema_version: 0, values }] } },
    resource_changes: [{ address, mode: 'managed', type, name, change: { actions: ['create'], before: null, after: values, after_unknown: {} } }],
    configuration: { root_module: { resources: [{ address, mode: 'managed', type, name, expressions: {} }] } },
  });
}
