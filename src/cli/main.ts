#!/usr/bin/env node
import { startTracing, stopTracing } from '../observability/tracing.js';
import { isTracedCommand } from './argv.js';

const argv = process.argv.slice(2);
// Tracing (only with OTEL_EXPORTER_OTLP_ENDPOINT set) hooks http, fastify and pg, so it starts
// before the program, which imports them, is loaded. Pending spans are flushed when the event
// loop empties (a worker that stopped, a failed start); `serve` flushes in its own shutdown,
// which ends with process.exit.
if (isTracedCommand(argv) && (await startTracing())) process.once('beforeExit', () => void stopTracing());
const { runCli } = await import('./program.js');

const code = await runCli(argv);
// `serve` and `worker` keep running: only set the code, let open handles decide when to exit.
process.exitCode = code;
