import type { Logger } from 'pino';
import type { Database, Queryable } from '../store/db.js';
import { canonicalJson, GENESIS_HASH, recordHash, type ChainedFields } from './chain.js';
import type { AuditEntry, AuditLog } from './types.js';

// pg_advisory_xact_lock key serialising appends, so the chain has one order.
const AUDIT_LOCK = 7_415_260_002;

export interface AuditRecord {
  readonly seq: number;
  readonly occurredAt: string;
  readonly tenantId: string | null;
  readonly actorType: string;
  readonly actorId: string | null;
  readonly actorLabel: string;
  readonly action: string;
  readonly targetType: string | null;
  readonly targetId: string | null;
  readonly requestId: string | null;
  readonly ip: string | null;
  readonly outcome: string;
  readonly details: Record<string, unknown>;
  readonly hash: string;
}

export interface AuditRow {
  seq: string | number;
  occurred_at: Date;
  tenant_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  ip: string | null;
  outcome: string;
  details: string;
  prev_hash: string;
  hash: string;
}

export function rowToFields(r: AuditRow): ChainedFields {
  return {
    seq: Number(r.seq),
    occurredAt: r.occurred_at.toISOString(),
    tenantId: r.tenant_id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    requestId: r.request_id,
    ip: r.ip,
    outcome: r.outcome,
    details: r.details,
    prevHash: r.prev_hash,
  };
}

export function rowToRecord(r: AuditRow): AuditRecord {
  const f = rowToFields(r);
  let details: Record<string, unknown> = {};
  try {
    details = JSON.parse(r.details) as Record<string, unknown>;
  } catch {
    details = { unparseable: r.details };
  }
  return { ...f, details, hash: r.hash };
}

/** Appends one record to the chain, inside the given system transaction. */
export async function appendAudit(q: Queryable, e: AuditEntry, now = new Date()): Promise<ChainedFields & { hash: string }> {
  await q.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK]);
  const { rows } = await q.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1');
  const last = rows[0];
  const fields: ChainedFields = {
    seq: last ? Number(last.seq) + 1 : 1,
    // Millisecond precision, which a timestamptz round-trips exactly.
    occurredAt: new Date(Math.floor(now.getTime())).toISOString(),
    tenantId: e.tenantId,
    actorType: e.actorType,
    actorId: e.actorId,
    actorLabel: e.actorLabel.slice(0, 320),
    action: e.action.slice(0, 200),
    targetType: e.targetType ?? null,
    targetId: e.targetId ?? null,
    requestId: e.requestId ?? null,
    ip: e.ip ?? null,
    outcome: e.outcome,
    details: canonicalJson(e.details ?? {}),
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  const hash = recordHash(fields);
  await q.query(
    `INSERT INTO audit_log (seq, occurred_at, tenant_id, actor_type, actor_id, actor_label, action, target_type,
       target_id, request_id, ip, outcome, details, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
    [fields.seq, fields.occurredAt, fields.tenantId, fields.actorType, fields.actorId, fields.actorLabel, fields.action,
      fields.targetType, fields.targetId, fields.requestId, fields.ip, fields.outcome, fields.details, fields.prevHash, hash],
  );
  return { ...fields, hash };
}

/**
 * The audit log service. Appends go through the system door (the owner role): the
 * application role can only read its tenant's records, never write or change them.
 */
export function createAuditLog(db: Database, logger: Logger): AuditLog {
  return {
    async append(entry) {
      try {
        await db.system((q) => appendAudit(q, entry));
      } catch (err) {
        // Never silently: an audit write that fails is an error in the log and the caller sees it.
        logger.error({ err, action: entry.action }, 'audit append failed');
        throw err;
      }
    },
  };
}
