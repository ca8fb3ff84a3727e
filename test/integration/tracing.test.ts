// OpenTelemetry end to end: the real CLI server, started with OTEL_EXPORTER_OTLP_ENDPOINT
// pointing at an OTLP/HTTP receiver on loopback, exports the spans of the requests it served
// (flushed on SIGTERM), and its request logs carry the same trace id. With DATABASE_URL set the
// server runs on that PostgreSQL server, in a schema of its own, and its queries are spans too.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';

const ROOT = resolve(import.meta.dirname, '..', '..');

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function listen(server: Server): Promise<number> {
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const s = createServer();
  const port = await listen(s);
  await new Promise((ok) => s.close(ok));
  return port;
}

const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) c.kill('SIGKILL');
});

test('serve exports OTLP traces of the requests it served and logs their trace ids', { timeout: 60_000 }, async () => {
  const received: Received[] = [];
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      // An empty ExportTraceServiceResponse: full success.
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  const receiverPort = await listen(receiver);
  after(() => new Promise((ok) => receiver.close(ok)));

  const port = await freePort();
  const databaseUrl = process.env['DATABASE_URL'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('OTEL_') || k.startsWith('VIGIL_') || k.startsWith('PG') || k === 'DATABASE_URL') delete env[k];
  if (databaseUrl) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    after(async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA ${schema} CASCADE`);
      await c.end();
    });
    // node-postgres reads PGOPTIONS like libpq does.
    Object.assign(env, { DATABASE_URL: databaseUrl, PGOPTIONS: `-c search_path=${schema}` });
  }
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    VIGIL_DATA_DIR: 'memory://',
    VIGIL_LOG_LEVEL: 'info',
    VIGIL_WORKER_CONCURRENCY: '0',
    VIGIL_ADMIN_EMAIL: 'admin@otel.test',
    VIGIL_ADMIN_PASSWORD: 'otel-test-password-long',
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${receiverPort}`,
    // Nothing is exported before shutdown, so the assertions below also prove the final flush.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((ok) => child.once('exit', (code) => ok(code)));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 40_000;
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.status === 200, () => false);
    if (ready) break;
    assert.ok(child.exitCode === null, `server exited early:\n${stderr}`);
    assert.ok(Date.now() < deadline, `server not ready:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const me = await fetch(`${base}/api/v1/auth/me`);
  assert.equal(me.status, 401);
  const requestId = me.headers.get('x-request-id');
  assert.equal(received.length, 0, 'spans are batched until shutdown');

  child.kill('SIGTERM');
  assert.equal(await exited, 0, stderr);
  children.delete(child);

  // The request log line of /api/v1/auth/me carries the trace id of its span.
  const lines = stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const logged = lines.find((l) => l['msg'] === 'request completed' && (requestId === null || l['reqId'] === requestId) && (l['res'] as { statusCode?: number } | undefined)?.statusCode === 401);
  assert.ok(logged, `a request log line for the 401:\n${stderr}`);
  const traceId = logged['trace_id'];
  assert.ok(typeof traceId === 'string' && /^[0-9a-f]{32}$/.test(traceId) && !/^0+$/.test(traceId), `trace_id in ${JSON.stringify(logged)}`);
  assert.match(String(logged['span_id']), /^[0-9a-f]{16}$/);

  const exports = received.filter((r) => r.method === 'POST' && r.url === '/v1/traces');
  assert.ok(exports.length > 0, `trace exports received: ${received.map((r) => `${r.method} ${r.url}`).join(', ')}`);
  assert.equal(exports[0]!.headers['content-type'], 'application/x-protobuf');
  const body = Buffer.concat(exports.map((r) => r.body));
  // Protocol buffers keep strings and the 16-byte trace id as they are.
  for (const s of ['service.name', 'vigil', 'service.version', '/api/v1/auth/me']) assert.ok(body.includes(s), `export mentions ${s}`);
  assert.ok(!body.includes('/readyz'), 'readiness probes are not traced');
  assert.ok(body.includes(Buffer.from(traceId, 'hex')), 'the logged trace id is in the export');
  if (databaseUrl) {
    // Spans of pg queries (the embedded PGlite is not instrumented).
    for (const s of ['pg.query', 'db.system', 'postgresql', 'schema_migrations']) assert.ok(body.includes(s), `export mentions ${s}`);
  }
});
