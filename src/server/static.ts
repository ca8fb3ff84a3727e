import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { VigilError } from '../core/errors.js';

/**
 * The built web dashboard: `vite build` writes it to dist/web. This module sits two levels
 * below the package root both as src/server/static.ts (tsx) and dist/server/static.js (built).
 */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Hashed file names (Vite's assets/) never change content: cache them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const NO_CACHE = 'no-cache';

/** Paths that belong to the server, never to the single-page app. */
const SERVER_PATHS = /^\/(?:api|healthz|readyz|metrics)(?:\/|$)/;

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Vigil</title></head>
<body>
<h1>Vigil</h1>
<p>The web dashboard has not been built in this checkout. Build it with <code>npm run build</code>
(or only the dashboard: <code>npm run build:web</code>) and restart the server.</p>
<p>The API is running: see its documentation at <a href="/api/v1/docs">/api/v1/docs</a>.</p>
</body></html>
`;

function notFound(req: FastifyRequest): VigilError {
  return new VigilError('not-found', `No route for ${req.method} ${req.url.split('?')[0] ?? ''}`);
}

/**
 * Serves the dashboard at `/`: its files from `dir` (hashed assets cached for long, index.html
 * revalidated on every load), and index.html for every other GET path that is not the API's,
 * so client-side routes survive a reload. Unknown /api paths stay problem+json 404s. Without
 * a build, `/` answers a short page that says how to build it.
 */
export async function registerWebApp(app: FastifyInstance, dir: string = DEFAULT_WEB_DIR): Promise<void> {
  const indexFile = join(dir, 'index.html');
  const route = { schema: { hide: true }, config: { permission: 'public' as const } };
  if (!existsSync(indexFile)) {
    app.get('/', route, async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', NO_CACHE).send(NOT_BUILT));
    return;
  }
  const index = await readFile(indexFile);
  const sendIndex = (reply: FastifyReply): FastifyReply =>
    reply.type('text/html; charset=utf-8').header('cache-control', NO_CACHE).send(index);

  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    // One route per file found at start-up (no catch-all), so the SPA fallback below owns `/*`.
    wildcard: false,
    index: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      void reply.header('cache-control', /[\\/]assets[\\/]/.test(path) ? IMMUTABLE : NO_CACHE);
    },
  });
  app.get('/', route, async (_req, reply) => sendIndex(reply));
  app.get('/*', route, async (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const last = path.slice(path.lastIndexOf('/') + 1);
    // API paths and missing files (anything with an extension) are real 404s.
    if (SERVER_PATHS.test(path) || last.includes('.')) throw notFound(req);
    return sendIndex(reply);
  });
}
