import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { VigilError } from '../../core/errors.js';
import { saveCollectedScan } from '../../store/repos/postureTargetsSave.js';
import { workloadsOf } from '../../store/repos/postureTargetsWorkloads.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { bodyUnchecked, readLimited } from './rawBody.js';
import { issuesToErrors } from './postureSchemas.js';
import { CollectedScanIn, CollectedScanOut, findingsOf } from './scansSchemas.js';
import { scoreUpload } from './scansScore.js';

/** Largest upload (JSON, or gzipped JSON), whatever VIGIL_UPLOAD_LIMIT allows: it is read in memory. */
export const SCAN_BODY_LIMIT = 64 * 1024 * 1024;
/** Largest gzipped upload once inflated. */
export const SCAN_INFLATED_LIMIT = 256 * 1024 * 1024;


/**
 * `POST /scans`: a collected scan of a cluster or cloud account, uploaded by the CLI with an
 * ingest key (body: CollectedScanUpload, JSON or gzipped JSON). The target is registered or
 * updated from its facts; the server stores the findings and recomputes the scores from them
 * and its own rule catalogue. Own plugin scope: the body is read as raw bytes here.
 */
export const scansRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  const limit = Math.min(ctx.config.uploadLimit, SCAN_BODY_LIMIT);
  // The body schema documents the upload in OpenAPI; the handler validates it (bodyUnchecked).

  app.post(
    '/scans',
    {
      config: { permission: 'ingest' },
      bodyLimit: limit,
      validatorCompiler: bodyUnchecked,
      schema: {
        tags: ['clusters', 'accounts'],
        summary: 'Store a collected scan of a cluster or cloud account (`vigil posture scan --aws|--azure|--gcp|--kubeconfig|--snapshot`)',
        description:
          'JSON (or gzipped JSON, told apart by its first bytes), at most 64 MiB (or VIGIL_UPLOAD_LIMIT when lower), 256 MiB inflated; 100,000 findings, 200,000 resources. The target (provider + id) is created on first use and its facts updated; a cluster\'s workloads become those listed in `resources`. Scores (risk, compliance per framework, control results) are recomputed from the findings, the resource kinds and the server\'s rule catalogue.',
        body: CollectedScanIn,
        response: { 201: CollectedScanOut, ...problems(...AUTHED, 413, 415) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const stream = req.body as unknown as Readable | undefined;
      if (!stream || typeof stream.pipe !== 'function') throw new VigilError('bad-request', 'the request has no body: send the scan as JSON');
      const raw = await readLimited(stream, limit);
      const body = parseUpload(await inflate(raw));
      const { BUILTIN_RULES } = await import('../../posture/rules/registry.js');
      const findings = findingsOf(body.report);
      const { scores, unscoredRules } = scoreUpload(body, findings, BUILTIN_RULES);
      const createdBy = p.kind === 'user' ? `user:${p.id}` : `api-key:${p.id}`;
      const saved = await ctx.db.tenant(p.tenantId, (q) =>
        saveCollectedScan(q, p.tenantId, {
          facts: body.target,
          resources: body.resources.length,
          findings,
          errors: body.report.errors,
          scores,
          workloads: body.target.provider === 'kubernetes' ? workloadsOf(body.resources) : undefined,
          durationMs: body.stats?.ms ?? null,
          rulesVersion: body.rulesVersion ?? null,
          documentSha256: createHash('sha256').update(raw).digest('hex'),
          createdBy,
        }),
      );
      req.auditDetails = {
        provider: saved.target.provider,
        target: saved.target.externalId,
        targetCreated: saved.targetCreated,
        findings: saved.scan.findings,
        failed: saved.scan.summary.failed,
        risk: saved.scan.risk,
      };
      return reply.code(201).send({ ...saved.scan, target: saved.target, targetCreated: saved.targetCreated, unscoredRules });
    },
  );
};

async function inflate(raw: Buffer): Promise<Buffer> {
  if (raw.length === 0) throw new VigilError('bad-request', 'the request body is empty', { errors: [{ pointer: '/body', detail: 'empty' }] });
  if (raw[0] !== 0x1f || raw[1] !== 0x8b) return raw;
  try {
    return await promisify(gunzip)(raw, { maxOutputLength: SCAN_INFLATED_LIMIT });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new VigilError('payload-too-large', `the upload inflates to more than ${SCAN_INFLATED_LIMIT} bytes`, { errors: [{ pointer: '/body', detail: 'too large' }] });
    }
    throw new VigilError('bad-request', `not a valid gzip stream: ${(err as Error).message}`, { errors: [{ pointer: '/body', detail: 'corrupt gzip' }] });
  }
}

function parseUpload(bytes: Buffer): CollectedScanIn {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new VigilError('malformed-json', `Request body is not valid JSON: ${(err as Error).message}`, { errors: [{ pointer: '/body', detail: (err as Error).message }] });
  }
  const parsed = CollectedScanIn.safeParse(doc);
  if (!parsed.success) {
    const errors = issuesToErrors(parsed.error.issues);
    throw new VigilError('validation', `not a collected scan: ${errors[0]?.pointer}: ${errors[0]?.detail}`, { errors });
  }
  return parsed.data;
}
