import type { Role } from '../../core/roles.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';

interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  must_change_password: boolean;
  created_at: Date;
  updated_at: Date;
  last_login_at: Date | null;
}

/** A user as the API shows it: never the password hash. */
export interface User {
  readonly id: string;
  readonly tenantId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly mustChangePassword: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastLoginAt: string | null;
}

export interface UserWithHash extends User {
  readonly passwordHash: string;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  tenantId: r.tenant_id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: r.disabled,
  mustChangePassword: r.must_change_password,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
});

export const USER_SORT: Record<string, SortColumn> = {
  createdAt: { column: 'created_at', cast: 'timestamptz' },
  email: { column: 'email', cast: 'text' },
};

export interface NewUser {
  readonly tenantId: string;
  readonly email: string;
  readonly name?: string | undefined;
  readonly passwordHash: string;
  readonly role: Role;
  readonly mustChangePassword?: boolean;
}

export async function insertUser(q: Queryable, u: NewUser): Promise<User> {
  const { rows } = await q.query<UserRow>(
    `INSERT INTO users (tenant_id, email, name, password_hash, role, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
    [u.tenantId, u.email.toLowerCase(), u.name ?? '', u.passwordHash, u.role, u.mustChangePassword ?? false],
  );
  return toUser(rows[0]!);
}

/** System door, for login: finds a user in any tenant by email. */
export async function findUserForLogin(q: Queryable, email: string): Promise<UserWithHash | undefined> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]);
  const r = rows[0];
  return r && { ...toUser(r), passwordHash: r.password_hash };
}

export async function getUser(q: Queryable, id: string): Promise<User | undefined> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  return rows[0] && toUser(rows[0]);
}

export async function getUserWithHash(q: Queryable, id: string): Promise<UserWithHash | undefined> {
  const { rows } = await q.query<UserRow>('SELECT * FROM users WHERE id = $1', [id]);
  const r = rows[0];
  return r && { ...toUser(r), passwordHash: r.password_hash };
}

export interface UserFilter {
  readonly role?: Role | undefined;
  readonly email?: string | undefined;
  readonly disabled?: boolean | undefined;
}

export async function listUsers(q: Queryable, filter: UserFilter, page: PageRequest): Promise<Page<User>> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.role) where.push(`role = $${params.push(filter.role)}`);
  if (filter.email) where.push(`email LIKE $${params.push(`%${filter.email.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`)}`);
  if (filter.disabled !== undefined) where.push(`disabled = $${params.push(filter.disabled)}`);
  const ks = keyset(page, USER_SORT, params.length + 1);
  params.push(...ks.params);
  const { rows } = await q.query<UserRow & { sort_key: string }>(
    `SELECT *, ${ks.sortKey} AS sort_key FROM users WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
  return toPage(rows.map(toUser), page, (x) => keys.get(x.id));
}

export interface UserPatch {
  readonly name?: string | undefined;
  readonly role?: Role | undefined;
  readonly disabled?: boolean | undefined;
  readonly passwordHash?: string | undefined;
  readonly mustChangePassword?: boolean | undefined;
}

export async function updateUser(q: Queryable, id: string, p: UserPatch): Promise<User | undefined> {
  const sets: string[] = [];
  const params: unknown[] = [id];
  if (p.name !== undefined) sets.push(`name = $${params.push(p.name)}`);
  if (p.role !== undefined) sets.push(`role = $${params.push(p.role)}`);
  if (p.disabled !== undefined) sets.push(`disabled = $${params.push(p.disabled)}`);
  if (p.passwordHash !== undefined) sets.push(`password_hash = $${params.push(p.passwordHash)}`);
  if (p.mustChangePassword !== undefined) sets.push(`must_change_password = $${params.push(p.mustChangePassword)}`);
  sets.push('updated_at = now()');
  const { rows } = await q.query<UserRow>(`UPDATE users SET ${sets.join(', ')} WHERE id = $1 RETURNING *`, params);
  return rows[0] && toUser(rows[0]);
}

export async function deleteUser(q: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await q.query('DELETE FROM users WHERE id = $1', [id]);
  return rowCount > 0;
}

export async function countAdmins(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin' AND NOT disabled");
  return rows[0]?.n ?? 0;
}

export async function countAllUsers(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]?.n ?? 0;
}

export async function touchLogin(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE users SET last_login_at = now() WHERE id = $1', [id]);
}
