/** Roles within a tenant, and what each may do. Closed vocabulary. */
export const ROLES = ['admin', 'analyst', 'viewer', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Permissions a route may require.
 * - read: read tenant data
 * - write: change tenant data (triage, projects, ...)
 * - ingest: push data in (SBOM uploads, events) without reading anything back
 * - admin: manage users, API keys, audit log, settings
 */
export const PERMISSIONS = ['read', 'write', 'ingest', 'admin'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'ingest', 'admin'],
  analyst: ['read', 'write', 'ingest'],
  viewer: ['read'],
  ingest: ['ingest'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
