import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app/context.js';
import type { ClientInfo, IssuedTokens } from '../../auth/service.js';
import { ACCESS_COOKIE, REFRESH_COOKIE } from '../plugins/auth.js';

/** The session cookies set by login, refresh and tenant switch, and cleared by logout. */
const REFRESH_PATH = '/api/v1/auth';

export function setCookies(ctx: AppContext, reply: FastifyReply, t: IssuedTokens): void {
  const common = { httpOnly: true, sameSite: 'strict' as const, secure: ctx.config.cookieSecure };
  void reply.setCookie(ACCESS_COOKIE, t.accessToken, { ...common, path: '/', maxAge: t.expiresIn });
  // The refresh token cookie goes only to the auth endpoints.
  void reply.setCookie(REFRESH_COOKIE, t.refreshToken, { ...common, path: REFRESH_PATH, maxAge: t.refreshExpiresIn });
}

export function clearCookies(reply: FastifyReply): void {
  void reply.clearCookie(ACCESS_COOKIE, { path: '/' });
  void reply.clearCookie(REFRESH_COOKIE, { path: REFRESH_PATH });
}

export const clientOf = (req: FastifyRequest): ClientInfo => ({ ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id });
