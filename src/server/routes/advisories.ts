import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { SEVERITIES } from '../../core/advisory.js';
import { notFound } from '../../core/errors.js';
import { ADVISORY_SORTS, mergedAdvisory, searchAdvisories, type AdvisorySort } from '../../store/repos/advisoryQueries.js';
import { getRun, listRuns, quarantineOf } from '../../store/repos/feedRuns.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, problems, queryBool } from '../schemas.js';

const str = z.string();
const ro = <T extends z.ZodType>(t: T) => z.array(t).readonly();
const Event = z.object({ introduced: str.optional(), fixed: str.optional(), last_affected: str.optional(), limit: str.optional() });
const Affected = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('package'), recordSource: str, recordId: str, ecosystem: str, name: str, purl: str.optional(),
    ranges: ro(z.object({ type: z.enum(['SEMVER', 'ECOSYSTEM', 'GIT']), repo: str.optional(), events: ro(Event) })),
    versions: ro(str), ecosystemSpecific: z.unknown().optional(), databaseSpecific: z.unknown().optional(),
  }),
  z.object({
    kind: z.literal('product'), recordSource: str, recordId: str, source: str, vendor: str.optional(), product: str.optional(),
    packageName: str.optional(), collectionURL: str.optional(), repo: str.optional(), cpes: ro(str), platforms: ro(str),
    defaultStatus: str.optional(),
    versions: ro(z.object({ version: str, status: str, versionType: str.optional(), lessThan: str.optional(), lessThanOrEqual: str.optional(), changes: ro(z.object({ at: str, status: str })).optional() })),
  }),
  z.object({
    kind: z.literal('cpe'), recordSource: str, recordId: str, source: str, operator: z.enum(['AND', 'OR']).optional(), negate: z.boolean(),
    nodes: ro(z.object({
      operator: z.enum(['AND', 'OR']), negate: z.boolean(),
      cpeMatch: ro(z.object({ vulnerable: z.boolean(), criteria: str, matchCriteriaId: str.optional(), versionStartIncluding: str.optional(), versionStartExcluding: str.optional(), versionEndIncluding: str.optional(), versionEndExcluding: str.optional() })),
    })),
  }),
]);
const Ssvc = z.object({ exploitation: str.optional(), automatable: str.optional(), technicalImpact: str.optional(), version: str.optional(), timestamp: str.optional(), role: str.optional(), source: str });

const Cvss = z.object({ version: z.string(), vector: z.string(), score: z.number().nullable(), severity: z.enum(SEVERITIES), source: z.string() });

const AdvisorySummary = z
  .object({
    source: z.string(),
    id: z.string(),
    aliases: z.array(z.string()),
    title: z.string().nullable(),
    severity: z.enum(SEVERITIES),
    cvssScore: z.number().nullable(),
    kev: z.boolean(),
    epss: z.number().nullable(),
    published: z.string().nullable(),
    modified: z.string(),
    rejected: z.boolean(),
    withdrawn: z.string().nullable(),
  })
  .meta({ id: 'AdvisorySummary' });

const Advisory = z
  .object({
    id: z.string(),
    aliases: z.array(z.string()),
    summary: z.string().nullable(),
    description: z.string().nullable(),
    published: z.string().nullable(),
    modified: z.string(),
    withdrawn: z.string().nullable(),
    rejected: z.boolean(),
    severity: z.enum(SEVERITIES),
    cvss: z.array(Cvss),
    kev: z.object({ dateAdded: z.string(), dueDate: z.string(), knownRansomwareCampaignUse: z.enum(['Known', 'Unknown']), vendorProject: z.string(), product: z.string(), vulnerabilityName: z.string(), requiredAction: z.string() }).nullable(),
    epss: z.object({ score: z.number(), percentile: z.number(), date: z.string() }).nullable(),
    cwes: z.array(z.string()),
    ssvc: ro(Ssvc),
    references: ro(z.object({ url: z.string(), tags: ro(z.string()) })),
    affected: ro(Affected).describe('Ecosystem packages (OSV ranges kept exactly), CVE 5 products and CPE configurations, each with the record it came from'),
    related: z.array(z.string()),
    records: z.array(z.object({ source: z.string(), id: z.string(), modified: z.string() })),
  })
  .meta({ id: 'Advisory' });

