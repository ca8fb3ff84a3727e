/** Roles within a tenant, and what each may do. Closed vocabulary. */
export const ROLES = ['admin', 'analyst', 'viewer', 'ingest'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Permissions a route may require.
 * - read: read tenant data
 * - write: change tenant data (triage, projects, ...)
 * - ingest: push data in (SBOM uploads, events) without reading anything back
 * - admin: manage users, API keys, audit log, settings
 * - self: about the caller only (who am I, change my password): every role
 */
export const PERMISSIONS = ['read', 'write', 'ingest', 'admin', 'self'] as const;
export type Permission = (typeof PERMISSIONS)[number];

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'ingest', 'admin', 'self'],
  analyst: ['read', 'write', 'ingest', 'self'],
  viewer: ['read', 'self'],
  ingest: ['ingest', 'self'],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}
