import { join } from 'node:path';
import type { Logger } from 'pino';
import { createAuditLog } from '../audit/log.js';
import type { AuditLog } from '../audit/types.js';
import { AuthService, loadSigningSecret } from '../auth/service.js';
import { TokenSigner } from '../auth/tokens.js';
import type { Config } from '../config/config.js';
import { QueueBus } from '../bus/queue.js';
import { FINDINGS_SCHEDULES, findingsHandlers } from '../jobs/findings.js';
import type { Bus } from '../bus/types.js';
import { RECORDS_TOPIC, storeRecords, type RecordEnvelope } from '../feeds/consume.js';
import { SCHEDULES } from '../jobs/cron.js';
import { feedHandlers, feedSchedules } from '../jobs/feeds.js';
import { maintenanceHandlers } from '../jobs/maintenance.js';
import { postureHandlers, PostureScheduler } from '../jobs/posture.js';
import { registerPostureMetrics } from '../observability/posture.js';
import { JobService } from '../jobs/service.js';
import { createLogger } from '../observability/logger.js';
import { createMetrics, type Metrics } from '../observability/metrics.js';
import { openDatabase, type Database } from '../store/db.js';
import { FsObjectStore, type ObjectStore } from '../store/objects.js';
import { S3ObjectStore } from '../store/objects-s3.js';
import { migrate } from '../store/migrate.js';

/**
 * The composition root: every long-lived service, built once and passed down. No module
 * imports a database, logger or clock of its own.
 */
export interface AppContext {
  readonly config: Config;
  readonly db: Database;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly audit: AuditLog;
  readonly auth: AuthService;
  /** The job queue, handlers and schedules; `jobs.runner()` runs them (serve, worker). */
  readonly jobs: JobService;
  /**
   * The bus feed imports publish on: undefined for the in-process default (each import makes
   * its own), the queue bus when `VIGIL_BUS=postgres`. Either way this process consumes
   * queued batches (`bus.deliver` jobs) when it runs jobs.
   */
  readonly bus: Bus | undefined;
  /** Uploaded documents, by SHA-256 per tenant. */
  readonly objects: ObjectStore;
}

export interface ContextOptions {
  readonly logger?: Logger;
  /** Open an existing database handle instead of the configured one (tests). */
  readonly db?: Database;
  /** Apply pending migrations first (default true). */
  readonly migrate?: boolean;
  readonly defaultMetrics?: boolean;
}

export async function createContext(config: Config, opts: ContextOptions = {}): Promise<AppContext> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const db = opts.db ?? (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize }));
  try {
    if (opts.migrate ?? true) {
      const applied = await migrate(db);
      if (applied.length > 0) logger.info({ applied }, 'database migrations applied');
    }
    const metrics = createMetrics(db, { defaultMetrics: opts.defaultMetrics ?? true });
    const audit = createAuditLog(db, logger);
    const secret = await loadSigningSecret(db, config.jwtSecret);
    const auth = new AuthService(db, new TokenSigner(secret, config.accessTokenTtl), audit, {
      refreshTokenTtl: config.refreshTokenTtl,
      maxFailures: config.loginMaxFailures,
      lockoutSeconds: config.loginLockout,
    });
    let wakeRunners = (): void => undefined;
    const queueBus = new QueueBus(db, { onEnqueued: () => wakeRunners(), sizeOf: recordSize });
    queueBus.subscribe<RecordEnvelope>(RECORDS_TOPIC, (batch, meta) => storeRecords(db, batch, meta));
    const bus = config.bus === 'postgres' ? queueBus : undefined;
    const jobs = new JobService(
      { db, logger, registry: metrics.registry },
      {
        handlers: (queue) => [
          ...maintenanceHandlers({ db, queue }),
          ...feedHandlers({ db, logger, config, bus }),
          ...queueBus.handlers(),
          ...findingsHandlers({ db, logger }),
          ...postureHandlers({ db, maxScans: config.postureMaxScans, policy: { live: config.postureCollect, snapshotDir: config.postureSnapshotDir } }),
        ],
        tickers: () => [new PostureScheduler(db, logger)],
        schedules: [...SCHEDULES, ...feedSchedules(config.feedSyncCron), ...FINDINGS_SCHEDULES],
      },
    );
    wakeRunners = () => jobs.wakeRunners();
    registerPostureMetrics(metrics.registry, db, logger, async () => {
      // At the first scrape only: the rule catalogue stays out of start-up.
      const { BUILTIN_RULES } = await import('../posture/rules/registry.js');
      return BUILTIN_RULES.filter((r) => r.platform === 'kubernetes' && r.service === 'rbac').map((r) => r.id);
    });
    const objects: ObjectStore = config.s3Bucket
      ? new S3ObjectStore({ bucket: config.s3Bucket, prefix: config.s3Prefix, region: config.s3Region, endpoint: config.s3Endpoint })
      : new FsObjectStore(config.objectsDir ?? join(config.dataDir, 'objects'));
    return { config, db, logger, metrics, audit, auth, jobs, bus, objects };
  } catch (err) {
    if (!opts.db) await db.close();
    throw err;
  }
}

/** A feed record's size on the queue bus, for batching by bytes. */
function recordSize(e: unknown): number {
  const r = (e as Partial<RecordEnvelope>).record;
  return r?.kind === 'advisory' ? r.row.row.length : 200;
}
