/**
 * A posture scan's result, what every output format renders: findings (failed, suppressed and
 * not assessed), the files that could not be read, the rule catalogue that ran. Pure.
 */
import { POSTURE_SEVERITIES, type InputProblem, type PostureFinding, type PostureSeverity } from '../model.js';
import type { Rule } from '../rule.js';

export interface PostureReport {
  /** What was scanned, as given (paths relative to it appear in findings). */
  readonly target: string;
  readonly files: number;
  readonly resources: number;
  readonly findings: readonly PostureFinding[];
  readonly errors: readonly InputProblem[];
  readonly rules: readonly Rule[];
}

export const severityRank = (s: PostureSeverity): number => POSTURE_SEVERITIES.indexOf(s);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Worst first, then file, line, rule, resource: the one order every format uses. */
export function sortPostureFindings(findings: readonly PostureFinding[]): PostureFinding[] {
  return [...findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      cmp(a.location.file, b.location.file) ||
      a.location.line - b.location.line ||
      cmp(a.ruleId, b.ruleId) ||
      cmp(a.resource.id, b.resource.id),
  );
}

export interface PostureSummary {
  readonly fail: Readonly<Record<PostureSeverity, number>>;
  readonly failed: number;
  readonly suppressed: number;
  readonly notAssessed: number;
}

export function summarise(findings: readonly PostureFinding[]): PostureSummary {
  const fail = Object.fromEntries(POSTURE_SEVERITIES.map((s) => [s, 0])) as Record<PostureSeverity, number>;
  let suppressed = 0;
  let notAssessed = 0;
  for (const f of findings) {
    if (f.status === 'fail') fail[f.severity]++;
    else if (f.status === 'suppressed') suppressed++;
    else notAssessed++;
  }
  return { fail, failed: Object.values(fail).reduce((a, b) => a + b, 0), suppressed, notAssessed };
}

/** Unsuppressed failures at or above `level`. */
export function gateFailures(findings: readonly PostureFinding[], level: PostureSeverity | undefined): PostureFinding[] {
  if (level === undefined) return [];
  return findings.filter((f) => f.status === 'fail' && severityRank(f.severity) <= severityRank(level));
}

/**
 * Several scans in one report (a file scan and collected accounts or clusters scanned in one
 * run): findings and errors together, counts summed, targets joined. The rule catalogue is the
 * first report's (every part of one run uses the same rules). One report is returned as it is.
 */
export function mergeReports(reports: readonly PostureReport[]): PostureReport {
  if (reports.length === 1) return reports[0]!;
  return {
    target: reports.map((r) => r.target).join(', '),
    files: reports.reduce((n, r) => n + r.files, 0),
    resources: reports.reduce((n, r) => n + r.resources, 0),
    findings: reports.flatMap((r) => r.findings),
    errors: reports.flatMap((r) => r.errors),
    rules: reports[0]?.rules ?? [],
  };
}
