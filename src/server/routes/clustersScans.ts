import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { enqueueTargetScan } from '../../jobs/posture.js';
import { checkScanConfig, ScanConfig, ScanConfigError, type CollectPolicy } from '../../posture/schedule/config.js';
import { getTarget, TARGET_FAMILIES, type TargetFamily } from '../../store/repos/postureTargets.js';
import { createTarget, deleteTarget, getScanSettings, setScanSettings } from '../../store/repos/postureTargetsSchedule.js';
import type { CollectorProvider } from '../../posture/collectors/types.js';
import { lastFireAt } from '../../jobs/cron.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, problems } from '../schemas.js';
import { TargetOut } from './clustersSchemas.js';
import { JobOut, jobOut } from './jobs.js';

const Cron = z
  .string()
  .min(9)
  .max(100)
  .refine((v) => {
    try {
      lastFireAt(v, new Date());
      return true;
    } catch {
      return false;
    }
  }, 'a cron expression (UTC): five fields, or six with seconds first')
  .describe('When to scan, as a UTC cron expression (`17 3 * * *`: daily at 03:17)');

export const ScanSettingsIn = z.strictObject({ config: ScanConfig, cron: Cron.nullable().default(null) }).meta({ id: 'PostureScanSettingsIn' });

const NOUN: Record<TargetFamily, string> = { clusters: 'cluster', accounts: 'cloud account' };

/**
 * Targets the server scans itself (issue 7, section 5), shared by clusters.ts and accounts.ts:
 * register one before its first scan, set or clear its collection settings and cron schedule,
 * scan it now (a `posture.collect` job), delete it with its scans. Admins only; settings are
 * checked against the operator's policy (VIGIL_POSTURE_COLLECT, VIGIL_POSTURE_SNAPSHOT_DIR).
 */
export const targetScanRoutes = (family: TargetFamily): FastifyPluginAsyncZod<{ ctx: AppContext }> =>
  async (app, { ctx }) => {
    const one = NOUN[family];
    const providers = TARGET_FAMILIES[family] as readonly CollectorProvider[];
    const policy: CollectPolicy = { live: ctx.config.postureCollect, snapshotDir: ctx.config.postureSnapshotDir };
    const check = (config: ScanConfig, provider: CollectorProvider): void => {
      try {
        checkScanConfig(config, provider, policy);
      } catch (err) {
        if (err instanceof ScanConfigError) throw new VigilError('validation', err.message, { errors: [{ pointer: `/body${err.pointer.replace('/scan', '')}`, detail: err.message }] });
        throw err;
      }
    };

    app.post(
      `/${family}`,
      {
        config: { permission: 'admin' },
        schema: {
          tags: [family],
          summary: `Register a ${one} for the server to scan (409 when it exists: set its settings instead)`,
          body: z.strictObject({
            provider: z.enum(providers as [CollectorProvider, ...CollectorProvider[]]),
            externalId: z.string().min(1).max(300).describe('Account id, subscription id, project id or cluster name, as its scans report it'),
            name: z.string().min(1).max(300).optional(),
            scan: ScanSettingsIn,
          }),
          response: { 201: TargetOut, ...problems(...AUTHED, 409) },
        },
      },
      async (req, reply) => {
        const { provider, externalId, name, scan } = req.body;
        check(scan.config, provider);
        const tenantId = principalOf(req).tenantId;
        const created = await ctx.db.tenant(tenantId, (q) => createTarget(q, tenantId, family, { provider, externalId, name, config: scan.config, cron: scan.cron }));
        if (!created) throw new VigilError('conflict', `${provider}:${externalId} is already registered: PUT /${family}/{id}/scan-settings changes how it is scanned`);
        req.auditDetails = { targetId: created.id, provider, externalId, cron: scan.cron, settings: scan.config.provider };
        return reply.code(201).send(created);
      },
    );

    app.put(
      `/${family}/:id/scan-settings`,
      {
        config: { permission: 'admin' },
        schema: {
          tags: [family],
          summary: `Set how and when the server scans a ${one} (cron null: only when asked)`,
          params: IdParams,
          body: ScanSettingsIn,
          response: { 200: TargetOut, ...problems(...AUTHED, 404) },
        },
      },
      async (req) =>
        ctx.db.tenant(principalOf(req).tenantId, async (q) => {
          const found = await getScanSettings(q, req.params.id);
          const target = found && (await getTarget(q, family, req.params.id));
          if (!found || !target) throw notFound(one);
          check(req.body.config, found.provider);
          await setScanSettings(q, target.id, { config: req.body.config, cron: req.body.cron });
          req.auditDetails = { targetId: target.id, cron: req.body.cron, settings: req.body.config.provider };
          return (await getTarget(q, family, target.id))!;
        }),
    );

    app.delete(
      `/${family}/:id/scan-settings`,
      {
        config: { permission: 'admin' },
        schema: { tags: [family], summary: `Stop the server scanning a ${one} (its scans are kept)`, params: IdParams, response: { 200: TargetOut, ...problems(...AUTHED, 404) } },
      },
      async (req) =>
        ctx.db.tenant(principalOf(req).tenantId, async (q) => {
          if (!(await getTarget(q, family, req.params.id))) throw notFound(one);
          await setScanSettings(q, req.params.id, null);
          return (await getTarget(q, family, req.params.id))!;
        }),
    );

    app.post(
      `/${family}/:id/scan`,
      {
        config: { permission: 'admin' },
        schema: {
          tags: [family],
          summary: `Scan a ${one} now with its settings: a posture.collect job (202; an unfinished scan of it is returned instead of a second)`,
          params: IdParams,
          response: { 202: JobOut, ...problems(...AUTHED, 404) },
        },
      },
      async (req, reply) => {
        const tenantId = principalOf(req).tenantId;
        const job = await ctx.db.tenant(tenantId, async (q) => {
          const found = await getScanSettings(q, req.params.id);
          if (!found || !(await getTarget(q, family, req.params.id))) throw notFound(one);
          if (!found.settings) throw new VigilError('validation', `the ${one} has no scan settings: PUT /${family}/{id}/scan-settings first`);
          check(found.settings.config, found.provider);
          return (await enqueueTargetScan(q, tenantId, req.params.id)).job;
        });
        ctx.jobs.wakeRunners();
        req.auditDetails = { targetId: req.params.id, jobId: job.id };
        return reply.code(202).send(jobOut(job));
      },
    );

    app.delete(
      `/${family}/:id`,
      {
        config: { permission: 'admin' },
        schema: { tags: [family], summary: `Delete a ${one} with its scans, findings and workloads`, params: IdParams, response: { 204: z.null(), ...problems(...AUTHED, 404) } },
      },
      async (req, reply) => {
        if (!(await ctx.db.tenant(principalOf(req).tenantId, (q) => deleteTarget(q, family, req.params.id)))) throw notFound(one);
        req.auditDetails = { targetId: req.params.id };
        return reply.code(204).send(null);
      },
    );
  };
