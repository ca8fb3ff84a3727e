/**
 * Posture scores of one scan (issue 7, section 3): pass / fail / not-assessed per rule and per
 * framework control, compliance % per framework, and a 0–10 risk score. Pure: the resources
 * scanned, the rules that ran and the findings they gave in; numbers out.
 *
 * Definitions (also in docs/posture.md):
 * - A rule *applies* when the scan has at least one resource of one of its kinds. Per rule:
 *   `fail` when it has a failed finding; else `not-assessed` when it has a not-assessed finding
 *   or a collection gap left one of its kinds unknown; else `pass` when it applies; else
 *   `not-applicable`. Suppressed findings count as passes (the owner accepted them, with a reason).
 * - A control's status is the worst of the rules mapped to it (fail > not-assessed > pass);
 *   a control with only not-applicable rules is not-applicable.
 * - Compliance % of a framework = passed controls / (passed + failed + not-assessed controls),
 *   so data we could not read never counts as compliant; null when no control applies.
 * - Risk 0–10 = 10 × (severity-weighted failed rule × resource pairs) / (severity-weighted
 *   applicable pairs), weights critical 10, high 6, medium 3, low 1, info 0: the share of what
 *   was checked that failed, dominated by the severe failures. 0 when nothing applies.
 */
import { FRAMEWORKS, type FrameworkId } from './frameworks.js';
import type { PostureFinding, PostureSeverity, Resource, ResourceKind } from './model.js';
import type { Rule } from './rule.js';

export type ControlStatus = 'pass' | 'fail' | 'not-assessed' | 'not-applicable';

export const SEVERITY_WEIGHTS: Readonly<Record<PostureSeverity, number>> = { critical: 10, high: 6, medium: 3, low: 1, info: 0 };

export interface RuleResult {
  readonly ruleId: string;
  readonly status: ControlStatus;
  /** Resources the rule applies to, and how many of them failed. */
  readonly resources: number;
  readonly failed: number;
}

export interface ControlResult {
  readonly framework: FrameworkId;
  readonly control: string;
  readonly status: ControlStatus;
  readonly rules: readonly string[];
}

export interface FrameworkScore {
  readonly framework: FrameworkId;
  readonly name: string;
  readonly controls: { readonly pass: number; readonly fail: number; readonly notAssessed: number; readonly notApplicable: number };
  /** 0–100 with one decimal, or null when no control of the framework applies. */
  readonly compliance: number | null;
}

export interface PostureScores {
  readonly rules: readonly RuleResult[];
  readonly controls: readonly ControlResult[];
  readonly frameworks: readonly FrameworkScore[];
  /** 0–10 with one decimal. */
  readonly risk: number;
}

const RANK: Readonly<Record<ControlStatus, number>> = { 'not-applicable': 0, pass: 1, 'not-assessed': 2, fail: 3 };
const worse = (a: ControlStatus, b: ControlStatus): ControlStatus => (RANK[b] > RANK[a] ? b : a);
const round1 = (x: number): number => Math.round(x * 10) / 10;

export interface ScoreInput {
  readonly resources: readonly Resource[];
  readonly rules: readonly Rule[];
  readonly findings: readonly PostureFinding[];
  /** Kinds a collection gap left unknown (src/posture/collectors/types.ts CollectionGap.kinds). */
  readonly unknownKinds?: Iterable<ResourceKind>;
}

export function scorePosture(input: ScoreInput): PostureScores {
  const kindCounts = new Map<string, number>();
  for (const r of input.resources) kindCounts.set(r.kind, (kindCounts.get(r.kind) ?? 0) + 1);
  const unknown = new Set<string>(input.unknownKinds ?? []);
  const failedBy = new Map<string, Set<string>>();
  const notAssessed = new Set<string>();
  for (const f of input.findings) {
    if (f.status === 'fail') {
      let set = failedBy.get(f.ruleId);
      if (set === undefined) failedBy.set(f.ruleId, (set = new Set()));
      set.add(`${f.resource.kind}\u0000${f.resource.id}`);
    } else if (f.status === 'not-assessed') notAssessed.add(f.ruleId);
  }

  const rules: RuleResult[] = [];
  let weightedFailed = 0;
  let weightedApplicable = 0;
  for (const rule of input.rules) {
    const resources = rule.kinds.reduce((n, k) => n + (kindCounts.get(k) ?? 0), 0);
    const failed = failedBy.get(rule.id)?.size ?? 0;
    const status: ControlStatus =
      failed > 0 ? 'fail' : notAssessed.has(rule.id) || rule.kinds.some((k) => unknown.has(k)) ? 'not-assessed' : resources > 0 ? 'pass' : 'not-applicable';
    rules.push({ ruleId: rule.id, status, resources, failed });
    const w = SEVERITY_WEIGHTS[rule.severity];
    // A scan-scoped rule may fail on resources of other kinds than it counts: cap at what it checked.
    const checked = Math.max(resources, failed);
    weightedApplicable += w * checked;
    weightedFailed += w * failed;
  }

  const byRule = new Map(rules.map((r) => [r.ruleId, r]));
  const controls = new Map<string, { framework: FrameworkId; control: string; status: ControlStatus; rules: string[] }>();
  for (const rule of input.rules) {
    const status = byRule.get(rule.id)!.status;
    for (const fc of rule.frameworks) {
      const key = `${fc.framework}\u0000${fc.control}`;
      const c = controls.get(key);
      if (c === undefined) controls.set(key, { framework: fc.framework, control: fc.control, status, rules: [rule.id] });
      else {
        c.status = worse(c.status, status);
        if (!c.rules.includes(rule.id)) c.rules.push(rule.id);
      }
    }
  }
  const controlList = [...controls.values()].sort((a, b) => a.framework.localeCompare(b.framework) || a.control.localeCompare(b.control, 'en', { numeric: true }));

  const frameworks: FrameworkScore[] = [];
  for (const id of Object.keys(FRAMEWORKS) as FrameworkId[]) {
    const mine = controlList.filter((c) => c.framework === id);
    if (mine.length === 0) continue;
    const count = (s: ControlStatus): number => mine.filter((c) => c.status === s).length;
    const pass = count('pass');
    const fail = count('fail');
    const na = count('not-assessed');
    const assessed = pass + fail + na;
    frameworks.push({
      framework: id,
      name: FRAMEWORKS[id],
      controls: { pass, fail, notAssessed: na, notApplicable: count('not-applicable') },
      compliance: assessed === 0 ? null : round1((100 * pass) / assessed),
    });
  }
  return { rules, controls: controlList, frameworks, risk: weightedApplicable === 0 ? 0 : round1((10 * weightedFailed) / weightedApplicable) };
}
