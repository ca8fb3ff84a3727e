/** An RFC 9457 problem document as Vigil sends it (application/problem+json). */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  requestId?: string;
  errors?: { pointer: string; detail: string }[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem?: Problem,
    cause?: unknown,
  ) {
    super(message, { cause });
    this.name = 'ApiError';
  }
}

function isProblem(v: unknown): v is Problem {
  return typeof v === 'object' && v !== null && ('detail' in v || 'title' in v || 'type' in v);
}

const BY_STATUS: Record<number, string> = {
  400: 'The request was not accepted',
  401: 'You are not signed in, or your session has expired. Sign in again',
  403: 'You are not allowed to do this',
  404: 'Not found',
  409: 'This conflicts with the current state',
  413: 'The upload is too large',
  415: 'This kind of file or content is not accepted',
  422: 'The input was not accepted',
  429: 'Too many requests: wait a moment and try again',
};

/** Turns an HTTP status and problem body into one sentence a person can act on. */
export function plainWords(status: number, problem: Problem | undefined): string {
  const base = BY_STATUS[status] ?? (status >= 500 ? 'The server failed to answer this request' : `The request failed (HTTP ${status})`);
  const parts = [base];
  const detail = problem?.detail?.trim();
  if (detail && detail !== base) parts.push(detail);
  const fields = (problem?.errors ?? []).slice(0, 3).map((e) => `${e.pointer.replace(/^\/(body|querystring|params)\/?/, '') || e.pointer}: ${e.detail}`);
  if (fields.length > 0 && !(detail && fields.some((f) => detail.includes(f)))) parts.push(`Check ${fields.join('; ')}`);
  let text = parts.join(': ').replace(/[.:]*$/, '.');
  if (status >= 500 && problem?.requestId) text += ` (request id ${problem.requestId})`;
  return text;
}

export function problemFrom(status: number, body: unknown): ApiError {
  const problem = isProblem(body) ? body : undefined;
  return new ApiError(status, plainWords(status, problem), problem);
}

/** A message for anything a query or mutation threw. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message;
  if (err instanceof Error) return err.message;
  return 'Something went wrong.';
}
