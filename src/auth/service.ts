import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/types.js';
import { notFound, VigilError } from '../core/errors.js';
import type { Role } from '../core/roles.js';
import type { Database, Queryable } from '../store/db.js';
import { findApiKeyByPrefix, touchApiKey } from '../store/repos/apiKeys.js';
import {
  accessTo,
  findAccountByEmail,
  revokeSessionById,
  revokeSessionsEverywhere,
  sessionPrincipal,
  tenantsOfUser,
  touchMembership,
  type UserTenant,
} from '../store/repos/memberships.js';
import { insertSession, revokeSession, rotateRefresh } from '../store/repos/sessions.js';
import { currentTenant, type Tenant } from '../store/repos/tenants.js';
import { findUserForLogin, touchLogin, type User } from '../store/repos/users.js';
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
  /**
   * A user's home tenant, where its credential lives: equal to `tenantId` unless the session
   * was opened in a tenant the user is a member of (POST /auth/switch). Undefined for API keys.
   */
  readonly homeTenantId?: string | undefined;
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

  private async openSession(q: Queryable, user: Pick<User, 'id' | 'tenantId' | 'role'>, client: ClientInfo): Promise<IssuedTokens> {
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
    // The session's tenant may be one the user is only a member of: the system door answers
    // for home and membership alike, and nothing if the user was disabled or the membership removed.
    const who = await this.db.system((q) => sessionPrincipal(q, { sessionId: session.id, userId: session.user_id, tenantId: session.tenant_id }));
    if (!who) {
      await this.db.system((q) => revokeSessionById(q, session.id));
      throw new VigilError('unauthorized', 'Refresh token is invalid, expired or revoked');
    }
    await this.audit.append({ tenantId: session.tenant_id, actorType: 'user', actorId: who.userId, actorLabel: who.email, action: 'auth.refresh', outcome: 'success', requestId: client.requestId, ip: client.ip });
    return this.issue({ id: who.userId, tenantId: session.tenant_id, role: who.role }, session.id, next.token);
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
    // System door, one query: the session is live, the user enabled, and (outside its home
    // tenant) its membership still there. The role comes from the database, so a demotion or
    // a removed membership takes effect before the token expires.
    const who = await this.db.system((q) => sessionPrincipal(q, { sessionId: claims.sessionId, userId: claims.userId, tenantId: claims.tenantId }));
    if (!who) return undefined;
    return {
      kind: 'user', id: who.userId, tenantId: claims.tenantId, role: who.role, label: who.email,
      sessionId: claims.sessionId, mustChangePassword: who.mustChangePassword, homeTenantId: who.homeTenantId,
    };
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

  /** The tenants the signed-in user may work in (home first); an API key has only its own. */
  async tenantsOf(principal: Principal): Promise<(UserTenant & { readonly current: boolean })[]> {
    if (principal.kind !== 'user') {
      const t = await this.db.tenant(principal.tenantId, currentTenant);
      return t ? [{ id: t.id, slug: t.slug, name: t.name, role: principal.role, home: true, current: true }] : [];
    }
    const list = await this.db.system((q) => tenantsOfUser(q, principal.id));
    return list.map((t) => ({ ...t, current: t.id === principal.tenantId }));
  }

  /**
   * Opens a new session in another tenant the user belongs to (home or membership, checked in
   * the database now, not from the token), with that tenant's role. Other sessions stay.
   * 404 for a tenant the user does not belong to, existing or not.
   */
  async switchTenant(principal: Principal, tenantId: string, client: ClientInfo): Promise<{ tokens: IssuedTokens; tenant: Tenant; role: Role }> {
    if (principal.kind !== 'user') throw new VigilError('forbidden', 'An API key belongs to one tenant and cannot switch: sign in as a user to switch tenants');
    const access = await this.db.system((q) => accessTo(q, principal.id, tenantId));
    if (!access) {
      await this.audit.append({ tenantId: principal.tenantId, actorType: 'user', actorId: principal.id, actorLabel: principal.label, action: 'auth.switch', outcome: 'failure', requestId: client.requestId, ip: client.ip, details: { reason: 'not-a-member', requestedTenantId: tenantId } });
      throw notFound('tenant of yours');
    }
    const { tokens, tenant } = await this.db.tenant(tenantId, async (q) => {
      if (!access.home) await touchMembership(q, principal.id);
      const t = await currentTenant(q);
      if (!t) throw notFound('tenant of yours');
      return { tokens: await this.openSession(q, { id: principal.id, tenantId, role: access.role }, client), tenant: t };
    });
    // Recorded in the tenant switched into, without naming the tenant left (its admins must not learn it).
    await this.audit.append({ tenantId, actorType: 'user', actorId: principal.id, actorLabel: access.email, action: 'auth.switch', outcome: 'success', requestId: client.requestId, ip: client.ip, details: { role: access.role, home: access.home } });
    return { tokens, tenant, role: access.role };
  }

  /** System door: the account with this email, for granting a membership (id and home tenant only). */
  findAccount(email: string): Promise<{ userId: string; homeTenantId: string } | undefined> {
    return this.db.system((q) => findAccountByEmail(q, email.trim().toLowerCase()));
  }

  /** Ends the user's sessions in every tenant: password changed or account disabled at home. */
  revokeEverywhere(userId: string): Promise<number> {
    return this.db.system((q) => revokeSessionsEverywhere(q, userId));
  }
}
