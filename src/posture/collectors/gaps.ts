/**
 * Collection gaps as findings: every rule that needed data a collector could not read (bad
 * credentials, a denied permission, a service not enabled, throttling that outlasted the
 * retries) reports "not-assessed" for that account / region, with the provider's reason, so a
 * scan that could not look never reads as a pass. Pure.
 */
import { selectRules, type EngineOptions } from '../engine.js';
import type { PostureFinding, Provider, Resource } from '../model.js';
import type { Rule } from '../rule.js';
import type { CollectionGap, SubCallGap } from './types.js';

/** Where a gap is reported: `aws://123456789012/eu-west-1/s3:ListBuckets`. */
export function gapLocation(gap: CollectionGap): string {
  return `${gap.provider}://${gap.target}/${gap.region ?? 'global'}/${gap.service}:${gap.operation}`;
}

export function gapFindings(gaps: readonly CollectionGap[], allRules: readonly Rule[], options: EngineOptions = {}): PostureFinding[] {
  const rules = selectRules(allRules, options);
  const findings: PostureFinding[] = [];
  // One finding per rule and target/region: several failed calls that starve the same rule in
  // the same place give one finding naming the first reason.
  const seen = new Set<string>();
  for (const gap of gaps) {
    const kinds = new Set<string>(gap.kinds);
    for (const rule of rules) {
      const kind = rule.kinds.find((k) => kinds.has(k));
      if (kind === undefined) continue;
      const key = `${rule.id}\u0000${gap.target}\u0000${gap.region ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const provider: Provider = gap.provider;
      findings.push({
        ruleId: rule.id,
        severity: rule.severity,
        title: rule.title,
        status: 'not-assessed',
        message: `not assessed: ${gap.service} ${gap.operation} failed (${gap.reason}): ${gap.message}`,
        resource: {
          kind,
          id: `${gap.provider}://${gap.target}/${gap.region ?? 'global'}/${gap.service}`,
          name: gap.service,
          provider,
          account: gap.provider === 'kubernetes' ? null : gap.target,
          region: gap.region ?? null,
          namespace: null,
        },
        location: { file: gapLocation(gap), line: 0 },
        frameworks: rule.frameworks,
        remediation: `Grant the read-only permission for ${gap.service} ${gap.operation} (see docs/collectors/${gap.provider}.md), or enable the service, then scan again.`,
        fix: null,
        suppression: null,
      });
    }
  }
  return findings;
}

/**
 * Records failed list calls on the resource that scope-level rules hang their checks on (an Azure
 * subscription, a GCP project): `meta.gaps[kind]` for each kind a gap left unknown, so "an
 * activity log alert exists for …" reads `needs(anchor, kind)` and says "not assessed" instead
 * of "missing" when the alerts could not be listed. Returns a new list; the anchor is replaced.
 */
export function markAnchor(resources: readonly Resource[], anchorKind: string, gaps: readonly CollectionGap[]): Resource[] {
  const own: Record<string, SubCallGap> = {};
  for (const g of gaps) for (const kind of g.kinds) if (kind !== anchorKind && own[kind] === undefined) own[kind] = { operation: g.operation, reason: g.reason, message: g.message };
  if (Object.keys(own).length === 0) return [...resources];
  return resources.map((r) => {
    if (r.kind !== anchorKind) return r;
    const prior = (r.meta?.['gaps'] ?? {}) as Readonly<Record<string, SubCallGap>>;
    return { ...r, meta: { ...r.meta, gaps: { ...own, ...prior } } };
  });
}
