import { z } from 'zod';

/**
 * Every configuration setting in one table: its key in `vigil.yaml`, its environment
 * variable, its type and default. The README's configuration table is checked against
 * this list by a test, so the two cannot drift.
 */
export interface SettingSpec {
  readonly env: string;
  readonly schema: z.ZodType;
  readonly description: string;
  readonly default?: string;
  /** Never printed or logged. */
  readonly secret?: boolean;
}

const port = z.coerce.number().int().min(0).max(65535);
const bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0', 'yes', 'no'])]).transform((v) =>
  typeof v === 'boolean' ? v : ['true', '1', 'yes'].includes(v),
);
const positiveInt = z.coerce.number().int().positive();

export const SETTINGS = {
  port: { env: 'PORT', schema: port, default: '8080', description: 'HTTP port' },
  host: { env: 'HOST', schema: z.string().min(1), default: 'localhost', description: 'Address to listen on (`0.0.0.0` for all interfaces)' },
  dataDir: { env: 'VIGIL_DATA_DIR', schema: z.string().min(1), default: './.vigil', description: 'Directory of the embedded database (PGlite) and local files' },
  databaseUrl: { env: 'DATABASE_URL', schema: z.string().regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL'), description: 'PostgreSQL server to use instead of the embedded database', secret: true },
  databasePoolSize: { env: 'VIGIL_DB_POOL_SIZE', schema: positiveInt, default: '10', description: 'Connections in the pool (PostgreSQL server only)' },
  adminEmail: { env: 'VIGIL_ADMIN_EMAIL', schema: z.email(), description: 'Email of the admin created on first start' },
  adminPassword: { env: 'VIGIL_ADMIN_PASSWORD', schema: z.string().min(12, 'at least 12 characters'), description: 'Password of the admin created on first start (else a one-time password is printed)', secret: true },
  jwtSecret: { env: 'VIGIL_JWT_SECRET', schema: z.string().min(32, 'at least 32 characters'), description: 'HMAC key for access tokens (else generated once and kept in the database)', secret: true },
  accessTokenTtl: { env: 'VIGIL_ACCESS_TOKEN_TTL', schema: positiveInt, default: '900', description: 'Access token lifetime in seconds' },
  refreshTokenTtl: { env: 'VIGIL_REFRESH_TOKEN_TTL', schema: positiveInt, default: '2592000', description: 'Refresh token (session) lifetime in seconds' },
  cookieSecure: { env: 'VIGIL_COOKIE_SECURE', schema: bool, default: 'false', description: 'Mark session cookies `Secure` (set when served over HTTPS)' },
  trustProxy: { env: 'VIGIL_TRUST_PROXY', schema: bool, default: 'false', description: 'Trust `X-Forwarded-*` headers from a reverse proxy' },
  corsOrigins: { env: 'VIGIL_CORS_ORIGINS', schema: z.string(), default: '', description: 'Comma-separated origins allowed by CORS (empty: CORS off)' },
  bodyLimit: { env: 'VIGIL_BODY_LIMIT', schema: positiveInt, default: '1048576', description: 'Largest accepted request body in bytes' },
  rateLimit: { env: 'VIGIL_RATE_LIMIT', schema: positiveInt, default: '600', description: 'Requests per minute per API key, user or IP' },
  loginMaxFailures: { env: 'VIGIL_LOGIN_MAX_FAILURES', schema: positiveInt, default: '5', description: 'Failed logins per account and IP before a lockout' },
  loginLockout: { env: 'VIGIL_LOGIN_LOCKOUT', schema: positiveInt, default: '900', description: 'Lockout after too many failed logins, in seconds' },
  workerConcurrency: { env: 'VIGIL_WORKER_CONCURRENCY', schema: z.coerce.number().int().min(0), default: '2', description: 'Jobs run at once by this process (0: `serve` runs no jobs)' },
  logLevel: { env: 'VIGIL_LOG_LEVEL', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), default: 'info', description: 'Log level (JSON logs on stderr)' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
