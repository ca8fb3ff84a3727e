/**
 * The event outbox (table `events`): what happened to a tenant's findings, written in the same
 * transaction as the change. Notification channels and GET /api/v1/events read it in order.
 */
import type { Queryable } from '../db.js';
import type { Page, PageRequest } from '../paging.js';
import { VigilError } from '../../core/errors.js';

export const EVENT_TYPES = ['finding.created', 'finding.fixed', 'finding.reopened', 'finding.triaged', 'finding.risk_expired', 'sla.breached'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface EventInput {
  readonly type: EventType;
  subject: string;
  readonly payload: Record<string, unknown>;
  /** Internal: index of a row inserted in the same batch whose id becomes the subject. */
  readonly idx?: number | undefined;
}

export interface StoredEvent {
  readonly id: string;
  readonly type: string;
  readonly subject: string;
  readonly payload: unknown;
  readonly createdAt: string;
}

export async function emitEvents(q: Queryable, tenantId: string, events: readonly EventInput[]): Promise<void> {
  const CHUNK = 5000;
  for (let i = 0; i < events.length; i += CHUNK) {
    await q.query(
      `INSERT INTO events (tenant_id, type, subject, payload)
       SELECT $1, x.type, x.subject, x.payload FROM json_to_recordset($2::json) AS x(type text, subject text, payload jsonb)`,
      [tenantId, JSON.stringify(events.slice(i, i + CHUNK).map((e) => ({ type: e.type, subject: e.subject, payload: e.payload })))],
    );
  }
}

/** Events in order (oldest first), after an optional cursor; filter by type prefix. */
export async function listEvents(q: Queryable, filter: { type?: string | undefined }, page: Pick<PageRequest, 'limit' | 'cursor'>): Promise<Page<StoredEvent>> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.type) {
    params.push(`${filter.type.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`type LIKE $${params.length}`);
  }
  if (page.cursor) {
    params.push(decodeEventCursor(page.cursor));
    where.push(`id > $${params.length}::bigint`);
  }
  params.push(page.limit + 1);
  const { rows } = await q.query<{ id: string; type: string; subject: string; payload: unknown; created_at: Date | string }>(
    `SELECT id::text AS id, type, subject, payload, created_at FROM events ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id LIMIT $${params.length}`,
    params,
  );
  const more = rows.length > page.limit;
  const items = (more ? rows.slice(0, page.limit) : rows).map((r) => ({ id: r.id, type: r.type, subject: r.subject, payload: r.payload, createdAt: new Date(r.created_at).toISOString() }));
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? Buffer.from(`e:${last.id}`).toString('base64url') : null };
}

function decodeEventCursor(cursor: string): string {
  const s = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!/^e:\d{1,19}$/.test(s)) {
    throw new VigilError('validation', 'invalid cursor', { errors: [{ pointer: '/querystring/cursor', detail: 'expected a cursor returned as nextCursor by this list' }] });
  }
  return s.slice(2);
}
