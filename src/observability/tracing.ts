// OpenTelemetry traces, off unless an OTLP endpoint is configured. When off, nothing of the
// SDK is imported (start-up time); when on, this must run before fastify, http and pg are
// first imported, so the instrumentations can hook them: the CLI entry calls it first and
// imports the rest of the program afterwards.
import type * as OtelApi from '@opentelemetry/api';
import { VERSION } from '../version.js';

interface Active {
  readonly api: typeof OtelApi;
  shutdown(): Promise<void>;
}

let active: Active | undefined;

const SHUTDOWN_TIMEOUT_MS = 5_000;

/** Probes and scrapes, polled every few seconds: not worth a trace each. */
const UNTRACED_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics']);
const untraced = (url: string | undefined): boolean => UNTRACED_PATHS.has((url ?? '').split('?')[0]!);

const set = (v: string | undefined): boolean => v !== undefined && v.trim() !== '';

/**
 * Tracing is on when an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, or the
 * traces-only `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), unless `OTEL_SDK_DISABLED=true` or
 * `OTEL_TRACES_EXPORTER=none`.
 */
export function tracingRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  if (!set(env['OTEL_EXPORTER_OTLP_ENDPOINT']) && !set(env['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'])) return false;
  if (env['OTEL_SDK_DISABLED']?.trim().toLowerCase() === 'true') return false;
  return env['OTEL_TRACES_EXPORTER']?.trim().toLowerCase() !== 'none';
}

export const tracingActive = (): boolean => active !== undefined;

/**
 * Starts the OpenTelemetry SDK when `tracingRequested(env)`: spans for incoming (except
 * /healthz, /readyz, /metrics) and outgoing HTTP, Fastify routes and hooks, and `pg` queries
 * (PostgreSQL server mode; PGlite is not instrumented), exported over OTLP as the standard
 * `OTEL_*` variables say (default http/protobuf to `$OTEL_EXPORTER_OTLP_ENDPOINT/v1/traces`).
 * Traces only: metrics stay with Prometheus (`/metrics`) and logs with pino on stderr.
 * Returns whether tracing is on.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (active) return true;
  if (!tracingRequested(env)) return false;

  // ES modules are hooked through import-in-the-middle, limited to the modules that the
  // instrumentations ask for (everything else loads untouched).
  const { register } = await import('node:module');
  const { createAddHookMessageChannel } = await import('import-in-the-middle');
  const { registerOptions, waitForAllMessagesAcknowledged } = createAddHookMessageChannel();
  register('import-in-the-middle/hook.mjs', import.meta.url, registerOptions);

  const [api, { NodeSDK }, resources, { HttpInstrumentation }, { PgInstrumentation }, { FastifyOtelInstrumentation }] = await Promise.all([
    import('@opentelemetry/api'),
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@fastify/otel'),
  ]);

  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (env detector) override these.
    resource: resources.resourceFromAttributes({ 'service.name': 'vigil', 'service.version': VERSION }),
    // Not the process detector: it exports the command line, which may hold --database-url.
    resourceDetectors: [resources.envDetector, resources.hostDetector],
    instrumentations: [
      new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => untraced(req.url) }),
      new PgInstrumentation(),
      // Registers its plug-in on every Fastify instance as it is created: route names, hooks.
      new FastifyOtelInstrumentation({ registerOnInitialization: true, ignorePaths: (route) => untraced(route.url) }),
    ],
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  await waitForAllMessagesAcknowledged();
  active = { api, shutdown: () => sdk.shutdown() };
  return true;
}

/** Flushes pending spans and stops the SDK (bounded in time); a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const a = active;
  if (!a) return;
  active = undefined;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((ok) => {
    timer = setTimeout(ok, SHUTDOWN_TIMEOUT_MS);
    timer.unref();
  });
  try {
    await Promise.race([a.shutdown(), timeout]);
  } catch {
    // An unreachable collector must not turn a clean shutdown into a failure.
  } finally {
    clearTimeout(timer);
  }
}

/** `trace_id`, `span_id` and `trace_flags` of the active span for log lines; {} without one. */
export function traceLogFields(): Record<string, string> {
  if (!active) return {};
  const span = active.api.trace.getActiveSpan();
  if (!span) return {};
  const c = span.spanContext();
  if (!active.api.isSpanContextValid(c)) return {};
  return { trace_id: c.traceId, span_id: c.spanId, trace_flags: c.traceFlags.toString(16).padStart(2, '0') };
}
