import type { Command } from 'commander';
import { newApiKey } from '../../auth/secrets.js';
import { isRole, ROLES } from '../../core/roles.js';
import { findTenantBySlug, type Tenant } from '../../store/repos/tenants.js';
import { insertApiKey, listApiKeys, revokeApiKey } from '../../store/repos/apiKeys.js';
import type { AppContext } from '../../app/context.js';
import { DEFAULT_TENANT } from '../../app/bootstrap.js';
import { withContext } from '../context.js';
import { UsageError } from '../io.js';

async function tenantOf(ctx: AppContext, slug: string): Promise<Tenant> {
  const t = await ctx.db.system((q) => findTenantBySlug(q, slug));
  if (!t) throw new UsageError(`--tenant: no tenant "${slug}"`);
  return t;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function registerApiKey(program: Command): void {
  const apikey = program.command('apikey').description('Manage API keys');
  apikey
    .command('create')
    .description('Create an API key; the key is printed once on stdout')
    .requiredOption('--name <name>', 'what the key is for, e.g. "ci-pipeline"')
    .option('--role <role>', `one of ${ROLES.join(', ')}`, 'ingest')
    .option('--tenant <slug>', 'tenant slug', DEFAULT_TENANT)
    .option('--expires-in-days <days>', 'the key stops working after this many days')
    .option('--json', 'print the key and its metadata as JSON')
    .action(async (opts: { name: string; role: string; tenant: string; expiresInDays?: string; json?: boolean }, cmd: Command) => {
      if (!isRole(opts.role)) throw new UsageError(`--role: expected one of ${ROLES.join(', ')}, got "${opts.role}"`);
      const role = opts.role;
      const days = opts.expiresInDays === undefined ? undefined : Number(opts.expiresInDays);
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 3650)) throw new UsageError('--expires-in-days: expected a whole number from 1 to 3650');
      await withContext(cmd, async (ctx) => {
        const t = await tenantOf(ctx, opts.tenant);
        const k = newApiKey();
        const row = await ctx.db.tenant(t.id, (q) =>
          insertApiKey(q, { tenantId: t.id, name: opts.name, prefix: k.prefix, keyHash: k.hash, role, createdBy: null, expiresAt: days ? new Date(Date.now() + days * 86_400_000) : null }),
        );
        await ctx.audit.append({ tenantId: t.id, actorType: 'system', actorId: null, actorLabel: 'cli', action: 'api-keys.create', targetType: 'api-keys', targetId: row.id, outcome: 'success' });
        if (opts.json) console.log(JSON.stringify({ ...row, key: k.key }));
        else {
          console.log(k.key);
          console.error(`created ${role} key "${row.name}" ${row.prefix} (${row.id}); the key above is shown only now`);
        }
      });
    });

  apikey
    .command('list')
    .description('List API keys (never their secrets)')
    .option('--tenant <slug>', 'tenant slug', DEFAULT_TENANT)
    .option('--all', 'include revoked and expired keys')
    .option('--json', 'as JSON lines')
    .action(async (opts: { tenant: string; all?: boolean; json?: boolean }, cmd: Command) => {
      await withContext(cmd, async (ctx) => {
        const t = await tenantOf(ctx, opts.tenant);
        let cursor: string | undefined;
        do {
          const page = await ctx.db.tenant(t.id, (q) => listApiKeys(q, { active: opts.all ? undefined : true }, { limit: 500, sort: 'createdAt', cursor }));
          for (const k of page.items) {
            if (opts.json) console.log(JSON.stringify(k));
            else console.log([k.id, k.prefix, k.role, k.name, k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) < Date.now() ? 'expired' : 'active', `last used ${k.lastUsedAt ?? 'never'}`].join('\t'));
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      });
    });

  apikey
    .command('revoke <idOrPrefix>')
    .description('Revoke an API key by id or prefix (vgl_...)')
    .option('--tenant <slug>', 'tenant slug', DEFAULT_TENANT)
    .action(async (idOrPrefix: string, opts: { tenant: string }, cmd: Command) => {
      await withContext(cmd, async (ctx) => {
        const t = await tenantOf(ctx, opts.tenant);
        const revoked = await ctx.db.tenant(t.id, async (q) => {
          const id = UUID.test(idOrPrefix)
            ? idOrPrefix
            : (await q.query<{ id: string }>('SELECT id FROM api_keys WHERE prefix = $1', [idOrPrefix])).rows[0]?.id;
          return id ? revokeApiKey(q, id) : undefined;
        });
        if (!revoked) throw new UsageError(`no API key "${idOrPrefix}" in tenant ${t.slug}`);
        await ctx.audit.append({ tenantId: t.id, actorType: 'system', actorId: null, actorLabel: 'cli', action: 'api-keys.delete', targetType: 'api-keys', targetId: revoked.id, outcome: 'success' });
        console.error(`revoked ${revoked.prefix} (${revoked.id})`);
      });
    });
}
