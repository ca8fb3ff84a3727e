import type { Role } from '../../core/roles.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  prefix: string;
  key_hash: Uint8Array;
  role: Role;
  created_by: string | null;
  created_at: Date;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
}

/** An API key as listed: the prefix identifies it; the secret is never stored or shown again. */
export interface ApiKey {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly prefix: string;
  readonly role: Role;
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly expiresAt: string | null;
  readonly revokedAt: string | null;
  readonly lastUsedAt: string | null;
}

export interface ApiKeyWithHash extends ApiKey {
  readonly keyHash: Uint8Array;
}

const toKey = (r: ApiKeyRow): ApiKey => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  prefix: r.prefix,
  role: r.role,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
});

export const API_KEY_SORT: Record<string, SortColumn> = {
  createdAt: { column: 'created_at', cast: 'timestamptz' },
  name: { column: 'name', cast: 'text' },
};

export interface NewApiKeyRow {
  readonly tenantId: string;
  readonly name: string;
  readonly prefix: string;
  readonly keyHash: Uint8Array;
  readonly role: Role;
  readonly createdBy: string | null;
  readonly expiresAt: Date | null;
}

export async function insertApiKey(q: Queryable, k: NewApiKeyRow): Promise<ApiKey> {
  const { rows } = await q.query<ApiKeyRow>(
    `INSERT INTO api_keys (tenant_id, name, prefix, key_hash, role, created_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
    [k.tenantId, k.name, k.prefix, k.keyHash, k.role, k.createdBy, k.expiresAt],
  );
  return toKey(rows[0]!);
}

/** System door: the tenant is not known until the key is found. */
export async function findApiKeyByPrefix(q: Queryable, prefix: string): Promise<ApiKeyWithHash | undefined> {
  const { rows } = await q.query<ApiKeyRow>('SELECT * FROM api_keys WHERE prefix = $1', [prefix]);
  const r = rows[0];
  return r && { ...toKey(r), keyHash: r.key_hash };
}

/** Records use, at most once a minute per key so that hot keys do not write on every call. */
export async function touchApiKey(q: Queryable, id: string): Promise<void> {
  await q.query(
    "UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [id],
  );
}

export async function getApiKey(q: Queryable, id: string): Promise<ApiKey | undefined> {
  const { rows } = await q.query<ApiKeyRow>('SELECT * FROM api_keys WHERE id = $1', [id]);
  return rows[0] && toKey(rows[0]);
}

export interface ApiKeyFilter {
  readonly role?: Role | undefined;
  readonly active?: boolean | undefined;
}

export async function listApiKeys(q: Queryable, filter: ApiKeyFilter, page: PageRequest): Promise<Page<ApiKey>> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.role) where.push(`role = $${params.push(filter.role)}`);
  if (filter.active === true) where.push('revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())');
  if (filter.active === false) where.push('(revoked_at IS NOT NULL OR expires_at <= now())');
  const ks = keyset(page, API_KEY_SORT, params.length + 1);
  params.push(...ks.params);
  const { rows } = await q.query<ApiKeyRow & { sort_key: string }>(
    `SELECT *, ${ks.sortKey} AS sort_key FROM api_keys WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
  return toPage(rows.map(toKey), page, (x) => keys.get(x.id));
}

export async function revokeApiKey(q: Queryable, id: string): Promise<ApiKey | undefined> {
  const { rows } = await q.query<ApiKeyRow>(
    'UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING *',
    [id],
  );
  return rows[0] && toKey(rows[0]);
}
