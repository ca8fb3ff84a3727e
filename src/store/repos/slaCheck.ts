import type { Queryable } from '../db.js';

/**
 * Across tenants (system transaction): findings past their due date get `sla_breached_at`
 * and one `sla.breached` event each; accepted risks whose expiry passed go back to `open`
 * with a `finding.risk_expired` event and a history entry. Idempotent.
 */
export async function checkSla(q: Queryable): Promise<{ breached: number; expired: number }> {
  const { rows: breached } = await q.query<{ id: string; tenant_id: string; project_id: string; vuln_id: string; package_purl: string; severity: string; sla_due_at: Date }>(
    `UPDATE findings SET sla_breached_at = now()
      WHERE state IN ('open', 'in_triage') AND sla_due_at < now() AND sla_breached_at IS NULL
      RETURNING id, tenant_id, project_id, vuln_id, package_purl, severity, sla_due_at`,
  );
  if (breached.length > 0) {
    await q.query(
      `INSERT INTO events (tenant_id, type, subject, payload)
       SELECT x.tenant_id, 'sla.breached', x.id::text, x.payload FROM json_to_recordset($1::json) AS x(tenant_id uuid, id uuid, payload jsonb)`,
      [
        JSON.stringify(
          breached.map((b) => ({
            tenant_id: b.tenant_id,
            id: b.id,
            payload: { findingId: b.id, projectId: b.project_id, vulnId: b.vuln_id, purl: b.package_purl, severity: b.severity, dueAt: new Date(b.sla_due_at).toISOString() },
          })),
        ),
      ],
    );
  }
  const { rows: expired } = await q.query<{ id: string; tenant_id: string; project_id: string; vuln_id: string; package_purl: string }>(
    `UPDATE findings SET state = 'open', triage_state = NULL
      WHERE state = 'accepted_risk' AND triage_expires_at IS NOT NULL AND triage_expires_at <= now()
      RETURNING id, tenant_id, project_id, vuln_id, package_purl`,
  );
  if (expired.length > 0) {
    const json = JSON.stringify(expired.map((e) => ({ tenant_id: e.tenant_id, id: e.id, payload: { findingId: e.id, projectId: e.project_id, vulnId: e.vuln_id, purl: e.package_purl } })));
    await q.query(
      `INSERT INTO finding_events (tenant_id, finding_id, actor, from_state, to_state, reason)
       SELECT x.tenant_id, x.id, 'system:sla', 'accepted_risk', 'open', 'the risk acceptance expired' FROM json_to_recordset($1::json) AS x(tenant_id uuid, id uuid)`,
      [json],
    );
    await q.query(
      `INSERT INTO events (tenant_id, type, subject, payload)
       SELECT x.tenant_id, 'finding.risk_expired', x.id::text, x.payload FROM json_to_recordset($1::json) AS x(tenant_id uuid, id uuid, payload jsonb)`,
      [json],
    );
  }
  return { breached: breached.length, expired: expired.length };
}