const Run = z
  .object({
    id: z.uuid(),
    source: z.string(),
    mode: z.enum(['import', 'sync']),
    inputs: ro(z.string()),
    status: z.enum(['running', 'succeeded', 'failed', 'cancelled']),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    error: z.string().nullable(),
    new: z.number(),
    updated: z.number(),
    unchanged: z.number(),
    rejected: z.number(),
    invalid: z.number(),
  })
  .meta({ id: 'FeedRun' });

const sorts = ADVISORY_SORTS.flatMap((s) => [s, `-${s}`]) as [string, ...string[]];

export const advisoriesRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/advisories',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['advisories'],
        summary: 'Search the vulnerability database',
        description: 'One item per source record (CVE 5, OSV, NVD). Filters combine with AND; `q` is PostgreSQL full-text search over title and description.',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z.string().max(1024).optional(),
          sort: z.enum(sorts).default('-published').describe('published, modified, cvss or epss; a leading - sorts descending'),
          id: z.string().max(100).optional().describe('An id or alias (CVE, GHSA, PYSEC, GO, RUSTSEC, ALSA, ...)'),
          q: z.string().max(500).optional().describe('Full-text search over title and description'),
          ecosystem: z.string().max(100).optional(),
          package: z.string().max(300).optional(),
          vendor: z.string().max(200).optional(),
          product: z.string().max(200).optional(),
          severity: z.enum(SEVERITIES).optional(),
          cvssMin: z.coerce.number().min(0).max(10).optional(),
          kev: queryBool.optional(),
          epssMin: z.coerce.number().min(0).max(1).optional(),
          publishedFrom: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          publishedTo: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
          source: z.enum(['cve5', 'osv', 'nvd']).optional(),
        }),
        response: { 200: z.object({ items: z.array(AdvisorySummary), nextCursor: z.string().nullable() }), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      const desc = sort.startsWith('-');
      return ctx.db.tenant(principalOf(req).tenantId, (q) =>
        searchAdvisories(q, filter, { limit, cursor, sort: sort.replace('-', '') as AdvisorySort, desc }),
      );
    },
  );

  app.get(
    '/advisories/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['advisories'],
        summary: 'One vulnerability, merged across its alias group (any id or alias resolves)',
        params: z.strictObject({ id: z.string().min(3).max(100) }),
        response: { 200: Advisory, ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      const a = await ctx.db.tenant(principalOf(req).tenantId, (q) => mergedAdvisory(q, req.params.id));
      if (!a) throw notFound('advisory');
      return a;
    },
  );

  app.get(
    '/feeds/runs',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['feeds'],
        summary: 'Feed import and sync runs, newest first, with their counts',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50), cursor: z.string().max(200).optional() }),
        response: { 200: z.object({ items: z.array(Run), nextCursor: z.string().nullable() }), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor } = req.query;
      const before = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { startedAt: string; id: string }) : undefined;
      const runs = await ctx.db.tenant(principalOf(req).tenantId, (q) => listRuns(q, limit + 1, before));
      const items = runs.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: runs.length > limit && last ? Buffer.from(JSON.stringify({ startedAt: last.startedAt, id: last.id })).toString('base64url') : null };
    },
  );

  app.get(
    '/feeds/runs/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['feeds'],
        summary: 'One feed run with its quarantined records (file, record id, reason)',
        params: IdParams,
        response: {
          200: Run.extend({ quarantine: z.array(z.object({ id: z.number(), source: z.string(), file: z.string(), entry: z.string().optional(), line: z.number().optional(), recordId: z.string().nullable(), reason: z.string(), pointer: z.string().optional() })) }),
          ...problems(...AUTHED, 404),
        },
      },
    },
    async (req) => {
      return ctx.db.tenant(principalOf(req).tenantId, async (q) => {
        const run = await getRun(q, req.params.id);
        if (!run) throw notFound('feed run');
        return { ...run, quarantine: await quarantineOf(q, run.id) };
      });
    },
  );
};
