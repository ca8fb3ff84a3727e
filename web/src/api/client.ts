import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, problemFrom } from './problem';

let refreshing: Promise<boolean> | undefined;

/**
 * One /auth/refresh at a time: a page sends its requests together, and when the access cookie
 * has expired they all get 401 at once. Each refresh replaces the refresh token (the old one
 * stops working), so they share the one under way instead of racing with the same token.
 */
function refreshOnce(): Promise<boolean> {
  refreshing ??= fetch('/api/v1/auth/refresh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    .then((r) => r.ok)
    .catch(() => false)
    .finally(() => (refreshing = undefined));
  return refreshing;
}

/**
 * Sends the request; on a 401 (expired access cookie) asks /auth/refresh once, with the
 * refresh cookie, and retries. The session lives in HttpOnly cookies set by /auth/login.
 */
async function fetchWithRefresh(request: Request): Promise<Response> {
  const retry = request.clone();
  const res = await fetch(request);
  if (res.status !== 401 || new URL(request.url).pathname.startsWith('/api/v1/auth/')) return res;
  return (await refreshOnce()) ? fetch(retry) : res;
}

export const api = createClient<paths>({ baseUrl: '/', fetch: fetchWithRefresh });

interface Outcome<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of a successful call, or an ApiError whose message is the problem in plain words. */
export async function unwrap<T>(call: Promise<Outcome<T>>): Promise<T> {
  let out: Outcome<T>;
  try {
    out = await call;
  } catch (err) {
    throw new ApiError(0, 'The server could not be reached. Check that Vigil is running and your network connection.', undefined, err);
  }
  if (out.error !== undefined || !out.response.ok) throw problemFrom(out.response.status, out.error);
  return out.data as T;
}
