import type { Command } from 'commander';
import { generatePassword, hashPassword } from '../../auth/passwords.js';
import { isRole, ROLES } from '../../core/roles.js';
import { isUniqueViolation } from '../../store/pgErrors.js';
import { createTenant, findTenantBySlug } from '../../store/repos/tenants.js';
import { insertUser } from '../../store/repos/users.js';
import { DEFAULT_TENANT } from '../../app/bootstrap.js';
import { withContext } from '../context.js';
import { UsageError } from '../io.js';
import { readSecretFromStdin } from './stdin.js';

export function registerUser(program: Command): void {
  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user; the password comes from stdin (--password-stdin) or is generated and printed once')
    .requiredOption('--email <email>', 'login email')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'viewer')
    .option('--tenant <slug>', 'tenant slug', DEFAULT_TENANT)
    .option('--name <name>', 'display name')
    .option('--password-stdin', 'read the password from standard input')
    .option('--json', 'print the created user as JSON')
    .action(async (opts: { email: string; role: string; tenant: string; name?: string; passwordStdin?: boolean; json?: boolean }, cmd: Command) => {
      if (!isRole(opts.role)) throw new UsageError(`--role: expected one of ${ROLES.join(', ')}, got "${opts.role}"`);
      const role = opts.role;
      if (!/^[^@\s]+@[^@\s]+$/.test(opts.email)) throw new UsageError(`--email: "${opts.email}" is not an email address`);
      const password = opts.passwordStdin ? await readSecretFromStdin() : generatePassword();
      if (password.length < 12) throw new UsageError('password: at least 12 characters');
      const passwordHash = await hashPassword(password);
      await withContext(cmd, async (ctx) => {
        const tenant = await ctx.db.system((q) => findTenantBySlug(q, opts.tenant));
        if (!tenant) throw new UsageError(`--tenant: no tenant "${opts.tenant}" (create it with: vigil tenant create ${opts.tenant})`);
        try {
          const u = await ctx.db.tenant(tenant.id, (q) =>
            insertUser(q, { tenantId: tenant.id, email: opts.email, name: opts.name, passwordHash, role, mustChangePassword: !opts.passwordStdin }),
          );
          await ctx.audit.append({ tenantId: tenant.id, actorType: 'system', actorId: null, actorLabel: 'cli', action: 'users.create', targetType: 'users', targetId: u.id, outcome: 'success' });
          if (opts.json) console.log(JSON.stringify(u));
          else console.log(`created ${u.role} ${u.email} (${u.id}) in tenant ${tenant.slug}`);
          if (!opts.passwordStdin) console.error(`one-time password (shown once, must be changed at first login): ${password}`);
        } catch (err) {
          if (isUniqueViolation(err)) throw new UsageError(`a user with email ${opts.email} already exists`);
          throw err;
        }
      });
    });
}

export function registerTenant(program: Command): void {
  const tenant = program.command('tenant').description('Manage tenants');
  tenant
    .command('create <slug>')
    .description('Create a tenant (slug: lowercase letters, digits and dashes)')
    .option('--name <name>', 'display name (default: the slug)')
    .option('--json', 'print the tenant as JSON')
    .action(async (slug: string, opts: { name?: string; json?: boolean }, cmd: Command) => {
      if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(slug)) throw new UsageError(`slug "${slug}": expected lowercase letters, digits and dashes (max 63)`);
      await withContext(cmd, async (ctx) => {
        try {
          const t = await ctx.db.system((q) => createTenant(q, slug, opts.name ?? slug));
          await ctx.audit.append({ tenantId: t.id, actorType: 'system', actorId: null, actorLabel: 'cli', action: 'tenants.create', targetType: 'tenants', targetId: t.id, outcome: 'success' });
          console.log(opts.json ? JSON.stringify(t) : `created tenant ${t.slug} (${t.id})`);
        } catch (err) {
          if (isUniqueViolation(err)) throw new UsageError(`tenant "${slug}" already exists`);
          throw err;
        }
      });
    });
}
