/**
 * Demo projects through the upload path (`POST /uploads`): each version's lockfile or SBOM is
 * put in the object store, read by the inventory readers, saved as a project version and matched
 * against the advisories, findings reconciled. A version "first seen" some days ago is matched
 * with that date as the clock (SLA due dates then fall in the past, as they would have). A
 * version without a file is the previous one with some vulnerable packages upgraded to their
 * first fixed version. Triage decisions go through the triage repository. A version already
 * stored is left as it is, so a second run adds nothing.
 */
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { matchKey } from '../core/ecosystem.js';
import type { Inventory, Package } from '../inventory/model.js';
import { scanPath } from '../inventory/scan.js';
import { matchInventory } from '../match/engine.js';
import { matchProjectVersion } from '../match/project.js';
import type { Database, Queryable } from '../store/db.js';
import type { ObjectStore } from '../store/objects.js';
import { getSlaPolicy, triageFindings } from '../store/repos/findingQueries.js';
import { syncFindings } from '../store/repos/findings.js';
import { ensureProject, getProject, updateProject } from '../store/repos/projects.js';
import { getVersion, loadInventory, saveVersion } from '../store/repos/projectVersions.js';
import type { DemoPlan, DemoProject, DemoTriage } from './plan.js';

export const DEMO_ACTOR = 'system:demo';
const DAY = 86_400_000;

export interface ProjectCounts {
  projects: number;
  versions: number;
  skippedVersions: number;
  findingsCreated: number;
  triaged: number;
}

interface Deps {
  readonly db: Database;
  readonly objects: ObjectStore;
  readonly uploadLimit: number;
  readonly say: (line: string) => void;
  readonly now?: Date | undefined;
}

async function existingVersion(q: Queryable, projectId: string, version: string): Promise<string | undefined> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM project_versions WHERE project_id = $1 AND version = $2', [projectId, version]);
  return rows[0]?.id;
}

/** Matches a version with `now` as the clock (first-seen dates and SLA due dates follow it). */
async function matchAt(db: Database, tenantId: string, projectId: string, versionId: string, now: Date): Promise<number> {
  return db.tenant(tenantId, async (q) => {
    const project = await getProject(q, projectId);
    const version = project ? await getVersion(q, projectId, versionId) : undefined;
    if (!project || !version) throw new Error(`demo: project ${projectId} version ${versionId} not found`);
    const inv = await loadInventory(q, version, project.name);
    const result = await matchInventory(q, inv, { criticality: project.criticality });
    const counts = await syncFindings(q, { tenantId, projectId, versionId, findings: result.findings, policy: await getSlaPolicy(q), actor: DEMO_ACTOR, now });
    return counts.created;
  });
}

function withVersion(p: Package, version: string): Package {
  let purl = p.purl;
  try {
    const u = PackageURL.fromString(p.purl);
    purl = new PackageURL(u.type, u.namespace, u.name, version, u.qualifiers, u.subpath).toString();
  } catch {
    // An unparsable purl stays as it was; the matcher keys on ecosystem and name.
  }
  return { ...p, version, purl };
}

/**
 * The inventory with every other fixable package (by name, sorted) at its first fixed version:
 * what a partial dependency upgrade gives. Pure.
 */
export function upgradeSome(inv: Inventory, fixes: ReadonlyMap<string, string>): Inventory {
  const chosen = new Set([...fixes.keys()].sort().filter((_, i) => i % 2 === 0));
  const packages = inv.packages.map((p) => {
    const to = fixes.get(matchKey(p.ecosystem, p.name));
    return to !== undefined && chosen.has(matchKey(p.ecosystem, p.name)) ? withVersion(p, to) : p;
  });
  return { ...inv, packages };
}

async function fixesOf(q: Queryable, projectId: string): Promise<Map<string, string>> {
  const { rows } = await q.query<{ package_key: string; fixed_version: string }>(
    `SELECT DISTINCT ON (package_key) package_key, fixed_version FROM findings
      WHERE project_id = $1 AND state <> 'fixed' AND fixed_version IS NOT NULL ORDER BY package_key, fixed_version`,
    [projectId],
  );
  return new Map(rows.map((r) => [r.package_key, r.fixed_version]));
}

