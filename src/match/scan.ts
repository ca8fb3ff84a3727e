/**
 * A scan: an inventory matched against the local advisory database, with .vigilignore
 * entries and VEX statements applied, as the ScanReport every output format renders. Used by
 * `vigil scan` and `POST /api/v1/scan`.
 */
import type { Inventory } from '../inventory/model.js';
import type { Queryable } from '../store/db.js';
import { VERSION } from '../version.js';
import { schemeForEcosystem } from '../versions/registry.js';
import { matchInventory } from './engine.js';
import { applyIgnores } from './ignore/apply.js';
import type { IgnoreEntry } from './ignore/model.js';
import type { ScanReport } from './model.js';
import type { Criticality } from './risk.js';
import { applyVex } from './vex/apply.js';
import type { VexStatement } from './vex/model.js';

export interface ScanOptions {
  /** What the user named (a path, an image, an upload's file name). */
  readonly target: string;
  readonly criticality?: Criticality | undefined;
  readonly ignore?: readonly IgnoreEntry[] | undefined;
  readonly vex?: readonly VexStatement[] | undefined;
  /** Identifiers of the scanned product, for VEX statements about the product itself. */
  readonly product?: readonly string[] | undefined;
  /** Also match by CPE the packages no ecosystem advisory covers (low confidence). */
  readonly cpe?: boolean | undefined;
  readonly now?: Date | undefined;
}

export interface ScanOutcome {
  readonly report: ScanReport;
  /** Expired ignore entries and the like: for stderr. */
  readonly warnings: string[];
  readonly suppressed: number;
  readonly durationMs: number;
}

/** The advisory database is empty: a scan would pass without having checked anything. */
export class EmptyDatabaseError extends Error {
  constructor() {
    super('the advisory database is empty: import advisories first (vigil db sync, or vigil db import FILES)');
    this.name = 'EmptyDatabaseError';
  }
}

/** When the newest advisory in the store was modified (null: the store is empty). */
export async function databaseUpdatedAt(q: Queryable): Promise<string | null> {
  const { rows } = await q.query<{ m: Date | string | null }>(`SELECT max(modified) AS m FROM advisories`);
  const m = rows[0]?.m ?? null;
  return m === null ? null : new Date(m).toISOString();
}

/** Compares two versions of an ecosystem with its scheme (for fix advice), undefined when it cannot. */
export function compareVersions(ecosystem: string, a: string, b: string): number | undefined {
  const s = schemeForEcosystem(ecosystem);
  if (!s) return undefined;
  const pa = s.parse(a);
  const pb = s.parse(b);
  return pa === undefined || pb === undefined ? undefined : s.compare(pa, pb);
}

export async function scanInventory(q: Queryable, inv: Inventory, opts: ScanOptions): Promise<ScanOutcome> {
  const t0 = performance.now();
  const updatedAt = await databaseUpdatedAt(q);
  if (updatedAt === null) throw new EmptyDatabaseError();
  const result = await matchInventory(q, inv, { criticality: opts.criticality, cpe: opts.cpe });
  let findings = result.findings;
  const warnings: string[] = [];
  let suppressed = 0;
  if (opts.ignore && opts.ignore.length > 0) {
    const r = applyIgnores(findings, opts.ignore, opts.now ?? new Date());
    findings = r.findings;
    suppressed += r.suppressed;
    for (const e of r.expired) warnings.push(`${e.source}: ${e.message}`);
  }
  if (opts.vex && opts.vex.length > 0) {
    const r = applyVex(findings, opts.vex, { product: opts.product });
    findings = r.findings;
    suppressed += r.suppressed;
    for (const p of r.problems) warnings.push(`${p.source}: ${p.message}`);
  }
  const report: ScanReport = {
    target: opts.target,
    packages: inv.packages.length,
    findings,
    unassessed: result.unassessed,
    errors: inv.problems.filter((p) => p.severity === 'error').map((p) => ({ path: p.location.line ? `${p.location.file}:${p.location.line}` : p.location.file, reason: p.message })),
    tool: { name: 'vigil', version: VERSION },
    generatedAt: (opts.now ?? new Date()).toISOString(),
    databaseUpdatedAt: updatedAt,
  };
  return { report, warnings, suppressed, durationMs: performance.now() - t0 };
}
