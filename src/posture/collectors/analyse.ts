/**
 * One collected target (an AWS account, an Azure subscription, a GCP project, a cluster) through
 * the same engine as files: rules over its resources, collection gaps as not-assessed findings,
 * the scores of the scan. Pure.
 *
 * Gaps are also the report's `errors` (path = where the call failed), so a scan that could not
 * read everything shows in the exit status as a file that could not be parsed does (exit 2
 * unless --allow-partial), never only as findings a reader may filter away.
 */
import { evaluate, selectRules, type EngineOptions } from '../engine.js';
import type { PostureReport } from '../output/report.js';
import type { Rule } from '../rule.js';
import { scorePosture, type PostureScores } from '../scores.js';
import { gapFindings, gapLocation } from './gaps.js';
import type { CollectResult, CollectionGap, TargetFacts } from './types.js';

export interface CollectedScan {
  readonly facts: TargetFacts;
  readonly report: PostureReport;
  readonly scores: PostureScores;
  readonly gaps: readonly CollectionGap[];
  /** What was collected (the registry lists workloads and counts kinds from it). */
  readonly resources: CollectResult['resources'];
  readonly stats: CollectResult['stats'];
}

/** `aws:123456789012`, `kubernetes:prod-eu`: what a collected scan's report names as its target. */
export const targetLabel = (facts: TargetFacts): string => `${facts.provider}:${facts.id}`;

export function analyseCollected(result: CollectResult, rules: readonly Rule[], options: EngineOptions = {}): CollectedScan {
  const findings = [...evaluate(result.resources, rules, options), ...gapFindings(result.gaps, rules, options)];
  const report: PostureReport = {
    target: targetLabel(result.target),
    files: 0,
    resources: result.resources.length,
    findings,
    errors: result.gaps.map((g) => ({ path: gapLocation(g), reason: `${g.reason}: ${g.message}` })),
    rules,
  };
  const scores = scorePosture({ resources: result.resources, rules: selectRules(rules, options), findings, unknownKinds: result.gaps.flatMap((g) => g.kinds) });
  return { facts: result.target, report, scores, gaps: result.gaps, resources: result.resources, stats: result.stats };
}
