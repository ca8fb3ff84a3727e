import type { Queryable } from '../db.js';

export interface TenantRow {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly created_at: Date;
}

export interface Tenant {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly createdAt: string;
}

export const toTenant = (r: TenantRow): Tenant => ({ id: r.id, slug: r.slug, name: r.name, createdAt: r.created_at.toISOString() });

/** System door: tenants are created by the CLI or on first start. */
export async function createTenant(q: Queryable, slug: string, name: string): Promise<Tenant> {
  const { rows } = await q.query<TenantRow>('INSERT INTO tenants (slug, name) VALUES ($1, $2) RETURNING *', [slug, name]);
  return toTenant(rows[0]!);
}

export async function findTenantBySlug(q: Queryable, slug: string): Promise<Tenant | undefined> {
  const { rows } = await q.query<TenantRow>('SELECT * FROM tenants WHERE slug = $1', [slug]);
  return rows[0] && toTenant(rows[0]);
}

/** Tenant door: RLS lets a tenant see only its own row. */
export async function currentTenant(q: Queryable): Promise<Tenant | undefined> {
  const { rows } = await q.query<TenantRow>('SELECT * FROM tenants WHERE id = vigil_current_tenant()');
  return rows[0] && toTenant(rows[0]);
}

export async function renameTenant(q: Queryable, name: string): Promise<Tenant | undefined> {
  const { rows } = await q.query<TenantRow>('UPDATE tenants SET name = $1 WHERE id = vigil_current_tenant() RETURNING *', [name]);
  return rows[0] && toTenant(rows[0]);
}
