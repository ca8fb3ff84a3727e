import { generatePassword, hashPassword } from '../auth/passwords.js';
import type { Config } from '../config/config.js';
import type { Database } from '../store/db.js';
import { createTenant, findTenantBySlug } from '../store/repos/tenants.js';
import { countAllUsers, insertUser } from '../store/repos/users.js';

export interface BootstrapResult {
  readonly created: boolean;
  readonly email?: string;
  /** Set only when no password was configured: shown once, never stored in clear. */
  readonly oneTimePassword?: string;
}

export const DEFAULT_TENANT = 'default';

/**
 * On first start (no users at all) creates the `default` tenant and its admin from
 * VIGIL_ADMIN_EMAIL / VIGIL_ADMIN_PASSWORD, or with a generated one-time password that must
 * be changed at first login. There is never a fixed default password.
 */
export async function ensureFirstAdmin(db: Database, config: Pick<Config, 'adminEmail' | 'adminPassword'>): Promise<BootstrapResult> {
  // Every start after the first stops here, without paying for an argon2 hash.
  if ((await db.system(countAllUsers)) > 0) return { created: false };
  const email = (config.adminEmail ?? 'admin@localhost').toLowerCase();
  const oneTime = config.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(config.adminPassword ?? oneTime!);
  return db.system(async (q) => {
    // Serialise concurrent first starts of several processes on one database.
    await q.query('SELECT pg_advisory_xact_lock(7415260003)');
    if ((await countAllUsers(q)) > 0) return { created: false };
    const tenant = (await findTenantBySlug(q, DEFAULT_TENANT)) ?? (await createTenant(q, DEFAULT_TENANT, 'Default'));
    await insertUser(q, { tenantId: tenant.id, email, name: 'Administrator', passwordHash, role: 'admin', mustChangePassword: oneTime !== undefined });
    return { created: true, email, ...(oneTime ? { oneTimePassword: oneTime } : {}) };
  });
}
