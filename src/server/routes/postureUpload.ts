import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { VigilError } from '../../core/errors.js';
import type { InputProblem, PostureFinding } from '../../posture/model.js';
import type { FileSuppression } from '../../posture/suppress/file.js';
import type { PostureScanInput } from '../../store/repos/posture.js';
import { savePostureScan } from '../../store/repos/posture.js';
import { ensureProject } from '../../store/repos/projects.js';
import { VERSION } from '../../version.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, problems } from '../schemas.js';
import { bodyUnchecked, readLimited } from './rawBody.js';
import type { ArchiveContents } from './postureArchive.js';
import { issuesToErrors, PostureReportIn, PostureScanOut, PostureScanQuery } from './postureSchemas.js';

/** Largest posture upload (a report or an archive), whatever VIGIL_UPLOAD_LIMIT allows: both are read in memory. */
export const POSTURE_BODY_LIMIT = 64 * 1024 * 1024;

type ScanFacts = Omit<PostureScanInput, 'documentSha256' | 'createdBy'>;

const ScanQuery = z.strictObject(PostureScanQuery);

/**
 * `POST /posture/scans?project=NAME`: the body is the JSON report of `vigil posture scan
 * --format json` (optionally gzipped) or an archive of a directory (tar, tar.gz, zip; told
 * apart by magic bytes, not by content type) that the server extracts in memory, within
 * limits, and scans with the built-in rules. Own plugin scope: the body is raw bytes here.
 */
