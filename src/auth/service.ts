import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/types.js';
import { VigilError } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import type { Database, Queryable } from '../store/db.js';
import { findApiKeyByPrefix, touchApiKey } from '../store/repos/apiKeys.js';
import { insertSession, revokeSession, rotateRefresh, sessionIsActive } from '../store/repos/sessions.js';
import { findUserForLogin, getUser, touchLogin, type User } from '../store/repos/users.js';
import { verifyPassword } from './passwords.js';
import { apiKeyPrefix, looksLikeApiKey, newRefreshToken, secretMatches, sha256 } from './secrets.js';
import { clearFailures, lockedFor, recordFailure, throttleKeys, type ThrottleSettings } from './throttle.js';
import type { TokenSigner } from './tokens.js';

/** Who is calling: a person (through a session) or a machine (through an API key). */
export interface Principal {
  readonly kind: 'user' | 'apikey';
  /** User id or API key id. */
  readonly id: string;
  readonly tenantId: string;
  readonly role: Role;
  /** Email or key prefix: safe to log. */
  readonly label: string;
  readonly sessionId?: string | undefined;
  /** A user holding a one-time or admin-set password may only change it (and log out). */
  readonly mustChangePassword?: boolean | undefined;
}

export interface IssuedTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
}

export interface ClientInfo {
  readonly ip: string;
  readonly userAgent?: string | undefined;
  readonly requestId?: string | undefined;
}

export interface AuthSettings extends ThrottleSettings {
  readonly refreshTokenTtl: number;
}

const JWT_SETTING = 'jwt_secret';

/** The JWT key: from configuration, else generated once and kept in the database (shared by all processes). */
export async function loadSigningSecret(db: Database, configured: string | undefined): Promise<string> {
  if (configured) return configured;
  return db.system(async (q) => {
    await q.query('INSERT INTO system_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [
      JWT_SETTING,
      randomBytes(48).toString('base64url'),
    ]);
    const { rows } = await q.query<{ value: string }>('SELECT value FROM system_settings WHERE key = $1', [JWT_SETTING]);
    return rows[0]!.value;
  });
}

export class AuthService {
  constructor(
    private readonly db: Database,
    private readonly signer: TokenSigner,
    private readonly audit: AuditLog,
    private readonly settings: AuthSettings,
  ) {}

  async login(email: string, password: string, client: ClientInfo): Promise<{ tokens: IssuedTokens; user: User }> {
    const normalized = email.trim().toLowerCase();
    const keys = throttleKeys(normalized, client.ip);
    const wait = await this.db.system((q) => lockedFor(q, keys));
    if (wait > 0) {
      await this.audit.append({ tenantId: null, actorType: 'anonymous', actorId: null, actorLabel: normalized, action: 'auth.login', outcome: 'failure', requestId: client.requestId, ip: client.ip, details: { reason: 'throttled' } });
      throw new VigilError('too-many-requests', 'Too many failed logins; try again later', { headers: { 'retry-after': String(wait) } });
    }
    const user = await this.db.system((q) => findUserForLogin(q, normalized));
    const ok = await verifyPassword(user?.passwordHash, password);
    if (!user || !ok || user.disabled) {
      await this.db.system((q) => recordFailure(q, keys, this.settings));
      await this.audit.append({
        tenantId: user?.tenantId ?? null, actorType: 'anonymous', actorId: null, actorLabel: normalized,
        action: 'auth.login', outcome: 'failure', requestId: client.requestId, ip: client.ip,
        details: { reason: 'invalid-credentials' },
      });
      // One answer for unknown account, wrong password and disabled account.
      throw new VigilError('invalid-credentials', 'Invalid email or password');
    }
    await this.db.system((q) => clearFailures(q, normalized, client.ip));
    const tokens = await this.db.tenant(user.tenantId, async (q) => {
      await touchLogin(q, user.id);
      return this.openSession(q, user, client);
    });
    await this.audit.append({ tenantId: user.tenantId, actorType: 'user', actorId: user.id, actorLabel: user.email, action: 'auth.login', outcome: 'success', requestId: client.requestId, ip: client.ip });
    return { tokens, user };
  }

  private async openSession(q: Queryable, user: User, client: ClientInfo): Promise<IssuedTokens> {
    const refresh = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.settings.refreshTokenTtl * 1000);
    const sessionId = await insertSession(q, { tenantId: user.tenantId, userId: user.id, refreshHash: refresh.hash, expiresAt, userAgent: client.userAgent, ip: client.ip });
    return this.issue(user, sessionId, refresh.token);
  }

  private async issue(user: Pick<User, 'id' | 'tenantId' | 'role'>, sessionId: string, refreshToken: string): Promise<IssuedTokens> {
    const accessToken = await this.signer.sign({ userId: user.id, tenantId: user.tenantId, role: user.role, sessionId });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.signer.ttl, refreshExpiresIn: this.settings.refreshTokenTtl };
  }

  /** Rotates a refresh token: the old one stops working, a new pair is returned. */
  async refresh(refreshToken: string, client: ClientInfo): Promise<IssuedTokens> {
    const next = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.settings.refreshTokenTtl * 1000);
    const session = await this.db.system((q) => rotateRefresh(q, sha256(refreshToken), next.hash, expiresAt));
    if (!session) throw new VigilError('unauthorized', 'Refresh token is invalid, expired or revoked');
    const user = await this.db.tenant(session.tenant_id, (q) => getUser(q, session.user_id));
    if (!user || user.disabled) {
      await this.db.tenant(session.tenant_id, (q) => revokeSession(q, session.id));
      throw new VigilError('unauthorized', 'Refresh token is invalid, expired or revoked');
    }
    await this.audit.append({ tenantId: user.tenantId, actorType: 'user', actorId: user.id, actorLabel: user.email, action: 'auth.refresh', outcome: 'success', requestId: client.requestId, ip: client.ip });
    return this.issue(user, session.id, next.token);
  }

  async logout(principal: Principal): Promise<void> {
    if (principal.kind !== 'user' || !principal.sessionId) return;
    const sid = principal.sessionId;
    await this.db.tenant(principal.tenantId, (q) => revokeSession(q, sid));
  }

  /** Resolves a bearer credential (access token or API key) to a principal, or undefined. */
  async authenticate(credential: string): Promise<Principal | undefined> {
    if (looksLikeApiKey(credential)) return this.authenticateApiKey(credential);
    const claims = await this.signer.verify(credential);
    if (!claims) return undefined;
    const user = await this.db.tenant(claims.tenantId, async (q) =>
      (await sessionIsActive(q, claims.sessionId, claims.userId)) ? getUser(q, claims.userId) : undefined,
    );
    if (!user) return undefined;
    // The role comes from the database, so a demotion takes effect before the token expires.
    return { kind: 'user', id: user.id, tenantId: user.tenantId, role: user.role, label: user.email, sessionId: claims.sessionId, mustChangePassword: user.mustChangePassword };
  }

  private async authenticateApiKey(presented: string): Promise<Principal | undefined> {
    const prefix = apiKeyPrefix(presented);
    if (!prefix) return undefined;
    const key = await this.db.system((q) => findApiKeyByPrefix(q, prefix));
    if (!key) return undefined;
    if (!secretMatches(presented, key.keyHash)) return undefined;
    if (key.revokedAt !== null) return undefined;
    if (key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now()) return undefined;
    await this.db.tenant(key.tenantId, (q) => touchApiKey(q, key.id));
    return { kind: 'apikey', id: key.id, tenantId: key.tenantId, role: key.role, label: key.prefix };
  }
}
