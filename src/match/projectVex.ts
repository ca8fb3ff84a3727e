/**
 * VEX for a project: export its findings and triage decisions as OpenVEX or CycloneDX VEX,
 * and import VEX statements (OpenVEX, CycloneDX, CSAF) as triage decisions on its findings.
 */
import type { Queryable } from '../store/db.js';
import { listFindings, triageFindings, type StoredFinding, type TriageChange, type VexJustification } from '../store/repos/findingQueries.js';
import type { Project } from '../store/repos/projects.js';
import { VERSION } from '../version.js';
import type { Finding, ScanReport, Suppression } from './model.js';
import { renderScanReport } from './output/registry.js';
import { applyVex } from './vex/apply.js';
import { openVexJustification } from './vex/mapping.js';
import type { VexStatement } from './vex/model.js';

const PAGE = 500;
const MAX_FINDINGS = 200_000;

/** Every finding of the project in the given states (all pages). */
async function projectFindings(q: Queryable, projectId: string, states: readonly string[]): Promise<StoredFinding[]> {
  const out: StoredFinding[] = [];
  let cursor: string | undefined;
  do {
    const page = await listFindings(q, { project: [projectId], state: states }, { limit: PAGE, cursor, sort: 'advisory' });
    out.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && out.length < MAX_FINDINGS);
  return out;
}

/** A stored finding as the scan model, its triage decision as the suppression. */
export function withDecision(f: StoredFinding): Finding {
  const t = f.triage;
  if (f.state === 'open' || !t) return { ...f.finding, suppression: undefined };
  const s: Suppression = {
    kind: 'triage',
    status: f.state,
    ...(t.justification ? { justification: t.justification } : {}),
    ...(t.reason ? { reason: t.reason } : {}),
    ...(t.expiresAt ? { expires: t.expiresAt } : {}),
    source: `vigil finding ${f.id}${t.by ? ` (${t.by}, ${t.at ?? ''})` : ''}`,
  };
  return { ...f.finding, suppression: s };
}

/** The project's current findings (fixed ones left out: their packages are gone) as a VEX document. */
export async function exportProjectVex(q: Queryable, project: Project, format: 'openvex' | 'cyclonedx'): Promise<string> {
  const rows = await projectFindings(q, project.id, ['open', 'in_triage', 'accepted_risk', 'false_positive', 'not_affected']);
  const report: ScanReport = {
    target: project.latestVersion ? `${project.name}@${project.latestVersion.version}` : project.name,
    packages: project.latestVersion?.components ?? 0,
    findings: rows.map(withDecision),
    unassessed: [],
    errors: [],
    tool: { name: 'vigil', version: VERSION },
    generatedAt: new Date().toISOString(),
  };
  return renderScanReport(report, format);
}

export interface VexImportResult {
  readonly statements: number;
  /** Findings whose state the statements changed, by new state. */
  readonly applied: Record<string, number>;
  /** Statements that matched no finding of the project. */
  readonly unmatched: number;
}

/** The triage change a statement asks for (undefined: it changes nothing, e.g. `affected`). */
export function changeFor(st: VexStatement): TriageChange | undefined {
  const reason = [st.impact, st.action, `from VEX ${st.source}`].filter(Boolean).join(' — ').slice(0, 4000);
  if (st.originalStatus === 'false_positive') return { state: 'false_positive', reason };
  switch (st.status) {
    case 'not_affected': {
      // Without a justification Vigil knows, say the least: the vulnerable code is not in the product.
      const justification: VexJustification = openVexJustification(st.justification) ?? 'vulnerable_code_not_present';
      return { state: 'not_affected', justification, reason };
    }
    case 'fixed':
      return { state: 'fixed', reason };
    case 'under_investigation':
      return { state: 'in_triage', reason };
    case 'affected':
      return undefined;
  }
}

/** Applies VEX statements to the project's open and in-triage findings as triage decisions. */
export async function importProjectVex(q: Queryable, tenantId: string, project: Project, statements: readonly VexStatement[], actor: string): Promise<VexImportResult> {
  const rows = await projectFindings(q, project.id, ['open', 'in_triage']);
  const byFinding = new Map<Finding, StoredFinding>();
  const findings = rows.map((r) => {
    const f = { ...r.finding, suppression: undefined };
    byFinding.set(f, r);
    return f;
  });
  const product = [project.name, ...(project.latestVersion ? [`${project.name}@${project.latestVersion.version}`] : [])];
  const applied: Record<string, number> = {};
  const used = new Set<string>();
  // One statement at a time so each decision carries its own statement's reason.
  for (const st of statements) {
    const change = changeFor(st);
    const r = applyVex(findings, [st], { product });
    const hit = r.findings.map((f, i) => (f.suppression && !findings[i]!.suppression ? byFinding.get(findings[i]!) : undefined)).filter((x): x is StoredFinding => x !== undefined);
    const covered = st.status === 'affected' ? r.used.length > 0 : hit.length > 0;
    if (covered) used.add(st.source);
    if (!change || hit.length === 0) continue;
    const changed = await triageFindings(q, tenantId, hit.map((h) => h.id), change, actor);
    applied[change.state] = (applied[change.state] ?? 0) + changed.length;
  }
  return { statements: statements.length, applied, unmatched: statements.filter((s) => !used.has(s.source)).length };
}
