import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuthService, Principal } from '../../auth/service.js';
import { VigilError } from '../../core/errors.js';
import { can, type Permission } from '../../core/roles.js';

export const ACCESS_COOKIE = 'vigil_access';
export const REFRESH_COOKIE = 'vigil_refresh';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the caller must be allowed to do; `public` for unauthenticated routes. Required on /api/v1 routes. */
    permission?: Permission | 'public';
    /** `auto`: mutating calls are audited by the audit hook; `self`: the handler writes its own record. */
    audit?: 'auto' | 'self';
  }
  interface FastifyRequest {
    principal: Principal | undefined;
    /** How the caller authenticated: `cookie` calls get a same-origin check on unsafe methods. */
    credentialSource: 'header' | 'cookie' | undefined;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** What a user who must change a one-time password may still call. */
const PASSWORD_CHANGE_ROUTES = new Set(['/api/v1/auth/password', '/api/v1/auth/me', '/api/v1/auth/logout']);

function credentialOf(request: FastifyRequest): { value: string; source: 'header' | 'cookie' } | undefined {
  const h = request.headers.authorization;
  if (typeof h === 'string') {
    const m = /^Bearer[ ]+(\S{1,4096})$/i.exec(h.trim());
    return m?.[1] ? { value: m[1], source: 'header' } : undefined;
  }
  const cookie = request.cookies[ACCESS_COOKIE];
  return cookie ? { value: cookie, source: 'cookie' } : undefined;
}

/** A cookie-authenticated unsafe request must come from our own origin (CSRF defence in depth). */
function sameOrigin(request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return false;
  const origin = request.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * Identifies the caller from its bearer token, API key or session cookie, without refusing
 * anything yet: the rate limiter runs next (keyed by principal or address), so floods of bad
 * credentials are limited too. Also checks every /api/v1 route declares a permission.
 */
export function registerIdentify(app: FastifyInstance, auth: AuthService): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('credentialSource', undefined);

  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/v1/') || route.url.startsWith('/api/v1/docs') || route.url === '/api/v1/openapi.json') return;
    const p = route.config?.permission;
    if (p === undefined) throw new Error(`route ${route.method.toString()} ${route.url} declares no permission`);
  });

  app.addHook('onRequest', async (request) => {
    const cred = credentialOf(request);
    if (!cred) return;
    const principal = await auth.authenticate(cred.value);
    if (principal) {
      request.principal = principal;
      request.credentialSource = cred.source;
    }
  });
}

/**
 * Refuses requests whose caller is unknown (401) or not allowed the route's permission (403).
 * Runs at preParsing: after every onRequest hook (the rate limiter's are per route, so they
 * run after global onRequest hooks) and before the body is read.
 */
export function registerAuthorize(app: FastifyInstance): void {
  app.addHook('preParsing', async (request, _reply, payload) => {
    const required = request.routeOptions.config.permission;
    if (required === undefined || required === 'public') return payload;
    if (!request.principal) {
      const presented = credentialOf(request) !== undefined;
      throw new VigilError('unauthorized', presented ? 'Credentials are invalid, expired or revoked' : 'Authentication required: send a bearer token or API key', {
        headers: { 'www-authenticate': 'Bearer realm="vigil"' },
      });
    }
    if (request.credentialSource === 'cookie' && UNSAFE.has(request.method) && !sameOrigin(request)) {
      throw new VigilError('forbidden', 'Cross-origin request with a session cookie refused');
    }
    if (request.principal.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(request.routeOptions.url ?? '')) {
      throw new VigilError('forbidden', 'Password change required: POST /api/v1/auth/password first');
    }
    if (!can(request.principal.role, required)) {
      throw new VigilError('forbidden', `Role "${request.principal.role}" may not ${required}`);
    }
    return payload;
  });
}

/** The authenticated principal; routes with a permission other than `public` always have one. */
export function principalOf(request: FastifyRequest): Principal {
  const p = request.principal;
  if (!p) throw new VigilError('unauthorized');
  return p;
}
