import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog } from '../../audit/types.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const VERBS: Record<string, string> = { POST: 'create', PUT: 'replace', PATCH: 'update', DELETE: 'delete' };

/**
 * Derives a stable action name from the route pattern: `POST /api/v1/users` → `users.create`,
 * `PATCH /api/v1/users/:id` → `users.update`, `POST /api/v1/jobs/:id/cancel` → `jobs.cancel`.
 */
export function actionOf(method: string, routeUrl: string): { action: string; targetType: string } {
  const parts = routeUrl.replace(/^\/api\/v1\//, '').split('/').filter(Boolean);
  const words = parts.filter((p) => !p.startsWith(':'));
  const last = parts[parts.length - 1] ?? '';
  if (last.startsWith(':') && words.length > 1) {
    // A nested resource named by its own id (PATCH /tenant/members/:id): its type is the path
    // of words, so it never reads as an action on the parent (tenant.update).
    const targetType = words.join('.');
    return { action: `${targetType}.${VERBS[method] ?? method.toLowerCase()}`, targetType };
  }
  const targetType = words[0] ?? 'root';
  const verb = words.length > 1 && !last.startsWith(':') ? words.slice(1).join('.') : (VERBS[method] ?? method.toLowerCase());
  return { action: `${targetType}.${verb}`, targetType };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Extra facts for this call's audit record, set by the route (never secrets). */
    auditDetails: Record<string, unknown> | undefined;
  }
}

/** The id the route names last (`:versionId` of /projects/:id/versions/:versionId), else `:id`. */
function paramIdOf(req: FastifyRequest, routeUrl: string): string | undefined {
  const params = req.params as Record<string, unknown> | undefined;
  const last = routeUrl.split('/').pop() ?? '';
  const named = last.startsWith(':') ? params?.[last.slice(1)] : undefined;
  if (typeof named === 'string') return named;
  return typeof params?.['id'] === 'string' ? params['id'] : undefined;
}

function targetIdOf(req: FastifyRequest, routeUrl: string, payload: unknown): string | undefined {
  const fromPath = paramIdOf(req, routeUrl);
  if (fromPath !== undefined) return fromPath;
  if (typeof payload === 'string' && payload.startsWith('{')) {
    try {
      const id = (JSON.parse(payload) as { id?: unknown }).id;
      return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Every mutating /api/v1 call is audited (successes and refusals alike) before the response
 * leaves, unless its route writes its own record (`config.audit: 'self'`, e.g. login).
 */
export function registerAudit(app: FastifyInstance, audit: AuditLog): void {
  app.decorateRequest('auditDetails', undefined);
  app.addHook('onSend', async (req, reply, payload) => {
    if (!MUTATING.has(req.method)) return payload;
    const url = req.routeOptions.url;
    if (!url?.startsWith('/api/v1/') || req.routeOptions.config.audit === 'self') return payload;
    const p = req.principal;
    const { action, targetType } = actionOf(req.method, url);
    try {
      await audit.append({
        // Unauthenticated attempts are recorded too, outside any tenant.
        tenantId: p?.tenantId ?? null,
        actorType: p?.kind ?? 'anonymous',
        actorId: p?.id ?? null,
        actorLabel: p?.label ?? 'anonymous',
        action,
        targetType,
        targetId: reply.statusCode < 400 ? targetIdOf(req, url, payload) : paramIdOf(req, url),
        requestId: req.id,
        ip: req.ip,
        outcome: reply.statusCode < 400 ? 'success' : 'failure',
        // A route may add what the decision was (a triage's state and reason: who, when and why).
        details: { ...(req.auditDetails ?? {}), method: req.method, route: url, status: reply.statusCode },
      });
    } catch (err) {
      req.log.error({ err }, 'could not write the audit record');
    }
    return payload;
  });
}
