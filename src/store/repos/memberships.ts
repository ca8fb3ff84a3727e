import type { Role } from '../../core/roles.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';

/**
 * Tenant memberships (migration 015): a user of one home tenant holding a role in another.
 * Functions marked "tenant door" run under row-level security in the membership's tenant;
 * those marked "system door" read across tenants and are used only by src/auth, each for one
 * narrow question (ADR 0003).
 */

interface MembershipRow {
  id: string;
  tenant_id: string;
  email: string;
  user_id: string | null;
  role: Role;
  created_at: Date;
  created_by_label: string;
  last_switched_at: Date | null;
}

/**
 * A membership as the tenant's admins see it. No user id and no name: both would tell a
 * B admin whether the email has an account somewhere. `lastSwitchedAt` says it is in use only
 * once the member chose to switch in.
 */
export interface Membership {
  readonly id: string;
  readonly email: string;
  readonly role: Role;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastSwitchedAt: string | null;
}

const toMembership = (r: MembershipRow): Membership => ({
  id: r.id,
  email: r.email,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  createdBy: r.created_by_label,
  lastSwitchedAt: r.last_switched_at?.toISOString() ?? null,
});

export const MEMBERSHIP_SORT: Record<string, SortColumn> = {
  createdAt: { column: 'created_at', cast: 'timestamptz' },
  email: { column: 'email', cast: 'text' },
};

export interface NewMembership {
  readonly tenantId: string;
  readonly email: string;
  readonly userId: string | null;
  readonly role: Role;
  readonly createdBy: string | null;
  readonly createdByLabel: string;
}

/** Tenant door. Throws a unique violation when the email already has a membership here. */
export async function insertMembership(q: Queryable, m: NewMembership): Promise<Membership> {
  const { rows } = await q.query<MembershipRow>(
    `INSERT INTO tenant_memberships (tenant_id, email, user_id, role, created_by, created_by_label)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [m.tenantId, m.email.toLowerCase(), m.userId, m.role, m.createdBy, m.createdByLabel.slice(0, 320)],
  );
  return toMembership(rows[0]!);
}

/** Tenant door. */
export async function listMemberships(q: Queryable, page: PageRequest): Promise<Page<Membership>> {
  const ks = keyset(page, MEMBERSHIP_SORT, 1);
  const { rows } = await q.query<MembershipRow & { sort_key: string }>(
    `SELECT *, ${ks.sortKey} AS sort_key FROM tenant_memberships WHERE ${ks.where} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    ks.params,
  );
  const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
  return toPage(rows.map(toMembership), page, (x) => keys.get(x.id));
}

/** Tenant door: the membership and the user it is bound to (null when none). */
export async function getMembership(q: Queryable, id: string): Promise<(Membership & { readonly userId: string | null }) | undefined> {
  const { rows } = await q.query<MembershipRow>('SELECT * FROM tenant_memberships WHERE id = $1', [id]);
  const r = rows[0];
  return r && { ...toMembership(r), userId: r.user_id };
}

/** Tenant door. */
export async function setMembershipRole(q: Queryable, id: string, role: Role): Promise<Membership | undefined> {
  const { rows } = await q.query<MembershipRow>('UPDATE tenant_memberships SET role = $2 WHERE id = $1 RETURNING *', [id, role]);
  return rows[0] && toMembership(rows[0]);
}

/** Tenant door: deletes the membership and revokes every session it granted in this tenant. */
export async function deleteMembership(q: Queryable, id: string): Promise<{ revokedSessions: number } | undefined> {
  const { rows } = await q.query<{ user_id: string | null }>('DELETE FROM tenant_memberships WHERE id = $1 RETURNING user_id', [id]);
  const r = rows[0];
  if (!r) return undefined;
  if (r.user_id === null) return { revokedSessions: 0 };
  // RLS on sessions limits this to the sessions in this tenant: the home tenant's stay.
  const { rowCount } = await q.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [r.user_id]);
  return { revokedSessions: rowCount };
}

/** Tenant door: is this email a user whose home is the current tenant? */
export async function isHomeUserEmail(q: Queryable, email: string): Promise<boolean> {
  const { rows } = await q.query('SELECT 1 FROM users WHERE email = $1', [email.toLowerCase()]);
  return rows.length > 0;
}

/** Tenant door: records that the member switched into the current tenant. */
export async function touchMembership(q: Queryable, userId: string): Promise<void> {
  await q.query('UPDATE tenant_memberships SET last_switched_at = now() WHERE user_id = $1', [userId]);
}

