import type { Queryable } from '../db.js';

export interface SessionRow {
  id: string;
  tenant_id: string;
  user_id: string;
  expires_at: Date;
  revoked_at: Date | null;
}

export async function insertSession(
  q: Queryable,
  s: { tenantId: string; userId: string; refreshHash: Uint8Array; expiresAt: Date; userAgent?: string | undefined; ip?: string | undefined },
): Promise<string> {
  const { rows } = await q.query<{ id: string }>(
    `INSERT INTO sessions (tenant_id, user_id, refresh_hash, expires_at, user_agent, ip)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [s.tenantId, s.userId, s.refreshHash, s.expiresAt, s.userAgent?.slice(0, 500) ?? null, s.ip ?? null],
  );
  return rows[0]!.id;
}

/**
 * System door: rotates a refresh token. Returns the session only if the presented token is
 * current, unexpired and unrevoked; the old token stops working at once. A revoked session's
 * token presented again is a sign of theft, so the caller gets nothing either way.
 */
export async function rotateRefresh(q: Queryable, oldHash: Uint8Array, newHash: Uint8Array, expiresAt: Date): Promise<SessionRow | undefined> {
  const { rows } = await q.query<SessionRow>(
    `UPDATE sessions SET refresh_hash = $2, refreshed_at = now(), expires_at = $3
      WHERE refresh_hash = $1 AND revoked_at IS NULL AND expires_at > now()
      RETURNING id, tenant_id, user_id, expires_at, revoked_at`,
    [oldHash, newHash, expiresAt],
  );
  return rows[0];
}

/** Tenant door: is this session (from an access token) still live, and its user enabled? */
export async function sessionIsActive(q: Queryable, sessionId: string, userId: string): Promise<boolean> {
  const { rows } = await q.query<{ ok: boolean }>(
    `SELECT true AS ok FROM sessions s JOIN users u ON u.id = s.user_id
      WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled`,
    [sessionId, userId],
  );
  return rows.length > 0;
}

export async function revokeSession(q: Queryable, sessionId: string): Promise<boolean> {
  const { rowCount } = await q.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
  return rowCount > 0;
}

export async function revokeUserSessions(q: Queryable, userId: string): Promise<number> {
  const { rowCount } = await q.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  return rowCount;
}

/** System door: removes sessions that expired or were revoked more than a day ago. */
export async function purgeSessions(q: Queryable): Promise<number> {
  const { rowCount } = await q.query(
    "DELETE FROM sessions WHERE expires_at < now() - interval '1 day' OR revoked_at < now() - interval '1 day'",
  );
  return rowCount;
}
