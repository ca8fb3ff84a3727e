/**
 * How the AWS service rules (VGL-AWS-100…199) are declared: one concern per rule, covering
 * Terraform (HCL and plan JSON share `tf:` kinds) and CloudFormation where the concern exists
 * in both. A rule lists one small check per resource type it reads; `check` dispatches on the
 * resource kind, and a `tf:module` call of a well-known registry module is checked like the
 * resource it creates when the rule lists it (`module:<name>`, see modules.ts).
 */
import type { FrameworkControl } from '../../../../frameworks.js';
import type { PostureSeverity, Resource, ResourceKind, Violation } from '../../../../model.js';
import { defineRule, type Rule, type RuleContext, type RuleExample } from '../../../../rule.js';
import { registryModule } from './modules.js';

export type Check = (resource: Resource, ctx: RuleContext) => readonly Violation[];

export interface AwsRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: PostureSeverity;
  readonly service: string;
  readonly frameworks: readonly FrameworkControl[];
  readonly remediation: string;
  readonly references: readonly string[];
  /** Terraform resource type (`aws_db_instance`) or `module:<registry module>` → its check. */
  readonly tf?: Readonly<Record<string, Check>>;
  /** CloudFormation type (`AWS::RDS::DBInstance`, or `Parameter`) → its check. */
  readonly cfn?: Readonly<Record<string, Check>>;
  readonly fix: { readonly terraform?: string; readonly cloudformation?: string };
  readonly bad: readonly RuleExample[];
  readonly good: readonly RuleExample[];
}

export function awsRule(spec: AwsRuleSpec): Rule {
  const checks = new Map<string, Check>();
  const kinds = new Set<ResourceKind>();
  for (const [type, check] of Object.entries(spec.tf ?? {})) {
    const kind: ResourceKind = type.startsWith('module:') ? 'tf:module' : `tf:${type}`;
    kinds.add(kind);
    checks.set(type.startsWith('module:') ? type : kind, check);
  }
  for (const [type, check] of Object.entries(spec.cfn ?? {})) {
    kinds.add(`cfn:${type}`);
    checks.set(`cfn:${type}`, check);
  }
  return defineRule({
    id: spec.id,
    title: spec.title,
    description: spec.description,
    severity: spec.severity,
    platform: 'aws',
    service: spec.service,
    kinds: [...kinds],
    frameworks: spec.frameworks,
    remediation: spec.remediation,
    fix: spec.fix,
    references: spec.references,
    check(resource, ctx) {
      if (resource.kind === 'tf:module') {
        const name = registryModule(resource);
        const check = name === undefined ? undefined : checks.get(`module:${name}`);
        return check === undefined ? [] : check(resource, ctx);
      }
      return checks.get(resource.kind)?.(resource, ctx) ?? [];
    },
    examples: { bad: spec.bad, good: spec.good },
  });
}

/** A Terraform example; `lines` only for bad examples. */
export const tf = (text: string, ...lines: number[]): RuleExample =>
  lines.length > 0 ? { input: 'terraform', text, lines } : { input: 'terraform', text };

/** A CloudFormation (YAML unless `file` ends in .json) example. */
export const cfn = (text: string, ...lines: number[]): RuleExample =>
  lines.length > 0 ? { input: 'cloudformation', text, lines } : { input: 'cloudformation', text };

export const cfnJson = (text: string, ...lines: number[]): RuleExample =>
  lines.length > 0
    ? { input: 'cloudformation', file: 'template.json', text, lines }
    : { input: 'cloudformation', file: 'template.json', text };

const fw =
  (framework: FrameworkControl['framework']) =>
  (...controls: string[]): FrameworkControl[] =>
    controls.map((control) => ({ framework, control }));

export const cis = fw('cis-aws-3.0');
export const nist = fw('nist-800-53-r5');
export const csf = fw('nist-csf-2.0');
export const iso = fw('iso-27001-2022');
export const soc2 = fw('soc2');
export const pci = fw('pci-dss-4.0');
export const hipaa = fw('hipaa');
export const gdpr = (): FrameworkControl[] => [{ framework: 'gdpr', control: 'Art.32' }];

/** Control sets shared by many rules: one concern, the same controls everywhere. */
export const CONTROLS = {
  encryptionAtRest: (): FrameworkControl[] => [
    ...nist('SC-28'), ...csf('PR.DS-01'), ...iso('A.8.24'), ...soc2('CC6.1'), ...pci('3.5.1'), ...hipaa('164.312(a)(2)(iv)'), ...gdpr(),
  ],
  encryptionInTransit: (): FrameworkControl[] => [
    ...nist('SC-8'), ...csf('PR.DS-02'), ...iso('A.8.24'), ...soc2('CC6.7'), ...pci('4.2.1'), ...hipaa('164.312(e)(1)'), ...gdpr(),
  ],
  customerKey: (): FrameworkControl[] => [...nist('SC-12', 'SC-28'), ...csf('PR.DS-01'), ...iso('A.8.24'), ...soc2('CC6.1'), ...pci('3.6.1')],
  publicAccess: (): FrameworkControl[] => [
    ...nist('AC-3', 'SC-7'), ...csf('PR.AA-05'), ...iso('A.8.3', 'A.8.20'), ...soc2('CC6.1', 'CC6.6'), ...pci('1.3.1'), ...hipaa('164.312(a)(1)'),
  ],
  network: (): FrameworkControl[] => [...nist('SC-7'), ...csf('PR.IR-01'), ...iso('A.8.22'), ...soc2('CC6.6'), ...pci('1.3.1')],
  logging: (): FrameworkControl[] => [
    ...nist('AU-2', 'AU-12'), ...csf('PR.PS-04'), ...iso('A.8.15'), ...soc2('CC7.2'), ...pci('10.2.1'), ...hipaa('164.312(b)'),
  ],
  backup: (): FrameworkControl[] => [...nist('CP-9'), ...csf('PR.DS-11'), ...iso('A.8.13'), ...soc2('A1.2'), ...hipaa('164.308(a)(7)(ii)(A)')],
  availability: (): FrameworkControl[] => [...nist('CP-10'), ...csf('PR.IR-03'), ...iso('A.8.14'), ...soc2('A1.2')],
  deletion: (): FrameworkControl[] => [...nist('CP-9', 'CM-3'), ...csf('PR.DS-11'), ...iso('A.8.13'), ...soc2('A1.2')],
  authentication: (): FrameworkControl[] => [...nist('IA-2', 'IA-5'), ...csf('PR.AA-03'), ...iso('A.8.5'), ...soc2('CC6.1'), ...pci('8.3.1'), ...hipaa('164.312(d)')],
  leastPrivilege: (): FrameworkControl[] => [...nist('AC-6'), ...csf('PR.AA-05'), ...iso('A.8.2'), ...soc2('CC6.3'), ...pci('7.2.1')],
  secrets: (): FrameworkControl[] => [...nist('IA-5(7)', 'SC-28'), ...csf('PR.DS-01'), ...iso('A.5.17'), ...soc2('CC6.1'), ...pci('8.6.2')],
  patching: (): FrameworkControl[] => [...nist('SI-2'), ...csf('ID.RA-01'), ...iso('A.8.8'), ...soc2('CC7.1'), ...pci('6.3.3')],
  hardening: (): FrameworkControl[] => [...nist('CM-6', 'CM-7'), ...csf('PR.PS-01'), ...iso('A.8.9'), ...soc2('CC6.8'), ...pci('2.2.1')],
} as const;

export const TF_DOCS = 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/';
export const CFN_DOCS = 'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/';
