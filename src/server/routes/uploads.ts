import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { VigilError } from '../../core/errors.js';
import { ObjectTooLargeError } from '../../store/objects.js';
import { ensureProject, PROJECT_KINDS } from '../../store/repos/projects.js';
import { saveVersion } from '../../store/repos/projectVersions.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { SCAN_OUTPUT_FORMAT_IDS } from '../../match/output/formats.js';
import type { MatchOut} from './projectSchemas.js';
import { UploadOut } from './projectSchemas.js';

/**
 * `POST /uploads`: an SBOM, a lockfile or an image tar as the raw request body (any content
 * type, streamed to the object store under its SHA-256, up to VIGIL_UPLOAD_LIMIT), read into
 * an inventory and stored as version `version` of project `project` (created on first use,
 * so an `ingest` API key in CI needs nothing else). A re-upload of a version replaces it.
 * Own plugin scope: the body is a stream here, not JSON.
 */
export const uploadRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));

  app.post(
    '/uploads',
    {
      config: { permission: 'ingest' },
      bodyLimit: ctx.config.uploadLimit,
      schema: {
        tags: ['projects'],
        summary: 'Upload an SBOM, lockfile or image tar as a project version (raw body)',
        description:
          'The body is the document itself (CycloneDX JSON/XML, SPDX JSON/tag-value, a lockfile such as package-lock.json, or a `docker save` / OCI image tar). `filename` names a lockfile so its reader is chosen; SBOMs and image tars are recognised by content. A file that could not be read is listed in `version.problems`; with `strict=true` any error problem refuses the upload (nothing stored).',
        querystring: z.strictObject({
          project: z.string().min(1).max(200).describe('Project name; created when it does not exist'),
          version: z.string().min(1).max(200),
          filename: z.string().min(1).max(255).optional().describe('The uploaded file name, e.g. package-lock.json'),
          kind: z.enum(PROJECT_KINDS).optional().describe('Kind of a project created by this upload (default: image for an image tar, else application)'),
          strict: z.enum(['true', 'false']).optional(),
        }),
        response: { 201: UploadOut, ...problems(...AUTHED, 413) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') throw new VigilError('bad-request', 'the request has no body: send the document as the raw body');
      let stored;
      try {
        stored = await ctx.objects.put(p.tenantId, body, ctx.config.uploadLimit);
      } catch (err) {
        if (err instanceof ObjectTooLargeError) throw new VigilError('payload-too-large', err.message, { errors: [{ pointer: '/body', detail: err.message }] });
        throw err;
      }
      try {
        const name = req.query.filename ?? `upload-${stored.sha256.slice(0, 12)}`;
        // Loaded on first use: the readers, image and SBOM stack stay out of start-up.
        const { scanPath } = await import('../../inventory/scan.js');
        const inv = await scanPath(stored.path, { name });
        const errors = inv.problems.filter((x) => x.severity === 'error');
        if (inv.packages.length === 0 && errors.length > 0) {
          throw new VigilError('bad-request', `nothing could be read from the upload: ${errors[0]!.message}`, {
            errors: errors.slice(0, 10).map((e) => ({ pointer: '/body', detail: `${e.location.file}${e.location.line ? `:${e.location.line}` : ''}: ${e.message}` })),
          });
        }
        if (req.query.strict === 'true' && errors.length > 0) {
          throw new VigilError('bad-request', `${errors.length} problem(s) reading the upload (strict)`, {
            errors: errors.slice(0, 10).map((e) => ({ pointer: '/body', detail: `${e.location.file}: ${e.message}` })),
          });
        }
        const kind = req.query.kind ?? (inv.source.kind === 'image' ? 'image' : 'application');
        const createdBy = p.kind === 'user' ? `user:${p.id}` : `api-key:${p.id}`;
        const result = await ctx.db.tenant(p.tenantId, async (q) => {
          const { project, created } = await ensureProject(q, p.tenantId, req.query.project, kind);
          const version = await saveVersion(q, p.tenantId, project.id, req.query.version, inv, {
            document: { sha256: stored.sha256, name, bytes: stored.bytes },
            createdBy,
          });
          return { project, projectCreated: created, version };
        });
        // Matched at once against the local advisory database (loaded on first use), in its
        // own transaction: the version is stored whatever happens here, and a failed match is
        // retried by the next re-match after a feed import.
        let findings: z.infer<typeof MatchOut> | null = null;
        try {
          const { matchProjectVersion } = await import('../../match/project.js');
          const m = await matchProjectVersion(ctx.db, p.tenantId, result.project.id, result.version.id, createdBy);
          findings = { current: m.current, total: m.findings, created: m.created, updated: m.updated, fixed: m.fixed, reopened: m.reopened, inherited: m.inherited, unassessed: m.unassessed, durationMs: Math.round(m.durationMs) };
        } catch (err) {
          req.log.error({ err, project: result.project.id, version: result.version.id }, 'matching the uploaded version failed');
        }
        return reply.code(201).send({ ...result, findings });
      } catch (err) {
        // Keep no bytes that no version refers to (the digest may be another version's too).
        const used = await ctx.db.tenant(p.tenantId, (q) => q.query('SELECT 1 FROM project_versions WHERE document_sha256 = $1 LIMIT 1', [stored.sha256]));
        if (used.rows.length === 0) await ctx.objects.delete(p.tenantId, stored.sha256);
        throw err;
      } finally {
        await stored.release();
      }
    },
  );

  app.post(
    '/scan',
    {
      config: { permission: 'read' },
      bodyLimit: ctx.config.uploadLimit,
      schema: {
        tags: ['findings'],
        summary: 'Scan an SBOM, lockfile or image tar against the advisory database (nothing is stored)',
        description:
          'The body is the document itself, as for POST /uploads. Answers with the scan report in `format` (default json: the `vigil scan --format json` document plus the whole findings). `vigil scan --server URL` uses this endpoint.',
        querystring: z.strictObject({
          filename: z.string().min(1).max(255).optional().describe('The file name, e.g. package-lock.json (chooses the lockfile reader)'),
          format: z.enum(SCAN_OUTPUT_FORMAT_IDS).default('json'),
          target: z.string().max(500).optional().describe('The name to report as the target (default: filename)'),
        }),
        response: { 200: z.any().describe('The report in the requested format'), ...problems(...AUTHED, 413, 503) },
      },
    },
    async (req, reply) => {
      const body = req.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') throw new VigilError('bad-request', 'the request has no body: send the document as the raw body');
      const dir = await mkdtemp(join(tmpdir(), 'vigil-scan-'));
      try {
        const name = safeName(req.query.filename ?? 'upload');
        const file = join(dir, name);
        await pipeline(body, limitBytes(ctx.config.uploadLimit), createWriteStream(file, { mode: 0o600 }));
        // Loaded on first use: readers, matcher and renderers stay out of start-up.
        const [{ scanPath }, { scanInventory, compareVersions }, { renderScanReport, SCAN_OUTPUT_FORMATS }] = await Promise.all([
          import('../../inventory/scan.js'),
          import('../../match/scan.js'),
          import('../../match/output/registry.js'),
        ]);
        const inv = await scanPath(file, { name });
        const errors = inv.problems.filter((x) => x.severity === 'error');
        if (inv.packages.length === 0 && errors.length > 0) {
          throw new VigilError('bad-request', `nothing could be read from the upload: ${errors[0]!.message}`, {
            errors: errors.slice(0, 10).map((e) => ({ pointer: '/body', detail: `${e.location.file}${e.location.line ? `:${e.location.line}` : ''}: ${e.message}` })),
          });
        }
        const outcome = await ctx.db.tenant(principalOf(req).tenantId, (q) => scanInventory(q, inv, { target: req.query.target ?? name }).catch(emptyDb));
        const format = SCAN_OUTPUT_FORMATS.get(req.query.format)!;
        reply.header('content-type', `${format.mediaType}; charset=utf-8`);
        reply.header('server-timing', `scan;dur=${outcome.durationMs.toFixed(1)}`);
        return reply.send(renderScanReport(outcome.report, req.query.format, { compareVersions, compact: true }));
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
};

const safeName = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^\.+/, '').slice(0, 200) || 'upload';

/** Fails the stream past `limit` bytes (the body limit also holds when no content-length is sent). */
function limitBytes(limit: number): Transform {
  let n = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      n += chunk.length;
      if (n > limit) cb(new VigilError('payload-too-large', `the document is larger than ${limit} bytes (VIGIL_UPLOAD_LIMIT)`, { errors: [{ pointer: '/body', detail: 'too large' }] }));
      else cb(null, chunk);
    },
  });
}

function emptyDb(err: unknown): never {
  if (err instanceof Error && err.name === 'EmptyDatabaseError') throw new VigilError('unavailable', err.message);
  throw err;
}
