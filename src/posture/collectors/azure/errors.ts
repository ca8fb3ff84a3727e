/**
 * What an ARM answer that is not a success means for the collection: the gap reason and a
 * message with the provider's error code and text, never a credential. Pure.
 */
import type { GapReason } from '../types.js';

/** A call that produced no usable answer. `status` is absent when no HTTP answer came back. */
export interface CallFailure {
  readonly reason: GapReason;
  readonly message: string;
  readonly status?: number | undefined;
  readonly code?: string | undefined;
}

/** The error code the offline replay answers for a request it has no recording of. */
export const NOT_RECORDED = 'VigilNotRecorded';

const MAX_MESSAGE = 400;

/** Drops anything that looks like a bearer token, JWT or SAS signature, and bounds the length. */
export function scrubMessage(text: string): string {
  const cleaned = text
    .replace(/\bBearer\s+[\w.~+/=-]+/gi, 'Bearer [redacted]')
    .replace(/\beyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g, '[redacted-jwt]')
    .replace(/\b(sig|client_secret|password|access_token)=[^&\s"']+/gi, '$1=[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > MAX_MESSAGE ? `${cleaned.slice(0, MAX_MESSAGE)}…` : cleaned;
}

/** `{error: {code, message}}`, `{code, message}` or `{Code, Message}` as ARM resource providers answer. */
export function armErrorOf(body: unknown): { code?: string; message?: string } {
  if (body === null || typeof body !== 'object') return {};
  const o = body as Record<string, unknown>;
  const inner = o['error'] ?? o['odata.error'];
  const src = inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>) : o;
  const code = src['code'] ?? src['Code'];
  let message = src['message'] ?? src['Message'];
  if (message !== null && typeof message === 'object') message = (message as Record<string, unknown>)['value'];
  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof message === 'string' ? { message } : {}),
  };
}

const NOT_ENABLED_CODES = new Set(
  [
    'MissingSubscriptionRegistration',
    'SubscriptionNotRegistered',
    'NoRegisteredProviderFound',
    'InvalidResourceNamespace',
    'FeatureNotSupported',
    'SubscriptionNotFound',
    'ResourceTypeNotSupported',
    'NotSupported',
    'LocationNotAvailableForResourceType',
  ].map((c) => c.toLowerCase()),
);

const AUTH_CODES = new Set(['invalidauthenticationtoken', 'invalidauthenticationtokentenant', 'expiredauthenticationtoken', 'authenticationfailed', 'unauthorized']);

/** Classifies an HTTP answer that is not a success (after the pipeline's retries). */
export function classifyArm(status: number, body: unknown, operation: string): CallFailure {
  const { code, message } = armErrorOf(body);
  const lc = code?.toLowerCase() ?? '';
  const text = scrubMessage(`${status}${code ? ` ${code}` : ''}: ${message ?? httpText(status)}`);
  const failure = (reason: GapReason): CallFailure => ({ reason, message: text, status, code });
  if (code === NOT_RECORDED) return { reason: 'unavailable', message: scrubMessage(`not in the recordings: ${operation}`), status, code };
  if (status === 401 || AUTH_CODES.has(lc)) return failure('bad-credentials');
  if (NOT_ENABLED_CODES.has(lc)) return failure('not-enabled');
  if (status === 403) return failure('access-denied');
  if (status === 429) return failure('throttled');
  if (status === 404) return failure('not-enabled');
  if (status >= 500 || status === 408) return failure('unavailable');
  return failure('error');
}

/** Classifies an exception from the pipeline: no HTTP answer (network) or no token. */
export function classifyThrown(err: unknown): CallFailure {
  const name = err instanceof Error ? err.name : '';
  const message = scrubMessage(err instanceof Error ? err.message : String(err));
  if (/CredentialUnavailable|Authentication|ClientAuthError|ServiceAuthError/i.test(name)) return { reason: 'bad-credentials', message: `${name}: ${message}` };
  if (/abort|timeout/i.test(name)) return { reason: 'unavailable', message: `timed out: ${message}` };
  const code = err !== null && typeof err === 'object' ? (err as { code?: unknown }).code : undefined;
  if (typeof code === 'string' && /^E[A-Z]+/.test(code)) return { reason: 'unavailable', message: `${code}: ${message}` };
  if (name === 'RestError') return { reason: 'unavailable', message };
  return { reason: 'error', message: name ? `${name}: ${message}` : message };
}

function httpText(status: number): string {
  switch (status) {
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not found';
    case 429:
      return 'too many requests';
    default:
      return `HTTP ${status}`;
  }
}
