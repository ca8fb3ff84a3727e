/**
 * SLA: days to fix per severity, a shorter deadline for known-exploited (KEV) findings, and
 * whether the clock starts at first sight or at the advisory's publication. One policy per
 * tenant (table sla_policies); these defaults apply until a tenant sets its own.
 */
import type { Severity } from '../core/advisory.js';

export interface SlaPolicy {
  readonly criticalDays: number;
  readonly highDays: number;
  readonly mediumDays: number;
  readonly lowDays: number;
  /** null: findings of unknown severity have no deadline. */
  readonly unknownDays: number | null;
  /** null: KEV findings follow their severity; else the deadline is at most this many days. */
  readonly kevDays: number | null;
  readonly start: 'first_seen' | 'published';
  /** "Due soon" means due within this many days. */
  readonly dueSoonDays: number;
}

export const DEFAULT_SLA: SlaPolicy = {
  criticalDays: 15,
  highDays: 30,
  mediumDays: 90,
  lowDays: 180,
  unknownDays: null,
  kevDays: 14,
  start: 'first_seen',
  dueSoonDays: 7,
};

/** States that stop the clock: nothing is due. */
export const SLA_EXEMPT_STATES = ['accepted_risk', 'false_positive', 'not_affected', 'fixed'] as const;

const DAY = 86_400_000;

export function slaDays(policy: SlaPolicy, severity: Severity, kev: boolean): number | null {
  const base =
    severity === 'critical' ? policy.criticalDays : severity === 'high' ? policy.highDays : severity === 'medium' ? policy.mediumDays : severity === 'low' ? policy.lowDays : severity === 'none' ? null : policy.unknownDays;
  if (kev && policy.kevDays !== null) return base === null ? policy.kevDays : Math.min(base, policy.kevDays);
  return base;
}

/** The due date of a finding, or null when the policy sets none for it. */
export function slaDue(policy: SlaPolicy, f: { severity: Severity; kev: boolean; firstSeen: Date; published: Date | null }): Date | null {
  const days = slaDays(policy, f.severity, f.kev);
  if (days === null) return null;
  const start = policy.start === 'published' && f.published ? f.published : f.firstSeen;
  return new Date(start.getTime() + days * DAY);
}
