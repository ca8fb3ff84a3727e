import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { startTracing, stopTracing, traceLogFields, tracingActive, tracingRequested } from './tracing.js';

test('tracing is requested by an OTLP endpoint, unless disabled', () => {
  const cases: [NodeJS.ProcessEnv, boolean][] = [
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: '  ' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'TRUE' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_SDK_DISABLED: 'false' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
  ];
  for (const [env, want] of cases) assert.equal(tracingRequested(env), want, JSON.stringify(env));
});

test('without an endpoint nothing of the SDK is loaded and logs get no trace fields', async () => {
  assert.equal(await startTracing({}), false);
  assert.equal(tracingActive(), false);
  assert.deepEqual(traceLogFields(), {});
  await stopTracing();
  const loaded = Object.keys(createRequire(import.meta.url).cache).filter((p) => p.includes('@opentelemetry') || p.includes('@fastify/otel'));
  assert.deepEqual(loaded, []);
});
