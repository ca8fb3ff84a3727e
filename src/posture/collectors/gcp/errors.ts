/**
 * What a Google API answer that is not a success means for the collection: the gap reason and
 * a message with the provider's status and text, never a credential. Pure.
 */
import type { GapReason } from '../types.js';

export interface CallFailure {
  readonly reason: GapReason;
  readonly message: string;
  readonly status?: number | undefined;
  readonly code?: string | undefined;
}

/** The error status the offline replay answers for a request it has no recording of. */
export const NOT_RECORDED = 'VIGIL_NOT_RECORDED';

const MAX_MESSAGE = 400;

/** Drops anything that looks like a bearer token, JWT, OAuth token or key, and bounds the length. */
export function scrubMessage(text: string): string {
  const cleaned = text
    .replace(/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, '[redacted-jwt]')
    .replace(/\bya29\.[\w.-]+/g, '[redacted-token]')
    .replace(/\bAIza[\w-]{30,}/g, '[redacted-key]')
    .replace(/\b(key|access_token|client_secret|private_key)=[^&\s"']+/gi, '$1=[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > MAX_MESSAGE ? `${cleaned.slice(0, MAX_MESSAGE)}…` : cleaned;
}

interface GoogleError {
  readonly status?: string;
  readonly message?: string;
  readonly reasons: string[];
}

/** `{error: {code, message, status, errors: [{reason}], details: [{reason}]}}`, or OAuth's `{error, error_description}`. */
export function googleErrorOf(body: unknown): GoogleError {
  if (body === null || typeof body !== 'object') return { reasons: [], ...(typeof body === 'string' && body !== '' ? { message: body.slice(0, 300) } : {}) };
  const o = body as Record<string, unknown>;
  const e = o['error'];
  if (typeof e === 'string') return { status: e, reasons: [], ...(typeof o['error_description'] === 'string' ? { message: o['error_description'] } : {}) };
  if (e === null || typeof e !== 'object') return { reasons: [] };
  const err = e as Record<string, unknown>;
  const reasons: string[] = [];
  for (const list of [err['errors'], err['details']]) {
    if (!Array.isArray(list)) continue;
    for (const x of list) {
      const r = x !== null && typeof x === 'object' ? (x as Record<string, unknown>)['reason'] : undefined;
      if (typeof r === 'string') reasons.push(r);
    }
  }
  return {
    reasons,
    ...(typeof err['status'] === 'string' ? { status: err['status'] } : {}),
    ...(typeof err['message'] === 'string' ? { message: err['message'] } : {}),
  };
}

const NOT_ENABLED = new Set(['accessnotconfigured', 'service_disabled', 'servicedisabled', 'api_disabled', 'billing_disabled']);

export function classifyGoogle(status: number, body: unknown, operation: string): CallFailure {
  const g = googleErrorOf(body);
  if (g.status === NOT_RECORDED) return { reason: 'unavailable', message: scrubMessage(`not in the recordings: ${operation}`), status, code: NOT_RECORDED };
  const code = g.reasons[0] ?? g.status;
  const text = scrubMessage(`${status}${g.status ? ` ${g.status}` : ''}${g.reasons[0] ? ` (${g.reasons[0]})` : ''}: ${g.message ?? `HTTP ${status}`}`);
  const failure = (reason: GapReason): CallFailure => ({ reason, message: text, status, code });
  const lcReasons = g.reasons.map((r) => r.toLowerCase());
  if (status === 401 || g.status === 'UNAUTHENTICATED') return failure('bad-credentials');
  if (lcReasons.some((r) => NOT_ENABLED.has(r)) || /has not been used in project|is disabled|API has not been enabled/i.test(g.message ?? '')) return failure('not-enabled');
  if (status === 403) return failure('access-denied');
  if (status === 429) return failure('throttled');
  if (status === 404) return failure('not-enabled');
  if (status >= 500 || status === 408) return failure('unavailable');
  return failure('error');
}

/** The host of a gaxios request URL (string or URL), when it parses. */
export function hostOf(url: unknown): string | undefined {
  try {
    return url instanceof URL ? url.host : typeof url === 'string' ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * An exception from a request: an HTTP answer of the API itself (`response` from `apiHost`),
 * of the token endpoint (the credential was refused), the network, or no credential at all.
 */
export function classifyThrown(err: unknown, apiHost: string, operation: string): CallFailure {
  const e = err !== null && typeof err === 'object' ? (err as { name?: unknown; message?: unknown; code?: unknown; config?: { url?: unknown }; response?: { status?: unknown; data?: unknown } }) : {};
  const message = scrubMessage(typeof e.message === 'string' ? e.message : String(err));
  if (e.response && typeof e.response.status === 'number') {
    if (hostOf(e.config?.url) === apiHost) return classifyGoogle(e.response.status, e.response.data, operation);
    const g = googleErrorOf(e.response.data);
    return { reason: 'bad-credentials', message: scrubMessage(`token request failed: ${e.response.status}${g.status ? ` ${g.status}` : ''}: ${g.message ?? message}`) };
  }
  if (/default credentials|could not load|credential|private key|invalid_grant|unauthorized_client|invalid_client/i.test(message)) return { reason: 'bad-credentials', message };
  if (typeof e.code === 'string' && /^E[A-Z]+/.test(e.code)) return { reason: 'unavailable', message: `${e.code}: ${message}` };
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || /timeout/i.test(message)) return { reason: 'unavailable', message: `timed out: ${message}` };
  // A request error without an answer: the network failed after gaxios's own retries.
  if (e.name === 'GaxiosError') return { reason: 'unavailable', message };
  return { reason: 'error', message };
}
