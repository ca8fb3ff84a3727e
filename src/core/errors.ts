/**
 * Typed errors with stable codes. Mapped to HTTP status (server/plugins/errors.ts) or
 * exit code (cli) only at the edge. The catalogue below is the contract: every code has a
 * stable problem `type` URI, an HTTP status and a title, and docs/api-errors.md lists them
 * (a test keeps the two in step).
 */
export const PROBLEMS = {
  'bad-request': { status: 400, title: 'Bad request' },
  'validation': { status: 400, title: 'Request validation failed' },
  'malformed-json': { status: 400, title: 'Malformed JSON body' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'payload-too-large': { status: 413, title: 'Request body too large' },
  'unauthorized': { status: 401, title: 'Authentication required' },
  'invalid-credentials': { status: 401, title: 'Invalid credentials' },
  'forbidden': { status: 403, title: 'Forbidden' },
  'not-found': { status: 404, title: 'Not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'conflict': { status: 409, title: 'Conflict' },
  'too-many-requests': { status: 429, title: 'Too many requests' },
  'internal': { status: 500, title: 'Internal server error' },
  'unavailable': { status: 503, title: 'Service unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ProblemCode = keyof typeof PROBLEMS;

/** Stable problem `type` URI for a code (RFC 9457 §3.1.1). */
export function problemType(code: ProblemCode): string {
  return `urn:vigil:problem:${code}`;
}

export interface FieldError {
  /** JSON pointer into the request part, e.g. `/body/email`. */
  readonly pointer: string;
  readonly detail: string;
}

export class VigilError extends Error {
  readonly code: ProblemCode;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    code: ProblemCode,
    detail?: string,
    extra?: { errors?: readonly FieldError[]; headers?: Record<string, string>; cause?: unknown },
  ) {
    super(detail ?? PROBLEMS[code].title, extra?.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'VigilError';
    this.code = code;
    this.errors = extra?.errors;
    this.headers = extra?.headers;
  }

  get status(): number {
    return PROBLEMS[this.code].status;
  }
}

export const notFound = (what = 'resource'): VigilError => new VigilError('not-found', `No such ${what}`);

/** Errors in configuration or CLI usage: exit code 2 at the CLI edge. */
export class ConfigError extends Error {
  readonly key: string;
  constructor(key: string, message: string) {
    super(`${key}: ${message}`);
    this.name = 'ConfigError';
    this.key = key;
  }
}
