import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound } from '../../core/errors.js';
import { FRAMEWORK_IDS, isFrameworkId, type FrameworkId } from '../../posture/frameworks.js';
import type { FrameworkCoverage } from '../../posture/coverage/coverage.js';
import { RULE_PLATFORMS, type RulePlatform } from '../../posture/rule.js';
import { getPostureScan, listPostureScans, POSTURE_SCAN_SORT_FIELDS, POSTURE_SCAN_SOURCES } from '../../store/repos/posture.js';
import { listPostureFindings, postureSummary, POSTURE_FINDING_SORT_FIELDS, type PostureFindingFilter } from '../../store/repos/postureQueries.js';
import { principalOf } from '../plugins/auth.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems, queryBool } from '../schemas.js';
import { FrameworkCoverageOut, FrameworkOut, PostureFindingFilterQuery, PostureFindingOut, PostureScanOut, PostureSummaryOut, RuleDetailOut, RuleOut } from './postureSchemas.js';
import { postureTrendRoutes } from './history.js';
import { postureUploadRoutes } from './postureUpload.js';

type FilterQuery = { [K in keyof typeof PostureFindingFilterQuery]?: z.output<(typeof PostureFindingFilterQuery)[K]> };

const toFilter = (q: FilterQuery): PostureFindingFilter => ({ ...q });

const PLATFORMS = Object.keys(RULE_PLATFORMS) as [RulePlatform, ...RulePlatform[]];

/** The built-in rules, loaded on first use (the rule modules stay out of start-up). */
const builtinRules = async () => (await import('../../posture/rules/registry.js')).BUILTIN_RULES;

/** Published coverage of every framework by the built-in rules: computed once, on first use. */
let coverageOnce: Promise<readonly FrameworkCoverage[]> | undefined;
const builtinCoverage = (): Promise<readonly FrameworkCoverage[]> =>
  (coverageOnce ??= (async () => (await import('../../posture/coverage/coverage.js')).coverage(await builtinRules()))());

/**
 * Posture: scans stored per project (upload in postureUpload.ts), their findings with
 * filters (framework, control, severity, status, resource, rule, kind, file) and summary
 * counts, the rule catalogue with framework mappings, and the frameworks.
 */
export const postureRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tenantOf = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;

  app.get(
    '/posture/scans',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: 'List posture scans, newest first',
        querystring: z.strictObject({
          ...pageQuery(POSTURE_SCAN_SORT_FIELDS, '-createdAt'),
          project: PostureFindingFilterQuery.project,
          source: z.enum(POSTURE_SCAN_SOURCES).optional(),
          latest: queryBool.optional().describe("Only each project's latest scan"),
        }),
        response: { 200: pageOf(PostureScanOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), (q) => listPostureScans(q, filter, { limit, cursor, sort }));
    },
  );

  app.get(
    '/posture/scans/:id',
    {
      config: { permission: 'read' },
      schema: { tags: ['posture'], summary: 'One posture scan with its summary and errors', params: IdParams, response: { 200: PostureScanOut, ...problems(...AUTHED, 404) } },
    },
    async (req) => {
      const scan = await ctx.db.tenant(tenantOf(req), (q) => getPostureScan(q, req.params.id));
      if (!scan) throw notFound('posture scan');
      return scan;
    },
  );

  app.get(
    '/posture/findings',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: "List posture findings (each project's latest scan unless `scan` is given): filter, sort and paginate on the server",
        querystring: z.strictObject({ ...pageQuery(POSTURE_FINDING_SORT_FIELDS, '-severity'), ...PostureFindingFilterQuery }),
        response: { 200: pageOf(PostureFindingOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), (q) => listPostureFindings(q, toFilter(filter), { limit, cursor, sort }));
    },
  );

  app.get(
    '/posture/summary',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: 'Counts of posture findings by status, severity (failed) and framework, with the filters of GET /posture/findings',
        querystring: z.strictObject(PostureFindingFilterQuery),
        response: { 200: PostureSummaryOut, ...problems(...AUTHED) },
      },
    },
    async (req) => ctx.db.tenant(tenantOf(req), (q) => postureSummary(q, toFilter(req.query))),
  );

  app.get(
    '/posture/rules',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: 'The built-in rule catalogue with framework mappings, remediation and fix snippets',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(500).describe('Items per page (1-500)'),
          cursor: z.string().max(512).optional().describe('The `nextCursor` of the previous page'),
          framework: z.enum(FRAMEWORK_IDS as [string, ...string[]]).optional().describe('Only rules mapped to this framework'),
          platform: z.enum(PLATFORMS).optional(),
          severity: PostureFindingFilterQuery.severity,
          service: z.string().min(1).max(100).optional().describe('e.g. s3, iam, pod-security, rbac'),
        }),
        response: { 200: pageOf(RuleOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, framework, ...rest } = req.query;
      const { filterRules, pageRules } = await import('./postureRules.js');
      const rules = filterRules(await builtinRules(), { ...rest, framework: framework as FrameworkId | undefined });
      return pageRules(rules, limit, cursor);
    },
  );

  app.get(
    '/posture/rules/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: 'One rule with its framework mappings, remediation, fix snippets and good/bad examples',
        params: z.strictObject({ id: z.string().min(1).max(200).describe('Rule id, e.g. VGL-K8S-001') }),
        response: { 200: RuleDetailOut, ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      const rule = (await builtinRules()).find((r) => r.id === req.params.id.toUpperCase());
      if (!rule) throw notFound('rule');
      const { ruleDetail } = await import('./postureRules.js');
      return ruleDetail(rule);
    },
  );

  app.get(
    '/posture/frameworks',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: "The compliance frameworks rules map to (ids for the framework filters), with the share of each framework's requirements the built-in rules assess",
        response: { 200: z.object({ items: z.array(FrameworkOut) }), ...problems(...AUTHED) },
      },
    },
    async () => {
      const all = await builtinCoverage();
      return { items: all.map(({ framework, name, rules, requirements, assessed, coverage }) => ({ id: framework, name, rules, requirements, assessed, coverage })) };
    },
  );

  app.get(
    '/posture/frameworks/:id/coverage',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['posture'],
        summary: "Published coverage of one framework: its requirements (Vigil's catalogue, docs/coverage.md), which the built-in rules assess and with which rules, per platform",
        params: z.strictObject({ id: z.string().min(1).max(100).describe('Framework id, e.g. cis-aws-3.0') }),
        response: { 200: FrameworkCoverageOut, ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      const { id } = req.params;
      if (!isFrameworkId(id)) throw notFound('framework');
      const c = (await builtinCoverage()).find((f) => f.framework === id)!;
      const { CATALOGUES } = await import('../../posture/coverage/index.js');
      const titles = CATALOGUES[id].titles ?? {};
      const title = (r: string): string | null => titles[r] ?? null;
      return {
        id,
        name: c.name,
        edition: c.edition,
        level: c.level,
        rules: c.rules,
        requirements: c.requirements,
        assessed: c.assessed,
        coverage: c.coverage,
        collectedRules: c.collectedRules,
        collectedAssessed: c.collectedAssessed,
        platforms: c.platforms,
        assessedRequirements: c.assessedIds.map((r) => ({ id: r, title: title(r), rules: [...(c.rulesByRequirement[r] ?? [])] })),
        unassessedRequirements: c.unassessedIds.map((r) => ({ id: r, title: title(r) })),
      };
    },
  );

  await app.register(postureUploadRoutes, { ctx });
  await app.register(postureTrendRoutes, { ctx });
};