export const postureUploadRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
  const limit = Math.min(ctx.config.uploadLimit, POSTURE_BODY_LIMIT);
  // The body schema documents the upload in OpenAPI; the handler validates it (bodyUnchecked).

  app.post(
    '/posture/scans',
    {
      config: { permission: 'ingest' },
      bodyLimit: limit,
      validatorCompiler: bodyUnchecked,
      schema: {
        tags: ['posture'],
        summary: 'Store a posture scan: a `vigil posture scan --format json` report, or a directory archive (tar, tar.gz, zip) the server scans',
        description: `The body is either the JSON report (this schema; gzipped too), or an archive of a directory, told apart by its first bytes. Bodies are read in memory: at most 64 MiB (or VIGIL_UPLOAD_LIMIT when lower). An archive is extracted in memory too (at most 128 MiB expanded, 50,000 members; members climbing out with \`..\` or absolute refuse the upload; links are not followed) and its Kubernetes manifests, Terraform, CloudFormation templates and Dockerfiles are scanned with the built-in rules (a root \`.vigil-posture.yaml\` suppression file applies). The project is created on first use. Files that could not be read are listed in \`errors\`.`,
        querystring: ScanQuery,
        body: PostureReportIn,
        response: { 201: PostureScanOut.extend({ projectCreated: z.boolean() }), ...problems(...AUTHED, 413, 415) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const stream = req.body as unknown as Readable | undefined;
      if (!stream || typeof stream.pipe !== 'function') throw new VigilError('bad-request', 'the request has no body: send the report or the archive as the raw body');
      const body = await readLimited(stream, limit);
      if (body.length === 0) throw new VigilError('bad-request', 'the request body is empty', { errors: [{ pointer: '/body', detail: 'empty' }] });
      const facts = await scanFacts(body, req.query);
      const createdBy = p.kind === 'user' ? `user:${p.id}` : `api-key:${p.id}`;
      const out = await ctx.db.tenant(p.tenantId, async (q) => {
        const { project, created } = await ensureProject(q, p.tenantId, req.query.project, req.query.kind ?? 'application');
        const scan = await savePostureScan(q, p.tenantId, project.id, { ...facts, documentSha256: createHash('sha256').update(body).digest('hex'), createdBy });
        return { ...scan, projectCreated: created };
      });
      req.auditDetails = { project: out.projectName, projectCreated: out.projectCreated, source: out.source, findings: out.findings, failed: out.summary.failed, errors: out.errorCount };
      return reply.code(201).send(out);
    },
  );
};

type Query = z.output<typeof ScanQuery>;

/** The body → what to store: a validated report, or an archive scanned here. */
async function scanFacts(body: Buffer, query: Query): Promise<ScanFacts> {
  const { sniffBody, gunzipLimited, readArchive, ArchiveError, ARCHIVE_LIMITS } = await import('./postureArchive.js');
  try {
    let bytes = body;
    let kind = sniffBody(bytes);
    if (kind === 'gzip') {
      bytes = await gunzipLimited(body, ARCHIVE_LIMITS.maxTotalBytes);
      kind = sniffBody(bytes);
      if (kind === 'gzip' || kind === 'zip') throw new VigilError('bad-request', 'the gzip stream holds neither a JSON report nor a tar archive', { errors: [{ pointer: '/body', detail: `gzip of ${kind}` }] });
    }
    switch (kind) {
      case 'json':
        return reportFacts(bytes, query);
      case 'tar':
      case 'zip':
        return await archiveFacts(await readArchive(bytes, kind, ARCHIVE_LIMITS, query.strip), query);
      case 'unknown':
        throw new VigilError('unsupported-media-type', 'expected a posture JSON report or a tar, tar.gz or zip archive of a directory', {
          errors: [{ pointer: '/body', detail: 'not JSON, tar, gzip or zip (judged by the first bytes)' }],
        });
    }
  } catch (err) {
    if (err instanceof ArchiveError) {
      throw new VigilError(err.failure === 'too-large' ? 'payload-too-large' : 'bad-request', err.message, { errors: [{ pointer: '/body', detail: err.message }] });
    }
    throw err;
  }
}

function reportFacts(bytes: Buffer, query: Query): ScanFacts {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new VigilError('malformed-json', `Request body is not valid JSON: ${(err as Error).message}`, { errors: [{ pointer: '/body', detail: (err as Error).message }] });
  }
  const parsed = PostureReportIn.safeParse(doc);
  if (!parsed.success) {
    const errors = issuesToErrors(parsed.error.issues);
    throw new VigilError('validation', `not a posture report: ${errors[0]?.pointer}: ${errors[0]?.detail}`, { errors });
  }
  const r = parsed.data;
  const findings: PostureFinding[] = r.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    status: f.status,
    message: f.message ?? f.title,
    resource: {
      kind: f.resource.kind,
      id: f.resource.id,
      name: f.resource.name,
      provider: f.resource.provider,
      account: f.resource.account ?? null,
      region: f.resource.region ?? null,
      namespace: f.resource.namespace ?? null,
    },
    location: f.location,
    frameworks: f.frameworks,
    remediation: f.remediation,
    fix: f.fix ?? null,
    suppression: f.suppression ? { reason: f.suppression.reason, source: f.suppression.source, expires: f.suppression.expires ?? null } : null,
  }));
  return {
    source: 'cli',
    target: query.target ?? r.target ?? 'report',
    // The contract's minimal shape has no counts: what the findings name is the lower bound.
    files: r.files ?? new Set(findings.map((f) => f.location.file)).size,
    resources: r.resources ?? new Set(findings.map((f) => f.resource.id)).size,
    findings,
    errors: r.errors.map((e) => ({ path: e.path, ...(e.line !== undefined ? { line: e.line } : {}), reason: e.reason })),
    rulesVersion: query.rulesVersion ?? null,
  };
}

async function archiveFacts(contents: ArchiveContents, query: Query): Promise<ScanFacts> {
  const [{ analyse }, { BUILTIN_RULES }, { parseSuppressionFile }, { rulesVersionOf }] = await Promise.all([
    import('../../posture/analyse.js'),
    import('../../posture/rules/registry.js'),
    import('../../posture/suppress/file.js'),
    import('../../posture/rules/version.js'),
  ]);
  let fileSuppressions: FileSuppression[] = [];
  if (contents.suppressions) {
    const s = parseSuppressionFile(contents.suppressions.path, contents.suppressions.text);
    if (!s.ok) throw new VigilError('bad-request', `suppression file: ${s.reason}`, { errors: [{ pointer: '/body', detail: s.reason }] });
    fileSuppressions = s.suppressions;
  }
  const a = await analyse(contents.files, BUILTIN_RULES, { fileSuppressions });
  const errors: InputProblem[] = [...contents.problems, ...a.problems];
  return {
    source: 'archive',
    target: query.target ?? 'archive',
    files: contents.files.length - a.unrecognised.length,
    resources: a.resources.length,
    findings: a.findings,
    errors,
    rulesVersion: rulesVersionOf(VERSION, BUILTIN_RULES),
  };
}