async function loadProject(deps: Deps, tenantId: string, p: DemoProject, counts: ProjectCounts): Promise<void> {
  const { db } = deps;
  const now = deps.now ?? new Date();
  const project = await db.tenant(tenantId, async (q) => {
    const { project: row, created } = await ensureProject(q, tenantId, p.name, p.kind);
    if (created) await updateProject(q, row.id, { description: p.description, criticality: p.criticality });
    return row;
  });
  counts.projects++;
  let previous: Inventory | undefined;
  let previousId: string | undefined;
  for (const v of p.versions) {
    const existing = await db.tenant(tenantId, (q) => existingVersion(q, project.id, v.version));
    if (existing) {
      counts.skippedVersions++;
      previous = undefined;
      previousId = existing;
      continue;
    }
    let versionId: string;
    if (v.file !== undefined) {
      const stored = await deps.objects.put(tenantId, createReadStream(v.file), deps.uploadLimit);
      try {
        const name = basename(v.file);
        const inv = await scanPath(stored.path, { name });
        versionId = await db.tenant(tenantId, async (q) =>
          (await saveVersion(q, tenantId, project.id, v.version, inv, { document: { sha256: stored.sha256, name, bytes: stored.bytes }, createdBy: DEMO_ACTOR })).id,
        );
        previous = inv;
      } finally {
        await stored.release();
      }
    } else {
      const base =
        previous ??
        (previousId
          ? await db.tenant(tenantId, async (q) => {
              const pv = await getVersion(q, project.id, previousId!);
              return pv ? loadInventory(q, pv, p.name) : undefined;
            })
          : undefined);
      if (!base) throw new Error(`demo: ${p.name} ${v.version} derives from a previous version, and there is none`);
      const fixes = await db.tenant(tenantId, (q) => fixesOf(q, project.id));
      const inv = upgradeSome(base, fixes);
      versionId = await db.tenant(tenantId, async (q) => (await saveVersion(q, tenantId, project.id, v.version, inv, { createdBy: DEMO_ACTOR })).id);
      previous = inv;
    }
    previousId = versionId;
    counts.versions++;
    const age = v.ageDays ?? 0;
    counts.findingsCreated +=
      age > 0 ? await matchAt(db, tenantId, project.id, versionId, new Date(now.getTime() - age * DAY)) : (await matchProjectVersion(db, tenantId, project.id, versionId, DEMO_ACTOR)).created;
    deps.say(`project ${p.name} ${v.version}: stored and matched`);
  }
}

/** Applies a demo triage decision once: a project whose findings the demo already triaged is left alone. */
async function applyTriage(db: Database, tenantId: string, t: DemoTriage, now: Date): Promise<number> {
  return db.tenant(tenantId, async (q) => {
    const { rows } = await q.query<{ id: string; by_demo: boolean }>(
      `SELECT f.id, f.triage_by = $2 AS by_demo FROM findings f JOIN projects p ON p.id = f.project_id
        WHERE p.name = $1 AND (f.state IN ('open', 'in_triage') OR f.triage_by = $2) ORDER BY f.vuln_id, f.package_key, f.id`,
      [t.project, DEMO_ACTOR],
    );
    const open = rows.filter((r) => !r.by_demo);
    if (open.length === 0) return 0;
    const target = rows[t.pick % rows.length]!;
    if (target.by_demo) return 0;
    const expiresAt = t.expiresInDays !== undefined ? new Date(now.getTime() + t.expiresInDays * DAY).toISOString() : undefined;
    const changed = await triageFindings(q, tenantId, [target.id], { state: t.state, reason: t.reason, justification: t.justification, expiresAt }, DEMO_ACTOR);
    return changed.length;
  });
}

export async function loadProjects(deps: Deps, tenantId: string, plan: DemoPlan): Promise<ProjectCounts> {
  const counts: ProjectCounts = { projects: 0, versions: 0, skippedVersions: 0, findingsCreated: 0, triaged: 0 };
  for (const p of plan.projects) await loadProject(deps, tenantId, p, counts);
  const now = deps.now ?? new Date();
  for (const t of plan.triage) counts.triaged += await applyTriage(deps.db, tenantId, t, now);
  return counts;
}
