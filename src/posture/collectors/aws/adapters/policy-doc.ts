/**
 * Policy documents as objects. IAM returns them URL-encoded (RFC 3986) JSON text; S3, KMS and
 * SNS return JSON text; a botocore recording may already hold an object. All become the parsed
 * object, or a clear reason when the text is not a JSON object. Bounded: AWS caps policies at
 * tens of kilobytes, larger text is refused rather than parsed.
 */
import { isObject } from '../../../attrs.js';

export const MAX_POLICY_CHARS = 1_000_000;

export type PolicyParse = { readonly ok: true; readonly value: Record<string, unknown> } | { readonly ok: false; readonly message: string };

export function parsePolicyDocument(v: unknown): PolicyParse {
  if (isObject(v)) return { ok: true, value: v };
  if (typeof v !== 'string') return { ok: false, message: `expected a policy document, got ${v === null ? 'null' : typeof v}` };
  if (v.length > MAX_POLICY_CHARS) return { ok: false, message: `policy document of ${v.length} characters, over the ${MAX_POLICY_CHARS} limit` };
  let text = v.trim();
  if (text.startsWith('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, message: 'policy document is not valid URL-encoded text' };
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `policy document is not JSON (${e instanceof Error ? e.message : String(e)})` };
  }
  return isObject(doc) ? { ok: true, value: doc } : { ok: false, message: 'policy document is not a JSON object' };
}
