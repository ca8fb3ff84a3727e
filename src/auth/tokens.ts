import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { Role } from '../core/roles.js';
import { isRole } from '../core/roles.js';

const ISSUER = 'vigil';
const AUDIENCE = 'vigil-api';
const ALG = 'HS256';

export interface AccessClaims {
  readonly userId: string;
  readonly tenantId: string;
  readonly role: Role;
  readonly sessionId: string;
}

/** Signs and verifies short-lived access tokens (HS256, one key per installation). */
export class TokenSigner {
  private readonly key: Uint8Array;

  constructor(secret: string, private readonly ttlSeconds: number) {
    this.key = new TextEncoder().encode(secret);
  }

  get ttl(): number {
    return this.ttlSeconds;
  }

  async sign(c: AccessClaims, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ tid: c.tenantId, role: c.role, sid: c.sessionId })
      .setProtectedHeader({ alg: ALG, typ: 'JWT' })
      .setSubject(c.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.ttlSeconds)
      .sign(this.key);
  }

  /** Returns the claims, or undefined for any invalid, expired or foreign token. */
  async verify(token: string, now = new Date()): Promise<AccessClaims | undefined> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [ALG], // pinned: no alg=none, no RS/HS confusion
        currentDate: now,
      });
      const { sub, tid, role, sid } = payload;
      if (typeof sub !== 'string' || typeof tid !== 'string' || typeof sid !== 'string' || typeof role !== 'string' || !isRole(role)) {
        return undefined;
      }
      return { userId: sub, tenantId: tid, role, sessionId: sid };
    } catch (err) {
      if (err instanceof joseErrors.JOSEError || err instanceof TypeError) return undefined;
      throw err;
    }
  }
}
