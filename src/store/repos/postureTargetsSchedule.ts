/**
 * Targets the server scans itself (migration 014): their collection settings and cron
 * schedule, registering one before its first scan, deleting one, and what the scheduler reads
 * (across tenants, system door) to fire due scans exactly once.
 */
import type { ScanConfig } from '../../posture/schedule/config.js';
import type { CollectorProvider } from '../../posture/collectors/types.js';
import type { Queryable } from '../db.js';
import { storable } from './posture.js';
import { getTarget, toSettings, type PostureTarget, type ScanSettings, type SettingsRow, type TargetFamily } from './postureTargets.js';

/** A target's scan settings (RLS: the tenant's own); undefined: no such target. */
export async function getScanSettings(q: Queryable, targetId: string): Promise<{ provider: CollectorProvider; externalId: string; settings: ScanSettings | null } | undefined> {
  const { rows } = await q.query<SettingsRow & { provider: CollectorProvider; external_id: string }>(
    'SELECT provider, external_id, scan_config, scan_cron, scan_fired_at FROM posture_targets WHERE id = $1',
    [targetId],
  );
  const r = rows[0];
  return r && { provider: r.provider, externalId: r.external_id, settings: toSettings(r) };
}

/**
 * Sets (or with null clears) a target's scan settings. Setting a schedule starts it from now:
 * a due time already past does not fire at once.
 */
export async function setScanSettings(q: Queryable, targetId: string, settings: { config: ScanConfig; cron: string | null } | null): Promise<ScanSettings | null | undefined> {
  const { rows } = await q.query<SettingsRow>(
    `UPDATE posture_targets SET scan_config = $2::jsonb, scan_cron = $3,
            scan_fired_at = CASE WHEN $3::text IS NULL THEN NULL
                                 WHEN scan_cron IS NOT DISTINCT FROM $3::text THEN scan_fired_at ELSE now() END
      WHERE id = $1 RETURNING scan_config, scan_cron, scan_fired_at`,
    [targetId, settings === null ? null : JSON.stringify(settings.config), settings?.cron ?? null],
  );
  const r = rows[0];
  return r === undefined ? undefined : toSettings(r);
}

/** Registers a target before its first scan (409 when the provider + id exists). */
export async function createTarget(
  q: Queryable,
  tenantId: string,
  family: TargetFamily,
  input: { provider: CollectorProvider; externalId: string; name: string | undefined; config: ScanConfig; cron: string | null },
): Promise<PostureTarget | undefined> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO posture_targets (tenant_id, provider, external_id, name, scan_config, scan_cron, scan_fired_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, CASE WHEN $6::text IS NULL THEN NULL ELSE now() END)
     ON CONFLICT (tenant_id, provider, external_id) DO NOTHING RETURNING id`,
    [tenantId, input.provider, storable(input.externalId).slice(0, 300), storable(input.name ?? input.externalId).slice(0, 300), JSON.stringify(input.config), input.cron],
  );
  const id = rows[0]?.id;
  return id === undefined ? undefined : getTarget(q, family, id);
}

/** Deletes a target with its scans, findings, control results and workloads; false: none such. */
export async function deleteTarget(q: Queryable, family: TargetFamily, targetId: string): Promise<boolean> {
  const providers = family === 'clusters' ? ['kubernetes'] : ['aws', 'azure', 'gcp'];
  const { rowCount } = await q.query('DELETE FROM posture_targets WHERE id = $1 AND provider = ANY($2::text[])', [targetId, providers]);
  return rowCount > 0;
}

export interface ScheduledTarget {
  readonly id: string;
  readonly tenantId: string;
  readonly cron: string;
  /** The last due time fired, or when the schedule was set. */
  readonly since: Date;
}

/** Every scheduled target of every tenant (system door). */
export async function scheduledTargets(q: Queryable): Promise<ScheduledTarget[]> {
  const { rows } = await q.query<{ id: string; tenant_id: string; scan_cron: string; since: Date | string }>(
    'SELECT id, tenant_id, scan_cron, COALESCE(scan_fired_at, created_at) AS since FROM posture_targets WHERE scan_cron IS NOT NULL',
  );
  return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, cron: r.scan_cron, since: new Date(r.since) }));
}

/** Moves a target's last fire to `fireAt` if no process did already; true: this caller fires it. */
export async function claimFire(q: Queryable, targetId: string, fireAt: Date): Promise<boolean> {
  const { rows } = await q.query(
    'UPDATE posture_targets SET scan_fired_at = $2 WHERE id = $1 AND scan_cron IS NOT NULL AND (scan_fired_at IS NULL OR scan_fired_at < $2) RETURNING id',
    [targetId, fireAt],
  );
  return rows.length > 0;
}
