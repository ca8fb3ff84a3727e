/**
 * Scores of an uploaded collected scan, recomputed on the server (issue 7, section 6): the
 * uploaded findings, the kinds of the resources the scan collected and the rules that ran
 * (those of the server's catalogue named by the upload, or all of it) through `scorePosture`,
 * so a client cannot send its own compliance figures. Pure.
 */
import { collectedResource } from '../../posture/collectors/resource.js';
import type { CollectorProvider } from '../../posture/collectors/types.js';
import type { InputType, PostureFinding, Resource, ResourceKind } from '../../posture/model.js';
import type { Rule } from '../../posture/rule.js';
import { scorePosture, type PostureScores } from '../../posture/scores.js';
import type { CollectedScanIn } from './scansSchemas.js';

const INPUT: Record<CollectorProvider, InputType> = { aws: 'aws', azure: 'azure', gcp: 'gcp', kubernetes: 'kubernetes-cluster' };

/** Rule ids reported as unscored, at most. */
export const MAX_UNSCORED = 100;

export interface UploadScores {
  readonly scores: PostureScores;
  /** Rules with findings that were not scored (unknown here, or not among the rules that ran). */
  readonly unscoredRules: readonly string[];
}

export function scoreUpload(body: Pick<CollectedScanIn, 'target' | 'resources' | 'rules'>, findings: readonly PostureFinding[], catalogue: readonly Rule[]): UploadScores {
  const ran = body.rules ? new Set(body.rules) : undefined;
  const rules = ran ? catalogue.filter((r) => ran.has(r.id)) : catalogue;
  // scorePosture reads only the kinds of the resources: one attribute-less resource per entry.
  const input = INPUT[body.target.provider];
  const resources: Resource[] = body.resources.map((r) =>
    collectedResource({ kind: r.kind as ResourceKind, input, provider: body.target.provider, id: r.id, name: r.name, namespace: r.namespace, attrs: {} }),
  );
  const scored = new Set(rules.map((r) => r.id));
  const unscored = new Set<string>();
  for (const f of findings) if (!scored.has(f.ruleId) && unscored.size < MAX_UNSCORED) unscored.add(f.ruleId);
  return { scores: scorePosture({ resources, rules, findings: findings.filter((f) => scored.has(f.ruleId)) }), unscoredRules: [...unscored].sort() };
}
