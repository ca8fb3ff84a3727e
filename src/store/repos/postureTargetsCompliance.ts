/**
 * Compliance of collected targets (issue 7, section 3): the control results of one scan per
 * framework (pass / fail / not assessed, with the rules behind each), and one framework's
 * report across a tenant's targets (each target's latest scan). Tenant transactions only.
 */
import type { CollectorProvider } from '../../posture/collectors/types.js';
import { FRAMEWORKS, type FrameworkId } from '../../posture/frameworks.js';
import type { ControlStatus, FrameworkScore } from '../../posture/scores.js';
import type { Queryable } from '../db.js';
import { applicable } from './postureTargets.js';

export type StoredControlStatus = Exclude<ControlStatus, 'not-applicable'>;

export interface StoredControl {
  readonly control: string;
  readonly status: StoredControlStatus;
  readonly rules: readonly { readonly ruleId: string; readonly status: ControlStatus }[];
}

export interface FrameworkCompliance extends FrameworkScore {
  /** The applicable controls, in control order (`1.2` before `1.10`). */
  readonly items: readonly StoredControl[];
}

const byControl = (a: { control: string }, b: { control: string }): number => a.control.localeCompare(b.control, 'en', { numeric: true });

/**
 * The frameworks a scan assessed with their controls: `framework` limits to one, `status` to
 * controls in those statuses (the counts stay the framework's).
 */
export async function scanCompliance(
  q: Queryable,
  scanId: string,
  scores: readonly FrameworkScore[],
  filter: { readonly framework?: FrameworkId | undefined; readonly status?: readonly StoredControlStatus[] | undefined },
): Promise<FrameworkCompliance[]> {
  const frameworks = applicable(scores).filter((f) => filter.framework === undefined || f.framework === filter.framework);
  if (frameworks.length === 0) return [];
  const { rows } = await q.query<{ framework: string; control: string; status: StoredControlStatus; rules: StoredControl['rules'] }>(
    `SELECT framework, control, status, rules FROM posture_control_results
      WHERE scan_id = $1 AND framework = ANY($2::text[]) AND ($3::text[] IS NULL OR status = ANY($3::text[]))`,
    [scanId, frameworks.map((f) => f.framework), filter.status?.length ? filter.status : null],
  );
  const items = new Map<string, StoredControl[]>();
  for (const r of rows) {
    let list = items.get(r.framework);
    if (!list) items.set(r.framework, (list = []));
    list.push({ control: r.control, status: r.status, rules: r.rules });
  }
  return frameworks.map((f) => ({ ...f, items: (items.get(f.framework) ?? []).sort(byControl) }));
}

/** Most targets one report covers. */
export const MAX_REPORT_TARGETS = 5000;

export interface ReportTarget {
  readonly id: string;
  readonly provider: CollectorProvider;
  readonly externalId: string;
  readonly name: string;
  readonly scanId: string;
  readonly scannedAt: string;
  readonly risk: number | null;
  readonly compliance: number;
  readonly controls: FrameworkScore['controls'];
}

export interface ReportControl {
  readonly control: string;
  /** The worst status across the targets (fail > not-assessed > pass). */
  readonly status: StoredControlStatus;
  /** Targets in each status. */
  readonly targets: { readonly pass: number; readonly fail: number; readonly notAssessed: number };
  readonly rules: readonly string[];
}

export interface ComplianceReport {
  readonly framework: { readonly id: FrameworkId; readonly name: string };
  readonly generatedAt: string;
  readonly summary: {
    /** Targets whose latest scan assessed a control of the framework. */
    readonly targets: number;
    /** Passed controls / assessed controls, pooled over the targets; null without targets. */
    readonly compliance: number | null;
    readonly controls: { readonly pass: number; readonly fail: number; readonly notAssessed: number };
  };
  readonly targets: readonly ReportTarget[];
  readonly controls: readonly ReportControl[];
  /** Per target and control, for the CSV: `targets[i]` × its controls. */
  readonly rows: readonly { readonly target: number; readonly control: string; readonly status: StoredControlStatus; readonly rules: readonly string[] }[];
  /** More targets matched than a report covers (MAX_REPORT_TARGETS). */
  readonly truncated: boolean;
}

