import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../app/context.js';
import { notFound, VigilError } from '../../core/errors.js';
import { listEvents, EVENT_TYPES } from '../../store/repos/events.js';
import {
  findingHistory,
  findingIdsWhere,
  findingSummary,
  FINDING_SORT_FIELDS,
  getFinding,
  getSlaPolicy,
  listFindings,
  setSlaPolicy,
  triageFindings,
  type FindingFilter,
  type TriageChange,
} from '../../store/repos/findingQueries.js';
import { actorNames } from '../../store/repos/actors.js';
import { getProject } from '../../store/repos/projects.js';
import { principalOf } from '../plugins/auth.js';
import { MatchOut } from './projectSchemas.js';
import { AUTHED, IdParams, pageOf, pageQuery, problems } from '../schemas.js';
import { findingTrendRoutes } from './history.js';
import { EventOut, FindingFilterQuery, FindingOut, HistoryOut, SlaPolicyBody, SlaPolicyOut, SummaryOut, TriageBody } from './findingSchemas.js';

/** Bulk triage changes at most this many findings per call. */
const BULK_MAX = 5000;

type FilterQuery = { [K in keyof typeof FindingFilterQuery]?: z.output<(typeof FindingFilterQuery)[K]> };

function toFilter(q: FilterQuery): FindingFilter {
  return {
    project: q.project,
    severity: q.severity,
    state: q.state,
    activeOnly: !q.includeClosed,
    kev: q.kev,
    epssMin: q.epssMin,
    riskMin: q.riskMin,
    cvssMin: q.cvssMin,
    package: q.package,
    ecosystem: q.ecosystem,
    advisory: q.advisory,
    slaDueBefore: q.slaDueBefore,
    slaBreached: q.slaBreached,
    direct: q.direct,
    fixAvailable: q.fixAvailable,
  };
}

/** Checks a triage change: what each state needs (VEX justification, reason, expiry in the future). */
export function checkTriage(t: TriageChange, pointer = '/body'): void {
  const errors: { pointer: string; detail: string }[] = [];
  if (t.state === 'not_affected' && !t.justification) errors.push({ pointer: `${pointer}/justification`, detail: 'not_affected needs a VEX justification' });
  if (t.state !== 'not_affected' && t.justification) errors.push({ pointer: `${pointer}/justification`, detail: 'a justification goes with not_affected only' });
  if ((t.state === 'accepted_risk' || t.state === 'false_positive') && !t.reason) errors.push({ pointer: `${pointer}/reason`, detail: `${t.state} needs a reason` });
  if (t.state === 'accepted_risk') {
    if (!t.expiresAt) errors.push({ pointer: `${pointer}/expiresAt`, detail: 'accepted_risk needs an expiry' });
    else if (new Date(t.expiresAt).getTime() <= Date.now()) errors.push({ pointer: `${pointer}/expiresAt`, detail: 'the expiry must be in the future' });
  } else if (t.expiresAt) errors.push({ pointer: `${pointer}/expiresAt`, detail: 'an expiry goes with accepted_risk only' });
  if (errors.length > 0) throw new VigilError('validation', errors.map((e) => e.detail).join('; '), { errors });
}

/** What a triage decided, for the audit record (the reason shortened). */
function triageAudit(t: TriageChange): Record<string, unknown> {
  return { state: t.state, justification: t.justification ?? null, reason: t.reason?.slice(0, 500) ?? null, expiresAt: t.expiresAt ?? null };
}

