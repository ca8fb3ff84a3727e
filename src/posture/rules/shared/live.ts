/**
 * How a rule checks collected (live or recorded) cloud data, issue 7: a `live` block beside the
 * Terraform / CloudFormation checks of the same concern, or a rule made only of one when the
 * concern has no IaC form (root account use, the credential report, a CloudWatch alarm per CIS
 * event).
 *
 * Collected resources carry the provider's own response shape (AWS SDK v3 PascalCase, ARM and
 * GCP REST JSON) under kinds `aws:<CloudFormation type>`, `azure:<ARM type>`,
 * `gcp:<asset type>` (src/posture/collectors/types.ts; the keys per kind are in
 * docs/collectors/<provider>.md). They have no source lines: a bad example names the resource
 * ids that must fail instead, and a finding is located by the resource's ARN / id.
 *
 * A per-resource sub-call that failed (the bucket's policy could not be read) is recorded in
 * `meta.gaps[key]`; a check that needs that key reports "not assessed" with the provider's
 * reason through `needs()`, never a pass.
 */
import type { Provider, Resource, ResourceKind, Violation } from '../../model.js';
import type { RuleContext, RuleExample, RuleFix } from '../../rule.js';
import { collectedResource } from '../../collectors/resource.js';
import type { SubCallGap } from '../../collectors/types.js';

export type LiveCheck = (resource: Resource, ctx: RuleContext) => readonly Violation[];

/** The collected-data half of a rule. */
export interface LiveSpec {
  /** Collected kinds the check reads (`aws:AWS::S3::Bucket`, `azure:Microsoft.Storage/storageAccounts`). */
  readonly kinds: readonly ResourceKind[];
  readonly check: LiveCheck;
  /** The provider CLI command(s) that fix it (`aws …`, `az …`, `gcloud …`), with placeholders in <angle brackets>. */
  readonly cli?: string;
  /** Console steps, one line. */
  readonly console?: string;
  readonly bad: readonly RuleExample[];
  readonly good: readonly RuleExample[];
}

export type CloudProvider = Extract<Provider, 'aws' | 'azure' | 'gcp'>;

const PREFIX: Readonly<Record<CloudProvider, string>> = { aws: 'aws:', azure: 'azure:', gcp: 'gcp:' };

export const isCollectedKind = (provider: CloudProvider, kind: string): boolean => kind.startsWith(PREFIX[provider]);

/** One collected resource of an example: `type` without the family prefix. */
export interface ExampleResource {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
  readonly account?: string;
  readonly region?: string;
  readonly attrs: Record<string, unknown>;
  /** Sub-calls that failed, by attribute key. */
  readonly gaps?: Readonly<Record<string, SubCallGap>>;
}

/**
 * An example over collected data: the resources as JSON text (what docs/rules.md shows), and for
 * a bad example the ids of the resources that must fail (`fails`; every failing resource must be
 * listed, nothing else may fail).
 */
export function collected(provider: CloudProvider, resources: readonly ExampleResource[], fails?: readonly string[]): RuleExample {
  return { input: provider, text: JSON.stringify(resources, null, 2), ...(fails ? { resources: fails } : {}) };
}

/** Merges the fix snippets of a rule with its live block's CLI / console steps. */
export function withLiveFix(fix: RuleFix | undefined, live: LiveSpec | undefined): RuleFix | undefined {
  if (live === undefined || (live.cli === undefined && live.console === undefined)) return fix;
  return { ...fix, ...(live.cli !== undefined ? { cli: live.cli } : {}), ...(live.console !== undefined ? { console: live.console } : {}) };
}

/** The failed sub-call behind `key` on a collected resource, if any. */
export function subCallGap(resource: Resource, key: string): SubCallGap | undefined {
  const gaps = resource.meta?.['gaps'] as Readonly<Record<string, SubCallGap>> | undefined;
  return gaps?.[key];
}

/**
 * "Not assessed" violations for the keys a check needs whose sub-calls failed; empty when all
 * were read. Use: `const missing = needs(r, 'Policy'); if (missing.length) return missing;`
 */
export function needs(resource: Resource, ...keys: readonly string[]): Violation[] {
  const out: Violation[] = [];
  for (const key of keys) {
    const gap = subCallGap(resource, key);
    if (gap !== undefined) out.push({ path: [key], message: `not assessed: ${gap.operation} failed (${gap.reason}): ${gap.message}`, notAssessed: true });
  }
  return out;
}

/**
 * The resources of a collected-data example (the JSON `collected()` wrote), built the way the
 * collectors build theirs; `problems` names what is malformed (tests report it).
 */
export function exampleResources(example: RuleExample): { resources: Resource[]; problems: string[] } {
  const provider = example.input;
  if (provider !== 'aws' && provider !== 'azure' && provider !== 'gcp') return { resources: [], problems: [`input ${provider} is not collected data`] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(example.text);
  } catch (err) {
    return { resources: [], problems: [`example is not JSON: ${(err as Error).message}`] };
  }
  if (!Array.isArray(parsed)) return { resources: [], problems: ['example is not a JSON array of resources'] };
  const resources: Resource[] = [];
  const problems: string[] = [];
  for (const [i, item] of (parsed as unknown[]).entries()) {
    const r = item as Partial<ExampleResource> | null;
    if (r === null || typeof r !== 'object' || typeof r.type !== 'string' || typeof r.id !== 'string' || typeof r.attrs !== 'object' || r.attrs === null) {
      problems.push(`/${i}: expected {type, id, attrs}`);
      continue;
    }
    resources.push(
      collectedResource({
        kind: `${PREFIX[provider]}${r.type}` as ResourceKind,
        input: provider,
        provider,
        id: r.id,
        name: r.name ?? r.id,
        account: r.account,
        region: r.region,
        attrs: r.attrs,
        gaps: r.gaps,
      }),
    );
  }
  return { resources, problems };
}
