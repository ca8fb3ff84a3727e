import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { PROBLEMS, problemType, VigilError, type FieldError, type ProblemCode } from '../../core/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: readonly FieldError[];
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, err: VigilError): FastifyReply {
  const body: ProblemBody = {
    type: problemType(err.code),
    title: PROBLEMS[err.code].title,
    status: err.status,
    detail: err.message,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
    ...(err.errors && err.errors.length > 0 ? { errors: err.errors } : {}),
  };
  for (const [k, v] of Object.entries(err.headers ?? {})) void reply.header(k, v);
  return reply.code(err.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Escapes a key for a JSON pointer (RFC 6901). */
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

interface ZodIssueParams {
  keys?: string[];
  expected?: string;
}

function validationToFieldErrors(err: FastifyError): FieldError[] {
  const where = err.validationContext ?? 'body';
  const out: FieldError[] = [];
  for (const v of err.validation ?? []) {
    const base = `/${where}${v.instancePath === '/' ? '' : v.instancePath}`;
    const params = v.params as ZodIssueParams;
    if (v.keyword === 'unrecognized_keys' && Array.isArray(params.keys)) {
      for (const k of params.keys) out.push({ pointer: `${base}/${escapePointer(String(k))}`, detail: 'unknown field' });
    } else {
      out.push({ pointer: base, detail: v.message ?? 'invalid value' });
    }
  }
  return out;
}

/** Maps anything thrown in a request to RFC 9457 problem+json; never leaks a stack trace. */
export function toVigilError(error: unknown): VigilError {
  if (error instanceof VigilError) return error;
  const err = error as FastifyError & { statusCode?: number };
  if (hasZodFastifySchemaValidationErrors(err) || err.code === 'FST_ERR_VALIDATION') {
    const errors = validationToFieldErrors(err);
    const first = errors[0];
    return new VigilError('validation', first ? `${first.pointer}: ${first.detail}` : 'Request validation failed', { errors });
  }
  const byCode: Record<string, ProblemCode> = {
    FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
    FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
    FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
    FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
    FST_ERR_BAD_URL: 'bad-request',
    FST_ERR_RATE_LIMIT: 'too-many-requests',
  };
  const mapped = err.code ? byCode[err.code] : undefined;
  if (mapped === 'malformed-json') {
    return new VigilError('malformed-json', `Request body is not valid JSON: ${err.message}`, { errors: [{ pointer: '/body', detail: err.message }] });
  }
  if (mapped === 'payload-too-large') return new VigilError('payload-too-large', err.message, { errors: [{ pointer: '/body', detail: err.message }] });
  if (mapped) return new VigilError(mapped, err.message);
  // JSON.parse errors raised by the body parser (secure-json-parse) carry statusCode 400.
  if (err instanceof SyntaxError && err.statusCode === 400) {
    return new VigilError('malformed-json', `Request body is not valid JSON: ${err.message}`, { errors: [{ pointer: '/body', detail: err.message }] });
  }
  if (err.statusCode === 429) return new VigilError('too-many-requests', err.message);
  if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
    return new VigilError(err.statusCode === 404 ? 'not-found' : err.statusCode === 405 ? 'method-not-allowed' : err.statusCode === 413 ? 'payload-too-large' : err.statusCode === 415 ? 'unsupported-media-type' : 'bad-request', err.message);
  }
  return new VigilError('internal', 'An unexpected error occurred; the request id identifies it in the server log', { cause: error });
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const problem = toVigilError(error);
    if (problem.code === 'internal') request.log.error({ err: error }, 'unhandled error');
    else if (problem.status >= 500) request.log.warn({ err: error }, problem.message);
    return sendProblem(request, reply, problem);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new VigilError('not-found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`)),
  );
}
