/**
 * AWS error codes to gap reasons, and error messages made safe to store: access key ids,
 * signatures and session tokens are masked and the text is bounded.
 */
import type { GapReason } from '../../types.js';
import type { AwsCallError } from './types.js';

const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'InvalidSignatureException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'InvalidAccessKeyId',
  'InvalidToken',
  'AuthFailure',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
  'TokenProviderError',
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'UnauthorizedAccess',
  'AuthorizationError',
  'AuthorizationErrorException',
  'Forbidden',
  'AllAccessDisabled',
  'AccountProblem',
]);

const THROTTLED = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'SlowDown',
  'BandwidthLimitExceeded',
  'ProvisionedThroughputExceededException',
  'EC2ThrottledException',
  'PriorRequestNotComplete',
]);

const NOT_ENABLED = new Set([
  'OptInRequired',
  'SubscriptionRequiredException',
  'InvalidAccessException',
  'NotSignedUp',
  'UnsupportedOperation',
  'UnsupportedOperationException',
]);

const UNAVAILABLE = new Set([
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalError',
  'InternalFailure',
  'InternalServerError',
  'InternalServerException',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'NetworkingError',
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'NoRecording',
]);

export function reasonFor(code: string, status?: number): GapReason {
  if (BAD_CREDENTIALS.has(code)) return 'bad-credentials';
  if (ACCESS_DENIED.has(code)) return 'access-denied';
  if (THROTTLED.has(code)) return 'throttled';
  if (NOT_ENABLED.has(code)) return 'not-enabled';
  if (UNAVAILABLE.has(code)) return 'unavailable';
  if (code === 'InvalidResponse' || code === 'Deserialization' || code === 'SyntaxError') return 'invalid-response';
  if (status === 401) return 'bad-credentials';
  if (status === 403) return 'access-denied';
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 500) return 'unavailable';
  return 'error';
}

const MAX_MESSAGE = 500;
// Linear-time patterns, no nested quantifiers.
const ACCESS_KEY_ID = /\b(?:AKIA|ASIA|AIDA|AROA|ANPA|AGPA)[A-Z0-9]{12,20}\b/g;
const SIGNED_PARAM = /((?:X-Amz-(?:Signature|Credential|Security-Token))=)[^&\s"'<]+/gi;
const AUTH_HEADER = /((?:Credential|Signature)=)[^,\s"'<]+/g;
const LONG_TOKEN = /[A-Za-z0-9+/=_-]{120,}/g;

export function safeMessage(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const bounded = flat.length > MAX_MESSAGE * 4 ? flat.slice(0, MAX_MESSAGE * 4) : flat;
  const masked = bounded
    .replace(ACCESS_KEY_ID, '<access-key-id>')
    .replace(SIGNED_PARAM, '$1<redacted>')
    .replace(AUTH_HEADER, '$1<redacted>')
    .replace(LONG_TOKEN, '<redacted>');
  return masked.length > MAX_MESSAGE ? `${masked.slice(0, MAX_MESSAGE)}…` : masked;
}

export function callError(code: string, message: string, status?: number): AwsCallError {
  const c = code.length > 0 && code.length <= 100 ? code : 'Unknown';
  return { code: c, message: safeMessage(message || c), status, reason: reasonFor(c, status) };
}

/** `Code: message`, as stored in gaps. */
export function describeError(e: AwsCallError): string {
  return e.message && e.message !== e.code ? `${e.code}: ${e.message}` : e.code;
}