interface LatestRow {
  id: string;
  provider: CollectorProvider;
  external_id: string;
  name: string;
  scan_id: string;
  scanned_at: Date | string;
  risk: string | null;
  score: FrameworkScore | null;
}

const RANK: Record<StoredControlStatus, number> = { pass: 0, 'not-assessed': 1, fail: 2 };
const round1 = (x: number): number => Math.round(x * 10) / 10;

/** One framework across the tenant's targets (of `provider`, or only `target`), each at its latest scan. */
export async function complianceReport(
  q: Queryable,
  framework: FrameworkId,
  filter: { readonly provider?: readonly CollectorProvider[] | undefined; readonly target?: readonly string[] | undefined },
  now: Date = new Date(),
): Promise<ComplianceReport> {
  const { rows: latest } = await q.query<LatestRow>(
    `SELECT t.id, t.provider, t.external_id, t.name, l.id AS scan_id, l.created_at AS scanned_at, l.risk,
            (SELECT e FROM jsonb_array_elements(l.compliance) AS e WHERE e->>'framework' = $1 LIMIT 1) AS score
       FROM posture_targets t
       JOIN LATERAL (SELECT s.id, s.created_at, s.risk, s.compliance FROM posture_scans s
                      WHERE s.target_id = t.id ORDER BY s.created_at DESC, s.id DESC LIMIT 1) l ON TRUE
      WHERE ($2::text[] IS NULL OR t.provider = ANY($2::text[])) AND ($3::uuid[] IS NULL OR t.id = ANY($3::uuid[]))
      ORDER BY t.provider, t.name, t.id`,
    [framework, filter.provider?.length ? filter.provider : null, filter.target?.length ? filter.target : null],
  );
  const assessed = latest.filter((r) => r.score !== null && r.score.compliance !== null);
  const kept = assessed.slice(0, MAX_REPORT_TARGETS);
  const targets: ReportTarget[] = kept.map((r) => ({
    id: r.id,
    provider: r.provider,
    externalId: r.external_id,
    name: r.name,
    scanId: r.scan_id,
    scannedAt: new Date(r.scanned_at).toISOString(),
    risk: r.risk === null ? null : Number(r.risk),
    compliance: r.score!.compliance!,
    controls: r.score!.controls,
  }));
  const index = new Map(kept.map((r, i) => [r.scan_id, i]));
  const { rows: results } = kept.length
    ? await q.query<{ scan_id: string; control: string; status: StoredControlStatus; rules: { ruleId: string }[] }>(
        'SELECT scan_id, control, status, rules FROM posture_control_results WHERE scan_id = ANY($1::uuid[]) AND framework = $2',
        [kept.map((r) => r.scan_id), framework],
      )
    : { rows: [] };
  const controls = new Map<string, { status: StoredControlStatus; targets: { pass: number; fail: number; notAssessed: number }; rules: Set<string> }>();
  const rows: ComplianceReport['rows'][number][] = [];
  for (const r of results) {
    const rules = r.rules.map((x) => x.ruleId);
    rows.push({ target: index.get(r.scan_id)!, control: r.control, status: r.status, rules });
    let c = controls.get(r.control);
    if (!c) controls.set(r.control, (c = { status: r.status, targets: { pass: 0, fail: 0, notAssessed: 0 }, rules: new Set() }));
    if (RANK[r.status] > RANK[c.status]) c.status = r.status;
    c.targets[r.status === 'not-assessed' ? 'notAssessed' : r.status]++;
    for (const id of rules) c.rules.add(id);
  }
  rows.sort((a, b) => a.target - b.target || byControl(a, b));
  const pooled = targets.reduce((n, t) => ({ pass: n.pass + t.controls.pass, fail: n.fail + t.controls.fail, notAssessed: n.notAssessed + t.controls.notAssessed }), { pass: 0, fail: 0, notAssessed: 0 });
  const total = pooled.pass + pooled.fail + pooled.notAssessed;
  return {
    framework: { id: framework, name: FRAMEWORKS[framework] },
    generatedAt: now.toISOString(),
    summary: { targets: targets.length, compliance: total === 0 ? null : round1((100 * pooled.pass) / total), controls: pooled },
    targets,
    controls: [...controls.entries()].map(([control, c]) => ({ control, status: c.status, targets: c.targets, rules: [...c.rules].sort() })).sort(byControl),
    rows,
    truncated: assessed.length > kept.length,
  };
}