/** Findings across projects, triage (one or many), summaries, SLA policy and lists, events. */
export const findingsRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const tenantOf = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;
  const actorOf = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    return p.kind === 'user' ? `user:${p.id}` : `api-key:${p.id}`;
  };

  app.get(
    '/findings',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['findings'],
        summary: 'List findings across projects (filter, sort and paginate on the server)',
        querystring: z.strictObject({ ...pageQuery(FINDING_SORT_FIELDS, '-risk'), ...FindingFilterQuery }),
        response: { 200: pageOf(FindingOut), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { limit, cursor, sort, ...filter } = req.query;
      return ctx.db.tenant(tenantOf(req), (q) => listFindings(q, toFilter(filter), { limit, cursor, sort }));
    },
  );

  app.get(
    '/findings/summary',
    {
      config: { permission: 'read' },
      schema: { tags: ['findings'], summary: 'Counts of findings across the tenant by severity and state', response: { 200: SummaryOut, ...problems(...AUTHED) } },
    },
    async (req) =>
      ctx.db.tenant(tenantOf(req), async (q) => {
        const policy = await getSlaPolicy(q);
        return findingSummary(q, undefined, policy.dueSoonDays);
      }),
  );

  app.get(
    '/findings/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['findings'],
        summary: 'One finding with its triage history',
        params: IdParams,
        response: { 200: FindingOut.extend({ history: z.array(HistoryOut) }), ...problems(...AUTHED, 404) },
      },
    },
    async (req) =>
      ctx.db.tenant(tenantOf(req), async (q) => {
        const f = await getFinding(q, req.params.id);
        if (!f) throw notFound('finding');
        const history = await findingHistory(q, f.id);
        const names = await actorNames(q, history.map((h) => h.actor));
        return { ...f, history: history.map((h) => ({ ...h, actorType: names.get(h.actor)?.kind ?? 'unknown', actorName: names.get(h.actor)?.name ?? h.actor })) };
      }),
  );

  app.patch(
    '/findings/:id',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['findings'],
        summary: 'Triage a finding: in triage, accepted risk (with expiry), false positive, not affected (with VEX justification), fixed, or open again',
        params: IdParams,
        body: z.strictObject(TriageBody),
        response: { 200: FindingOut, ...problems(...AUTHED, 404) },
      },
    },
    async (req) => {
      checkTriage(req.body);
      req.auditDetails = triageAudit(req.body);
      return ctx.db.tenant(tenantOf(req), async (q) => {
        const changed = await triageFindings(q, tenantOf(req), [req.params.id], req.body, actorOf(req));
        if (changed.length === 0) throw notFound('finding');
        return (await getFinding(q, req.params.id))!;
      });
    },
  );

  app.post(
    '/findings/triage',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['findings'],
        summary: 'Triage many findings at once: by id, or every finding matching a filter across projects',
        description: `Give \`ids\`, or \`filter\` (the GET /findings filters, e.g. {"advisory": "CVE-2024-1234", "package": "pkg:npm/lodash"} to apply one decision in every project). At most ${BULK_MAX} findings per call.`,
        body: z.strictObject({
          ids: z.array(z.uuid()).min(1).max(BULK_MAX).optional(),
          filter: z.strictObject(FindingFilterQuery).optional(),
          ...TriageBody,
        }),
        response: { 200: z.object({ updated: z.number().int(), ids: z.array(z.uuid()) }), ...problems(...AUTHED) },
      },
    },
    async (req) => {
      const { ids, filter, ...change } = req.body;
      if ((ids === undefined) === (filter === undefined)) {
        throw new VigilError('validation', 'give either ids or filter', { errors: [{ pointer: '/body', detail: 'expected exactly one of ids, filter' }] });
      }
      checkTriage(change);
      req.auditDetails = triageAudit(change);
      return ctx.db.tenant(tenantOf(req), async (q) => {
        let target = ids ?? [];
        if (filter) {
          // Open and in-triage findings unless the filter names states (or includeClosed).
          target = await findingIdsWhere(q, toFilter(filter), BULK_MAX);
          if (target.length > BULK_MAX) {
            throw new VigilError('validation', `the filter matches more than ${BULK_MAX} findings: narrow it`, { errors: [{ pointer: '/body/filter', detail: `more than ${BULK_MAX} findings` }] });
          }
        }
        const changed = await triageFindings(q, tenantOf(req), target, change, actorOf(req));
        req.auditDetails = { ...triageAudit(change), findings: changed.length, ...(filter ? { filter } : {}) };
        return { updated: changed.length, ids: changed };
      });
    },
  );

  app.get(
    '/projects/:id/findings/summary',
    {
      config: { permission: 'read' },
      schema: { tags: ['findings'], summary: "Counts of a project's findings by severity and state", params: IdParams, response: { 200: SummaryOut, ...problems(...AUTHED, 404) } },
    },
    async (req) =>
      ctx.db.tenant(tenantOf(req), async (q) => {
        if (!(await getProject(q, req.params.id))) throw notFound('project');
        const policy = await getSlaPolicy(q);
        return findingSummary(q, req.params.id, policy.dueSoonDays);
      }),
  );

  app.post(
    '/projects/:id/match',
    {
      config: { permission: 'write' },
      schema: {
        tags: ['findings'],
        summary: "Match the project's current version again now (it also happens on upload and after feed imports)",
        params: IdParams,
        response: { 200: MatchOut, ...problems(...AUTHED, 404, 409) },
      },
    },
    async (req) => {
      const project = await ctx.db.tenant(tenantOf(req), (q) => getProject(q, req.params.id));
      if (!project) throw notFound('project');
      if (!project.latestVersion) throw new VigilError('conflict', 'the project has no version yet: upload an SBOM or lockfile first');
      const { matchProjectVersion } = await import('../../match/project.js');
      const m = await matchProjectVersion(ctx.db, tenantOf(req), project.id, project.latestVersion.id, actorOf(req));
      return { current: m.current, total: m.findings, created: m.created, updated: m.updated, fixed: m.fixed, reopened: m.reopened, inherited: m.inherited, unassessed: m.unassessed, durationMs: Math.round(m.durationMs) };
    },
  );

  app.get(
    '/sla/policy',
    { config: { permission: 'read' }, schema: { tags: ['sla'], summary: "The tenant's SLA policy (days to fix per severity)", response: { 200: SlaPolicyOut, ...problems(...AUTHED) } } },
    async (req) => ctx.db.tenant(tenantOf(req), (q) => getSlaPolicy(q)),
  );

  app.put(
    '/sla/policy',
    {
      config: { permission: 'admin' },
      schema: { tags: ['sla'], summary: 'Set the SLA policy; due dates of every finding are recomputed', body: SlaPolicyBody, response: { 200: SlaPolicyOut, ...problems(...AUTHED) } },
    },
    async (req) =>
      ctx.db.tenant(tenantOf(req), async (q) => {
        await setSlaPolicy(q, tenantOf(req), req.body, actorOf(req));
        return getSlaPolicy(q);
      }),
  );

  const slaList = (path: string, summary: string, filter: (soonDays: number) => FindingFilter) =>
    app.get(
      path,
      {
        config: { permission: 'read' },
        schema: {
          tags: ['sla'],
          summary,
          querystring: z.strictObject({ ...pageQuery(FINDING_SORT_FIELDS, 'slaDue'), project: FindingFilterQuery.project, severity: FindingFilterQuery.severity }),
          response: { 200: pageOf(FindingOut), ...problems(...AUTHED) },
        },
      },
      async (req) =>
        ctx.db.tenant(tenantOf(req), async (q) => {
          const policy = await getSlaPolicy(q);
          const { limit, cursor, sort, project, severity } = req.query;
          return listFindings(q, { ...filter(policy.dueSoonDays), project, severity }, { limit, cursor, sort });
        }),
    );
  slaList('/sla/breaches', 'Open findings past their SLA due date', () => ({ activeOnly: true, slaBreached: true }));
  slaList('/sla/due-soon', "Open findings due within the policy's due-soon window", (days) => ({
    activeOnly: true,
    slaBreached: false,
    slaDueBefore: new Date(Date.now() + days * 86_400_000).toISOString(),
  }));

  app.get(
    '/events',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['findings'],
        summary: 'Events (finding created, fixed, reopened, triaged, risk acceptance expired, SLA breached), oldest first',
        querystring: z.strictObject({
          limit: z.coerce.number().int().min(1).max(500).default(100),
          cursor: z.string().max(100).optional(),
          type: z.string().max(50).optional().describe(`Type or prefix: ${EVENT_TYPES.join(', ')}`),
        }),
        response: { 200: pageOf(EventOut), ...problems(...AUTHED) },
      },
    },
    async (req) => ctx.db.tenant(tenantOf(req), (q) => listEvents(q, { type: req.query.type }, req.query)),
  );

  await app.register(findingTrendRoutes, { ctx });
};