// ---- System door: narrow cross-tenant questions, for src/auth only. ----

/** System door: the id of the account with this email and its home tenant, if any. Nothing else. */
export async function findAccountByEmail(q: Queryable, email: string): Promise<{ userId: string; homeTenantId: string } | undefined> {
  const { rows } = await q.query<{ id: string; tenant_id: string }>('SELECT id, tenant_id FROM users WHERE email = $1', [email.toLowerCase()]);
  const r = rows[0];
  return r && { userId: r.id, homeTenantId: r.tenant_id };
}

/** Who a live session speaks for, in the session's tenant. */
export interface SessionPrincipal {
  readonly userId: string;
  readonly email: string;
  readonly homeTenantId: string;
  /** The home role in the home tenant, the membership's role elsewhere. */
  readonly role: Role;
  readonly mustChangePassword: boolean;
}

/**
 * System door: the principal behind a session, or undefined when the session is revoked or
 * expired, the user disabled, or (for a session in another tenant than the user's home) the
 * membership removed. One indexed lookup per request, like the tenant-door check it replaces.
 */
export async function sessionPrincipal(q: Queryable, s: { sessionId: string; userId: string; tenantId: string }): Promise<SessionPrincipal | undefined> {
  const { rows } = await q.query<{ id: string; email: string; tenant_id: string; must_change_password: boolean; role: Role }>(
    `SELECT u.id, u.email, u.tenant_id, u.must_change_password,
            CASE WHEN u.tenant_id = s.tenant_id THEN u.role ELSE m.role END AS role
       FROM sessions s
       JOIN users u ON u.id = s.user_id
       LEFT JOIN tenant_memberships m ON m.user_id = s.user_id AND m.tenant_id = s.tenant_id
      WHERE s.id = $1 AND s.user_id = $2 AND s.tenant_id = $3
        AND s.revoked_at IS NULL AND s.expires_at > now() AND NOT u.disabled
        AND (u.tenant_id = s.tenant_id OR m.id IS NOT NULL)`,
    [s.sessionId, s.userId, s.tenantId],
  );
  const r = rows[0];
  return r && { userId: r.id, email: r.email, homeTenantId: r.tenant_id, role: r.role, mustChangePassword: r.must_change_password };
}

/** One tenant a user may work in. */
export interface UserTenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly role: Role;
  readonly home: boolean;
}

/** System door: the enabled user's home tenant and the tenants it is a member of (home first, then by name). */
export async function tenantsOfUser(q: Queryable, userId: string): Promise<UserTenant[]> {
  const { rows } = await q.query<{ id: string; slug: string; name: string; role: Role; home: boolean }>(
    `SELECT t.id, t.slug, t.name, u.role, true AS home
       FROM users u JOIN tenants t ON t.id = u.tenant_id
      WHERE u.id = $1 AND NOT u.disabled
     UNION ALL
     SELECT t.id, t.slug, t.name, m.role, false AS home
       FROM tenant_memberships m JOIN tenants t ON t.id = m.tenant_id JOIN users u ON u.id = m.user_id
      WHERE m.user_id = $1 AND NOT u.disabled AND m.tenant_id <> u.tenant_id
     ORDER BY home DESC, name, id
     LIMIT 1000`,
    [userId],
  );
  return rows.map((r) => ({ id: r.id, slug: r.slug, name: r.name, role: r.role, home: r.home }));
}

/** System door: the role this enabled user holds in this tenant (home or membership), or undefined. */
export async function accessTo(q: Queryable, userId: string, tenantId: string): Promise<{ role: Role; home: boolean; email: string } | undefined> {
  const { rows } = await q.query<{ role: Role; home: boolean; email: string }>(
    `SELECT CASE WHEN u.tenant_id = $2 THEN u.role ELSE m.role END AS role, u.tenant_id = $2 AS home, u.email
       FROM users u
       LEFT JOIN tenant_memberships m ON m.user_id = u.id AND m.tenant_id = $2
      WHERE u.id = $1 AND NOT u.disabled AND (u.tenant_id = $2 OR m.id IS NOT NULL)`,
    [userId, tenantId],
  );
  return rows[0];
}

/** System door: revokes the user's sessions in every tenant (password change, disabled). */
export async function revokeSessionsEverywhere(q: Queryable, userId: string): Promise<number> {
  const { rowCount } = await q.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  return rowCount;
}

/** System door: revokes one session whatever its tenant (a refresh that found its grant gone). */
export async function revokeSessionById(q: Queryable, sessionId: string): Promise<void> {
  await q.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
}
