import type { Queryable } from '../store/db.js';

/**
 * Login throttling shared by every process on the database: after `maxFailures` failed
 * logins for one (account, client address) pair within the lockout window, further attempts
 * are refused until the window passes. A second, looser key per client address (10x the
 * limit) slows password spraying across many accounts. Refusals do not reveal whether the
 * account exists: unknown accounts are counted the same way.
 */
export interface ThrottleSettings {
  readonly maxFailures: number;
  readonly lockoutSeconds: number;
}

export function throttleKeys(email: string, ip: string): string[] {
  return [`login:${email.toLowerCase()}|${ip}`, `ip:${ip}`];
}

/** Seconds until the caller may try again, or 0 when not locked. */
export async function lockedFor(q: Queryable, keys: readonly string[]): Promise<number> {
  const { rows } = await q.query<{ s: number | null }>(
    'SELECT ceil(extract(epoch FROM max(locked_until) - now()))::int AS s FROM login_failures WHERE key = ANY($1) AND locked_until > now()',
    [keys],
  );
  return Math.max(0, rows[0]?.s ?? 0);
}

export async function recordFailure(q: Queryable, keys: readonly string[], s: ThrottleSettings): Promise<void> {
  for (const key of keys) {
    const limit = key.startsWith('ip:') ? s.maxFailures * 10 : s.maxFailures;
    await q.query(
      `INSERT INTO login_failures (key, failures, first_failed_at) VALUES ($1, 1, now())
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN login_failures.first_failed_at < now() - make_interval(secs => $2) THEN 1 ELSE login_failures.failures + 1 END,
         first_failed_at = CASE WHEN login_failures.first_failed_at < now() - make_interval(secs => $2) THEN now() ELSE login_failures.first_failed_at END`,
      [key, s.lockoutSeconds],
    );
    await q.query(
      'UPDATE login_failures SET locked_until = now() + make_interval(secs => $2) WHERE key = $1 AND failures >= $3',
      [key, s.lockoutSeconds, limit],
    );
  }
}

export async function clearFailures(q: Queryable, email: string, ip: string): Promise<void> {
  await q.query('DELETE FROM login_failures WHERE key = $1', [throttleKeys(email, ip)[0]]);
}
