import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys and refresh tokens: 32 random bytes, shown once, stored as SHA-256. A fast hash
 * is right here (unlike passwords): the secrets have 256 bits of entropy, so there is
 * nothing to brute-force, and lookups by hash stay indexable.
 *
 * API key format: `vgl_<12-char id>_<43-char secret>`; the `vgl_<id>` part is the
 * recognisable, non-secret prefix shown in listings and logs (like GitHub's `ghp_`).
 */
export const API_KEY_PREFIX = 'vgl_';
const API_KEY = /^vgl_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKey {
  readonly key: string;
  readonly prefix: string;
  readonly hash: Buffer;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alnum(n: number): string {
  let out = '';
  while (out.length < n) {
    for (const b of randomBytes(n * 2)) {
      if (b < 248 && out.length < n) out += ALNUM[b % 62];
    }
  }
  return out;
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

export function newApiKey(): NewApiKey {
  const prefix = `${API_KEY_PREFIX}${alnum(12)}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: sha256(key) };
}

/** Splits a presented key into its prefix, or undefined if it is not shaped like a key. */
export function apiKeyPrefix(presented: string): string | undefined {
  const m = API_KEY.exec(presented);
  return m ? `${API_KEY_PREFIX}${m[1]}` : undefined;
}

export function looksLikeApiKey(presented: string): boolean {
  return presented.startsWith(API_KEY_PREFIX);
}

/** Constant-time comparison of a presented secret with a stored SHA-256. */
export function secretMatches(presented: string, storedHash: Uint8Array): boolean {
  const h = sha256(presented);
  return h.length === storedHash.length && timingSafeEqual(h, storedHash);
}

export function newRefreshToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: sha256(token) };
}
