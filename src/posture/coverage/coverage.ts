/**
 * Published coverage (issue 7, section 3): how many of a framework's requirements the rules
 * assess. Pure: a rule list and the catalogues in, numbers out.
 *
 * Definitions (also in docs/coverage.md):
 * - A rule control C *counts for* the catalogue requirement R that is the longest of: C itself
 *   when the catalogue lists C; else the longest proper prefix of C that the catalogue lists
 *   and that ends just before a hierarchy separator of C ('.', '(' or ':'). So `1.2.1` counts
 *   for `1.2` only when the catalogue lists `1.2` but not `1.2.1`; `AC-6(1)` counts for
 *   `AC-6` when the catalogue lists no `AC-6(1)`; `1.20` never counts for `1.2`. A control
 *   counts for one requirement at most, never for an ancestor as well.
 * - A catalogue that `includes` another framework (PSS Restricted includes Baseline) also
 *   counts the rule controls mapped to that framework.
 * - A control with no such requirement is *unknown*: a catalogue gap or a wrong control id.
 * - A requirement is *assessed* when at least one rule control counts for it; coverage % =
 *   assessed / listed requirements, one decimal.
 * - Rules on collected data: rules with a resource kind of a live provider (`aws:`, `azure:`,
 *   `gcp:`), as opposed to IaC, manifests and Dockerfiles.
 */
import { FRAMEWORKS, FRAMEWORK_IDS, type FrameworkId } from '../frameworks.js';
import { RULE_PLATFORMS, type Rule, type RulePlatform } from '../rule.js';
import type { Catalogue } from './catalogue.js';
import { CATALOGUES } from './index.js';

const SEPARATORS = new Set(['.', '(', ':']);
/** Control ids longer than this are not resolved (bounds the prefix walk). */
const MAX_CONTROL = 300;

const round1 = (x: number): number => Math.round(x * 10) / 10;

export const COLLECTED_PREFIXES = ['aws:', 'azure:', 'gcp:'] as const;

export const onCollectedData = (rule: Pick<Rule, 'kinds'>): boolean => rule.kinds.some((k) => COLLECTED_PREFIXES.some((p) => k.startsWith(p)));

/** The catalogue requirement a rule control counts for, or undefined (see the header). */
export function requirementFor(listed: ReadonlySet<string>, control: string): string | undefined {
  if (listed.has(control)) return control;
  if (control.length > MAX_CONTROL) return undefined;
  for (let i = control.length - 1; i > 0; i--) {
    if (SEPARATORS.has(control[i]!) && listed.has(control.slice(0, i))) return control.slice(0, i);
  }
  return undefined;
}

export interface PlatformCoverage {
  /** Rules of this platform mapped to the framework itself. */
  readonly rules: number;
  /** Requirements at least one of those rules assesses. */
  readonly assessed: number;
}

export interface FrameworkCoverage {
  readonly framework: FrameworkId;
  readonly name: string;
  readonly edition: string;
  readonly level: string;
  /** Requirements the catalogue lists. */
  readonly requirements: number;
  readonly assessed: number;
  /** 0–100, one decimal. */
  readonly coverage: number;
  /**
   * Rules mapped to the framework itself (not through `includes`), and how many of them check
   * collected cloud data.
   */
  readonly rules: number;
  readonly collectedRules: number;
  /** Requirements assessed by rules on collected cloud data. */
  readonly collectedAssessed: number;
  readonly platforms: Readonly<Record<RulePlatform, PlatformCoverage>>;
  /** In catalogue order. */
  readonly assessedIds: readonly string[];
  readonly unassessedIds: readonly string[];
  /** Per assessed requirement, the rule ids that count for it (sorted). */
  readonly rulesByRequirement: Readonly<Record<string, readonly string[]>>;
  /** Rule controls the catalogue cannot place, with the rules naming them. */
  readonly unknown: readonly { readonly control: string; readonly rules: readonly string[] }[];
}

function push(map: Map<string, Set<string>>, key: string, value: string): void {
  let set = map.get(key);
  if (set === undefined) map.set(key, (set = new Set()));
  set.add(value);
}

export function frameworkCoverage(rules: readonly Rule[], framework: FrameworkId, catalogue: Catalogue = CATALOGUES[framework]): FrameworkCoverage {
  const listed = new Set(catalogue.requirements);
  const byRequirement = new Map<string, Set<string>>();
  const unknown = new Map<string, Set<string>>();
  const platformRules = new Map<RulePlatform, Set<string>>();
  const platformReqs = new Map<RulePlatform, Set<string>>();
  const collectedReqs = new Set<string>();
  const mapped = new Set<string>();
  let collectedRules = 0;
  for (const rule of rules) {
    const mine = rule.frameworks.filter((f) => f.framework === framework || (catalogue.includes !== undefined && f.framework === catalogue.includes));
    if (mine.length === 0) continue;
    if (rule.frameworks.some((f) => f.framework === framework) && !mapped.has(rule.id)) {
      mapped.add(rule.id);
      if (onCollectedData(rule)) collectedRules++;
      push(platformRules, rule.platform, rule.id);
    }
    for (const { control } of mine) {
      const req = requirementFor(listed, control);
      if (req === undefined) {
        push(unknown, control, rule.id);
        continue;
      }
      push(byRequirement, req, rule.id);
      push(platformReqs, rule.platform, req);
      if (onCollectedData(rule)) collectedReqs.add(req);
    }
  }
  const assessedIds = catalogue.requirements.filter((r) => byRequirement.has(r));
  const unassessedIds = catalogue.requirements.filter((r) => !byRequirement.has(r));
  const platforms = Object.fromEntries(
    (Object.keys(RULE_PLATFORMS) as RulePlatform[]).map((p) => [p, { rules: platformRules.get(p)?.size ?? 0, assessed: platformReqs.get(p)?.size ?? 0 }]),
  ) as Record<RulePlatform, PlatformCoverage>;
  const total = catalogue.requirements.length;
  return {
    framework,
    name: FRAMEWORKS[framework],
    edition: catalogue.edition,
    level: catalogue.level,
    requirements: total,
    assessed: assessedIds.length,
    coverage: total === 0 ? 0 : round1((100 * assessedIds.length) / total),
    rules: mapped.size,
    collectedRules,
    collectedAssessed: collectedReqs.size,
    platforms,
    assessedIds,
    unassessedIds,
    rulesByRequirement: Object.fromEntries(assessedIds.map((r) => [r, [...byRequirement.get(r)!].sort()])),
    unknown: [...unknown].map(([control, ids]) => ({ control, rules: [...ids].sort() })).sort((a, b) => a.control.localeCompare(b.control, 'en', { numeric: true })),
  };
}

/** Coverage of every framework, in FRAMEWORKS order. */
export function coverage(rules: readonly Rule[], catalogues: Readonly<Record<FrameworkId, Catalogue>> = CATALOGUES): FrameworkCoverage[] {
  return FRAMEWORK_IDS.map((id) => frameworkCoverage(rules, id, catalogues[id]));
}
