import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppContext } from '../app/context.js';
import { VERSION } from '../version.js';
import { registerAudit } from './plugins/audit.js';
import { registerAuthorize, registerIdentify } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/errors.js';
import { registerHttpMetrics } from './plugins/metrics.js';
import { API_ROUTES } from './routes/index.js';
import { healthRoutes } from './routes/health.js';
import { registerWebApp } from './static.js';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export interface RouteInfo {
  readonly method: string;
  readonly url: string;
  readonly permission: string | undefined;
}

const ROUTES = new WeakMap<object, RouteInfo[]>();

/** The routes an app registered (for conformance tests: OpenAPI coverage, the cross-tenant walk). */
export function routesOf(app: FastifyInstance): readonly RouteInfo[] {
  return ROUTES.get(app) ?? [];
}

/**
 * Builds the HTTP app without listening, so tests drive it with `inject()`. Everything it
 * needs comes in through the context.
 */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const logger: FastifyBaseLogger = ctx.logger.child({ component: 'http' });
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: ctx.config.bodyLimit,
    trustProxy: ctx.config.trustProxy,
    requestIdHeader: false,
    genReqId: (req) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();
  const routes: RouteInfo[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: r.url, permission: r.config?.permission });
    }
  });

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRequest', async (req, reply) => {
    void reply.header('x-request-id', req.id);
  });
  registerErrorHandling(app);
  registerHttpMetrics(app, ctx.metrics);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        // Served over plain HTTP (a LAN address, no TLS in front), upgrading would make the
        // browser fetch the dashboard's scripts over HTTPS and fail; keep it behind HTTPS only.
        upgradeInsecureRequests: ctx.config.cookieSecure ? [] : null,
      },
    },
    hsts: ctx.config.cookieSecure,
  });
  if (ctx.config.corsOrigins.length > 0) {
    await app.register(cors, { origin: [...ctx.config.corsOrigins], credentials: true });
  }
  await app.register(cookie);
  registerIdentify(app, ctx.auth);
  await app.register(rateLimit, {
    global: true,
    max: ctx.config.rateLimit,
    timeWindow: '1 minute',
    hook: 'onRequest',
    keyGenerator: (req) => (req.principal ? `${req.principal.kind}:${req.principal.id}` : `ip:${req.ip}`),
    allowList: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
  });
  registerAuthorize(app);
  registerAudit(app, ctx.audit);

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Vigil API',
        version: VERSION,
        description: 'Self-hosted security platform. Errors are RFC 9457 problem details (application/problem+json); lists are cursor-paginated (`limit`, `cursor`, `sort`; follow `nextCursor`).',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: '/' }],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Access token from /api/v1/auth/login, or an API key (vgl_...)' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'vigil_access' },
        },
      },
      security: [{ bearer: [] }, { cookie: [] }],
    },
    transform: (args) => {
      const out = jsonSchemaTransform(args);
      // Public routes need no credentials in the document either.
      if (args.route.config?.permission === 'public') (out.schema as Record<string, unknown>)['security'] = [];
      return out;
    },
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: '/api/v1/docs', staticCSP: true, uiConfig: { deepLinking: true } });

  await app.register(healthRoutes, { ctx });
  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true }, config: { permission: 'public' } }, async () => app.swagger());
      for (const routes of API_ROUTES) await api.register(routes, { ctx });
    },
    { prefix: '/api/v1' },
  );
  // The web dashboard at `/` (or a page saying how to build it).
  await registerWebApp(app);
  return app;
}
