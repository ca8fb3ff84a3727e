import { pino, type Logger } from 'pino';
import { traceLogFields, tracingActive } from './tracing.js';

/**
 * JSON logs on stderr (stdout is for machine-readable CLI output). Credentials are redacted
 * wherever they could appear: headers, cookies, and any field named like a secret. With
 * tracing on, each line carries the active span's `trace_id` and `span_id`.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.key',
  '*.secret',
  '*.databaseUrl',
  '*.jwtSecret',
  '*.adminPassword',
  '*.nvdApiKey',
  '*.apiKey',
];

export function createLogger(level: string, destination: NodeJS.WritableStream = process.stderr): Logger {
  return pino(
    {
      level,
      base: { service: 'vigil' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      ...(tracingActive() ? { mixin: traceLogFields } : {}),
    },
    destination as pino.DestinationStream,
  );
}
