/**
 * Demo posture data: file scans of projects through `vigil posture scan`'s engine (stored as
 * `POST /posture/scans` stores a report), and collected scans of clusters and cloud accounts
 * through the collectors' offline modes (`--snapshot`) and the target registry
 * (`POST /scans`). Each scan is stored with the SHA-256 of what it found as its document
 * digest; a scan whose digest is already stored is not stored again.
 */
import { createHash } from 'node:crypto';
import type { CollectedScan } from '../posture/collectors/analyse.js';
import type { CollectResult } from '../posture/collectors/types.js';
import type { PostureFinding } from '../posture/model.js';
import type { Rule } from '../posture/rule.js';
import type { Database, Queryable } from '../store/db.js';
import { savePostureScan } from '../store/repos/posture.js';
import { collectedScanInput, saveCollectedScan } from '../store/repos/postureTargetsSave.js';
import { ensureProject } from '../store/repos/projects.js';
import { VERSION } from '../version.js';
import { DEMO_ACTOR } from './load-projects.js';
import type { DemoPlan, DemoTarget } from './plan.js';

export interface PostureCounts {
  scans: number;
  skippedScans: number;
  findings: number;
  targetScans: number;
  skippedTargetScans: number;
  targets: number;
}

/** A digest of what a scan found (not of when): equal for equal results. */
function digestOf(target: string, findings: readonly PostureFinding[], resources: number): string {
  const h = createHash('sha256').update(`${target}\n${resources}\n`);
  for (const f of findings) h.update(`${f.ruleId}|${f.status}|${f.resource.id}|${f.location.file}:${f.location.line}\n`);
  return h.digest('hex');
}

async function stored(q: Queryable, sha256: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM posture_scans WHERE document_sha256 = $1 LIMIT 1', [sha256]);
  return rows.length > 0;
}

/** The recordings of several folders as one collection of the account (resources and gaps together). */
function merge(results: readonly CollectResult[]): CollectResult | undefined {
  const first = results[0];
  if (!first) return undefined;
  const seen = new Set<string>();
  const resources = results.flatMap((r) => r.resources).filter((r) => !seen.has(r.id) && seen.add(r.id));
  const regions = [...new Set(results.flatMap((r) => r.target.regions ?? []))].sort();
  return {
    target: { ...first.target, regions },
    resources,
    gaps: results.flatMap((r) => r.gaps),
    stats: { ms: results.reduce((n, r) => n + r.stats.ms, 0), calls: results.reduce((n, r) => n + r.stats.calls, 0), retries: results.reduce((n, r) => n + r.stats.retries, 0) },
  };
}

/** Each scan of a target, collected from its recordings (offline; no network). */
async function collect(t: DemoTarget): Promise<CollectResult[]> {
  switch (t.provider) {
    case 'aws': {
      const { collectAws } = await import('../posture/collectors/aws/index.js');
      const out: CollectResult[] = [];
      for (const dirs of t.scans) {
        const parts: CollectResult[] = [];
        for (const d of dirs) parts.push(...(await collectAws({ recordings: d })));
        // Recordings of several accounts would be several targets: keep the first account's.
        const account = parts[0]?.target.id;
        const merged = merge(parts.filter((p) => p.target.id === account));
        if (merged) out.push(merged);
      }
      return out;
    }
    case 'azure': {
      const { azureCollector } = await import('../posture/collectors/azure/index.js');
      return azureCollector.collect({ recordings: [t.recordings] });
    }
    case 'gcp': {
      const { gcpCollector } = await import('../posture/collectors/gcp/index.js');
      return gcpCollector.collect({ recordings: [t.recordings] });
    }
    case 'kubernetes': {
      const { collectKubernetes } = await import('../posture/collectors/kubernetes/index.js');
      return [await collectKubernetes({ snapshot: t.snapshot, name: t.name })];
    }
  }
}

export async function loadPosture(db: Database, tenantId: string, plan: DemoPlan, say: (line: string) => void): Promise<PostureCounts> {
  const counts: PostureCounts = { scans: 0, skippedScans: 0, findings: 0, targetScans: 0, skippedTargetScans: 0, targets: 0 };
  const [{ scanPosture }, { BUILTIN_RULES }, { rulesVersionOf }, { analyseCollected }] = await Promise.all([
    import('../posture/scan.js'),
    import('../posture/rules/registry.js'),
    import('../posture/rules/version.js'),
    import('../posture/collectors/analyse.js'),
  ]);
  const rules: readonly Rule[] = BUILTIN_RULES;
  const rulesVersion = rulesVersionOf(VERSION, rules);
  for (const s of plan.postureScans) {
    const report = await scanPosture(s.paths);
    const sha = digestOf(`${s.project}:${report.target}`, report.findings, report.resources);
    const saved = await db.tenant(tenantId, async (q) => {
      if (await stored(q, sha)) return false;
      const { project } = await ensureProject(q, tenantId, s.project, s.kind);
      await savePostureScan(q, tenantId, project.id, {
        source: 'cli',
        target: s.project,
        files: report.files,
        resources: report.resources,
        findings: report.findings,
        errors: report.errors,
        rulesVersion,
        documentSha256: sha,
        createdBy: DEMO_ACTOR,
      });
      return true;
    });
    if (saved) {
      counts.scans++;
      counts.findings += report.findings.length;
    } else counts.skippedScans++;
    say(`posture scan of ${s.project}: ${report.files} file(s), ${report.resources} resource(s), ${report.findings.length} finding(s)${saved ? '' : ' (already stored)'}`);
  }
  const targets = new Set<string>();
  for (const t of plan.targets) {
    for (const result of await collect(t)) {
      const scan: CollectedScan = analyseCollected(result, rules);
      const sha = digestOf(`${result.target.provider}:${result.target.id}`, scan.report.findings, result.resources.length);
      targets.add(`${result.target.provider}:${result.target.id}`);
      const saved = await db.tenant(tenantId, async (q) => {
        if (await stored(q, sha)) return false;
        await saveCollectedScan(q, tenantId, { ...collectedScanInput(scan, result.resources, { rulesVersion, createdBy: DEMO_ACTOR }), documentSha256: sha });
        return true;
      });
      if (saved) counts.targetScans++;
      else counts.skippedTargetScans++;
      say(`${result.target.provider} ${result.target.name}: ${result.resources.length} resource(s), ${scan.report.findings.length} finding(s), risk ${scan.scores.risk}/10${saved ? '' : ' (already stored)'}`);
    }
  }
  counts.targets = targets.size;
  return counts;
}
