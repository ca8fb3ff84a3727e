/**
 * The risk score of a finding: 0–10, explainable, every factor returned with its effect.
 * The formula (docs/risk.md):
 *
 *   base   = 0.6 × CVSS base score (the finding's headline score; without one, the severity's
 *            midpoint: critical 9.5, high 8, medium 5.5, low 2, none 0, unknown 5)
 *   + EPSS = 2 × min(1, EPSS probability / 0.1)   (≥ 10 % chance of exploitation in 30 days: full 2)
 *   + KEV  = 2 when CISA lists it as known exploited
 *   + fix  = 0.5 when a fixed version exists (the risk can be removed today)
 *   × reachability: direct 1.0, transitive 0.85, unknown 1.0
 *   × criticality of the project: critical 1.2, high 1.1, medium 1.0, low 0.8
 *   clamped to 0–10, one decimal.
 */
import type { Severity } from '../core/advisory.js';
import type { EpssFact, KevFact, Risk, RiskContribution } from './model.js';

export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Criticality = (typeof CRITICALITIES)[number];

const SEVERITY_MIDPOINT: Record<Severity, number> = { critical: 9.5, high: 8, medium: 5.5, low: 2, none: 0, unknown: 5 };
const CRITICALITY_FACTOR: Record<Criticality, number> = { critical: 1.2, high: 1.1, medium: 1.0, low: 0.8 };

export interface RiskInput {
  readonly cvssScore: number | null;
  readonly severity: Severity;
  readonly epss: EpssFact | null;
  readonly kev: KevFact | null;
  readonly fixAvailable: boolean;
  /** true direct, false transitive, undefined unknown. */
  readonly direct: boolean | undefined;
  readonly criticality: Criticality;
}

const r2 = (n: number) => Math.round(n * 100) / 100;

export function riskScore(i: RiskInput): Risk {
  const c: RiskContribution[] = [];
  const base = i.cvssScore ?? SEVERITY_MIDPOINT[i.severity];
  c.push({
    factor: 'cvss',
    input: i.cvssScore ?? i.severity,
    effect: r2(0.6 * base),
    explanation: i.cvssScore === null ? `no CVSS score: ${i.severity} severity counts as ${base}, × 0.6` : `CVSS ${i.cvssScore} × 0.6`,
  });
  const epss = i.epss ? 2 * Math.min(1, i.epss.score / 0.1) : 0;
  c.push({
    factor: 'epss',
    input: i.epss?.score ?? null,
    effect: r2(epss),
    explanation: i.epss ? `EPSS ${(i.epss.score * 100).toFixed(2)} % (percentile ${(i.epss.percentile * 100).toFixed(0)}): 2 × min(1, EPSS / 10 %)` : 'no EPSS score',
  });
  const kev = i.kev ? 2 : 0;
  c.push({ factor: 'kev', input: i.kev !== null, effect: kev, explanation: i.kev ? `in CISA KEV since ${i.kev.dateAdded}` : 'not in CISA KEV' });
  const fix = i.fixAvailable ? 0.5 : 0;
  c.push({ factor: 'fix', input: i.fixAvailable, effect: fix, explanation: i.fixAvailable ? 'a fixed version exists' : 'no fixed version known' });
  const reach = i.direct === false ? 0.85 : 1;
  c.push({
    factor: 'reachability',
    input: i.direct === undefined ? 'unknown' : i.direct ? 'direct' : 'transitive',
    effect: reach,
    explanation: i.direct === false ? 'transitive dependency: × 0.85' : i.direct ? 'direct dependency: × 1' : 'direct or transitive not known: × 1',
  });
  const crit = CRITICALITY_FACTOR[i.criticality];
  c.push({ factor: 'criticality', input: i.criticality, effect: crit, explanation: `project criticality ${i.criticality}: × ${crit}` });
  const score = Math.min(10, Math.max(0, (0.6 * base + epss + kev + fix) * reach * crit));
  return { score: Math.round(score * 10) / 10, contributions: c };
}
