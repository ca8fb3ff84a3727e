/**
 * A posture rule is metadata + a pure check + good/bad examples (../shared/STYLE.md, habit 9).
 *
 * `check` receives one resource of a kind listed in `kinds` and returns the violations, each
 * naming the offending attribute path; the engine turns a path into file + line (the deepest key
 * on the path the source has, so a missing attribute points at its parent block). Rules about a
 * set of resources (NetworkPolicy coverage per namespace) implement `checkScan` instead.
 *
 * Examples are real source text in the rule's own input formats; one conformance test parses
 * every example with its input adapter, runs only that rule and checks that every bad example
 * fails at the lines it lists and every good example passes.
 */
import type { FrameworkControl } from './frameworks.js';
import type { InputType, PostureSeverity, Resource, ResourceKind, Violation } from './model.js';

export const RULE_PLATFORMS = {
  kubernetes: 'K8S',
  aws: 'AWS',
  azure: 'AZURE',
  gcp: 'GCP',
  dockerfile: 'DOCKER',
} as const;
export type RulePlatform = keyof typeof RULE_PLATFORMS;

export const RULE_ID = /^VGL-(K8S|AWS|AZURE|GCP|DOCKER)-\d{3}$/;

export interface RuleExample {
  readonly input: InputType;
  /** File name given to the adapter; defaults per input (main.tf, template.yaml, …). */
  readonly file?: string;
  readonly text: string;
  /** For bad examples: the lines (1-based) the violations must be reported at. */
  readonly lines?: readonly number[];
  /**
   * For bad examples over collected data (inputs aws, azure, gcp), which have no lines: the ids
   * of the resources that must fail, and no other.
   */
  readonly resources?: readonly string[];
}

export interface RuleFix {
  readonly kubernetes?: string;
  readonly terraform?: string;
  readonly cloudformation?: string;
  readonly dockerfile?: string;
  /** For collected cloud resources: the provider CLI command (`aws …`, `az …`, `gcloud …`). */
  readonly cli?: string;
  /** For collected cloud resources: the console steps. */
  readonly console?: string;
}

export interface RuleContext {
  readonly resources: readonly Resource[];
  byKind(kind: ResourceKind): readonly Resource[];
  byId(id: string): Resource | undefined;
  /** Resources (optionally of one kind) whose references include `target`. */
  referrers(target: Resource, kind?: ResourceKind): readonly Resource[];
}

export interface Rule {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: PostureSeverity;
  readonly platform: RulePlatform;
  /** Cloud or platform service: `s3`, `iam`, `pod-security`, `rbac`, `image`, … */
  readonly service: string;
  readonly kinds: readonly ResourceKind[];
  readonly frameworks: readonly FrameworkControl[];
  readonly remediation: string;
  readonly fix?: RuleFix;
  readonly references: readonly string[];
  readonly check?: (resource: Resource, ctx: RuleContext) => readonly Violation[];
  readonly checkScan?: (ctx: RuleContext) => readonly Violation[];
  readonly examples: { readonly good: readonly RuleExample[]; readonly bad: readonly RuleExample[] };
}

/** Identity helper that keeps literal types and documents intent. */
export function defineRule(rule: Rule): Rule {
  return rule;
}

export function violation(path: readonly (string | number)[], message: string): Violation {
  return { path, message };
}
