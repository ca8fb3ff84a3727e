import { CronExpressionParser } from 'cron-parser';
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
const httpUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s):// URL' });
const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const cron = z.string().refine((v) => {
  try {
    CronExpressionParser.parse(v, { tz: 'UTC' });
    return true;
  } catch {
    return false;
  }
}, 'expected a cron expression (five fields, UTC), e.g. "17 4 * * *"');

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
  objectsDir: { env: 'VIGIL_OBJECTS_DIR', schema: z.string().min(1), description: 'Where uploaded documents (SBOMs, lockfiles, image tars) are kept; default `<dataDir>/objects`' },
  s3Bucket: { env: 'VIGIL_S3_BUCKET', schema: z.string().min(3).max(63), description: 'Keep uploaded documents in this S3-compatible bucket instead of VIGIL_OBJECTS_DIR (credentials from the standard AWS chain)' },
  s3Prefix: { env: 'VIGIL_S3_PREFIX', schema: z.string().max(200), default: '', description: 'Key prefix inside VIGIL_S3_BUCKET, e.g. `vigil/`' },
  s3Region: { env: 'VIGIL_S3_REGION', schema: z.string().min(1), default: 'us-east-1', description: 'Region of VIGIL_S3_BUCKET' },
  s3Endpoint: { env: 'VIGIL_S3_ENDPOINT', schema: httpUrl, description: 'URL of an S3-compatible service (MinIO, Ceph …); path-style addressing is then used' },
  uploadLimit: { env: 'VIGIL_UPLOAD_LIMIT', schema: positiveInt, default: '2147483648', description: 'Largest upload (SBOM, lockfile, image tar) in bytes' },
  bus: { env: 'VIGIL_BUS', schema: z.enum(['memory', 'postgres']), default: 'memory', description: 'Where feed records travel from importer to store: `memory` (in-process) or `postgres` (the job queue, so `vigil worker` processes share the load)' },
  cveReleasesUrl: { env: 'VIGIL_CVE_RELEASES_URL', schema: httpUrl, default: 'https://api.github.com/repos/CVEProject/cvelistV5/releases', description: 'GitHub releases API of cvelistV5 (CVE JSON 5 baseline and delta zips), for `vigil db sync`' },
  githubToken: { env: 'VIGIL_GITHUB_TOKEN', schema: z.string().min(1), description: 'GitHub token for the releases API (raises its limit from 60 to 5,000 requests an hour); sent only to the releases API URL', secret: true },
  osvUrl: { env: 'VIGIL_OSV_URL', schema: httpUrl, default: 'https://osv-vulnerabilities.storage.googleapis.com', description: 'Base URL of the OSV data dumps (`<url>/<ecosystem>/all.zip`)' },
  osvEcosystems: { env: 'VIGIL_OSV_ECOSYSTEMS', schema: commaList, default: 'npm,PyPI,Go,crates.io,Maven,NuGet,RubyGems,Packagist,Pub,Hex,Debian,Alpine,AlmaLinux,Rocky Linux', description: 'Comma-separated OSV ecosystems to sync, spelled as OSV names its folders' },
  nvdUrl: { env: 'VIGIL_NVD_URL', schema: httpUrl, default: 'https://services.nvd.nist.gov/rest/json/cves/2.0', description: 'NVD CVE API 2.0 endpoint' },
  nvdApiKey: { env: 'VIGIL_NVD_API_KEY', schema: z.string().min(1), description: 'NVD API key (sent as the `apiKey` header; raises the limit from 5 to 50 requests per 30 s)', secret: true },
  kevUrl: { env: 'VIGIL_KEV_URL', schema: httpUrl, default: 'https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json', description: 'CISA Known Exploited Vulnerabilities catalog (JSON)' },
  epssUrl: { env: 'VIGIL_EPSS_URL', schema: httpUrl, default: 'https://epss.empiricalsecurity.com/epss_scores-current.csv.gz', description: 'FIRST EPSS scores of the day (gzipped CSV)' },
  feedMaxDownload: { env: 'VIGIL_FEED_MAX_DOWNLOAD', schema: positiveInt, default: '4294967296', description: 'Largest single feed download in bytes' },
  feedSyncCron: { env: 'VIGIL_FEED_SYNC_CRON', schema: cron, description: 'Cron expression (UTC) for a scheduled `feeds.sync` job; unset: feeds are only synced when asked' },
  feedSyncOnline: { env: 'VIGIL_FEED_SYNC_ONLINE', schema: bool, default: 'true', description: 'Let admins start an online feed sync from the API or dashboard; `false` on an air-gapped server refuses it at once (409) and points to `vigil db import`' },
  postureCollect: { env: 'VIGIL_POSTURE_COLLECT', schema: bool, default: 'false', description: "Let the server scan live cloud accounts and clusters itself (scheduled and on-demand scans) with its own credential chain; off by default, since every tenant's scans would use those credentials" },
  postureSnapshotDir: { env: 'VIGIL_POSTURE_SNAPSHOT_DIR', schema: z.string().min(1), description: 'Folder of recorded cloud responses and cluster dumps the server may scan (scan settings name a path inside it); unset: none' },
  postureMaxScans: { env: 'VIGIL_POSTURE_MAX_SCANS', schema: positiveInt, default: '100', description: 'Server-side posture scans running at once across every worker (tenants take turns in the queue)' },
  serverUrl: { env: 'VIGIL_URL', schema: httpUrl, default: 'http://localhost:8080', description: 'The Vigil server the CLI uploads to (`vigil sbom --upload`)' },
  apiKey: { env: 'VIGIL_API_KEY', schema: z.string().min(1), description: 'API key the CLI uses against VIGIL_URL (an ingest key for uploads)', secret: true },
  demo: { env: 'VIGIL_DEMO', schema: bool, default: 'false', description: 'Load demo data into the `default` tenant at start (`vigil serve --demo`); never on unless asked' },
  demoData: { env: 'VIGIL_DEMO_DATA', schema: z.string().min(1), description: 'Where demo mode reads real public data (a `shared/data` folder); `builtin` forces the small built-in sample; default `../shared/data` beside the checkout when present' },
  logLevel: { env: 'VIGIL_LOG_LEVEL', schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']), default: 'info', description: 'Log level (JSON logs on stderr)' },
} as const satisfies Record<string, SettingSpec>;

export type SettingKey = keyof typeof SETTINGS;
