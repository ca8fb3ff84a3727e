import { hash, verify } from '@node-rs/argon2';
import { randomBytes } from 'node:crypto';

// argon2id with the OWASP 2024 minimum (m=19 MiB, t=2, p=1); the parameters are stored in
// the encoded hash, so raising them later keeps old hashes verifiable.
const OPTIONS = { algorithm: 2 /* Argon2id */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A real argon2id hash of a random password, verified against when the user does not exist. */
let dummy: Promise<string> | undefined;

/**
 * Verifies a password. When `encoded` is undefined (no such user) a dummy hash is verified
 * anyway, so the response time does not tell whether the account exists.
 */
export async function verifyPassword(encoded: string | undefined, password: string): Promise<boolean> {
  dummy ??= hashPassword(randomBytes(16).toString('hex'));
  const target = encoded ?? (await dummy);
  try {
    const ok = await verify(target, password);
    return ok && encoded !== undefined;
  } catch {
    return false;
  }
}

/** A readable one-time password: 20 characters of base58 (~117 bits). */
export function generatePassword(): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const bytes = randomBytes(40);
  let out = '';
  for (const b of bytes) {
    if (b < 232) out += alphabet[b % 58];
    if (out.length === 20) break;
  }
  return out.length === 20 ? out : generatePassword();
}
