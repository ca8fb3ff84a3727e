import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createContext, type AppContext } from '../../src/app/context.js';
import { hashPassword } from '../../src/auth/passwords.js';
import { resolveConfig, type Config, type RawSettings } from '../../src/config/config.js';
import type { Role } from '../../src/core/roles.js';
import { createLogger } from '../../src/observability/logger.js';
import { buildApp } from '../../src/server/app.js';
import { createTenant } from '../../src/store/repos/tenants.js';
import { insertUser } from '../../src/store/repos/users.js';
import { testDatabase } from './db.js';

export function testConfig(flags: RawSettings = {}): Config {
  return resolveConfig({ flags: { logLevel: 'silent', jwtSecret: 'test-secret-'.padEnd(48, 'x'), ...flags }, env: {} });
}

export interface TestApp {
  readonly ctx: AppContext;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** A full app (real database, real auth, real routes) for `inject()` tests. */
export async function testApp(flags: RawSettings = {}): Promise<TestApp> {
  const t = await testDatabase({ migrate: false });
  // Uploaded documents go to a fresh directory, never into the checkout's .vigil.
  const objects = flags.objectsDir === undefined ? await mkdtemp(join(tmpdir(), 'vigil-objects-')) : undefined;
  const config = testConfig({ ...(objects && { objectsDir: objects }), ...flags });
  const ctx = await createContext(config, { db: t.db, logger: createLogger(config.logLevel), defaultMetrics: false });
  const app = await buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    async close() {
      await app.close();
      await t.cleanup();
      if (objects) await rm(objects, { recursive: true, force: true });
    },
  };
}

export interface SeededUser {
  readonly tenantId: string;
  readonly userId: string;
  readonly email: string;
  readonly password: string;
}

let counter = 0;

/** Creates a tenant with one user of the given role (argon2id-hashed password). */
export async function seedTenant(ctx: AppContext, role: Role = 'admin', slug?: string): Promise<SeededUser> {
  counter++;
  const s = slug ?? `t${counter}-${Math.random().toString(36).slice(2, 8)}`;
  const password = `password-${s}-long-enough`;
  const tenant = await ctx.db.system((q) => createTenant(q, s, s));
  const email = `${role}@${s}.test`;
  const passwordHash = await hashPassword(password);
  const user = await ctx.db.tenant(tenant.id, (q) => insertUser(q, { tenantId: tenant.id, email, passwordHash, role }));
  return { tenantId: tenant.id, userId: user.id, email, password };
}

export async function addUser(ctx: AppContext, tenantId: string, role: Role): Promise<SeededUser> {
  counter++;
  const password = `password-${counter}-long-enough`;
  const email = `${role}${counter}@x${counter}.test`;
  const passwordHash = await hashPassword(password);
  const user = await ctx.db.tenant(tenantId, (q) => insertUser(q, { tenantId, email, passwordHash, role }));
  return { tenantId, userId: user.id, email, password };
}

/** Logs in through the API and returns the bearer access token. */
export async function login(app: FastifyInstance, u: Pick<SeededUser, 'email' | 'password'>): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: u.email, password: u.password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  return res.json<{ accessToken: string }>().accessToken;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
