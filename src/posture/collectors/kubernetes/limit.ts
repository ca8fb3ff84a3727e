/**
 * Small async helpers written here rather than taken from a library (p-limit and friends are
 * ESM one-liners of the same size): run tasks with at most `n` in flight, and exponential
 * backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter").
 */

/** Runs `fn` over `items` with at most `n` calls in flight; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], n: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!, i);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(n, items.length)) }, () => worker());
  await Promise.all(workers);
  return results;
}

export interface BackoffPolicy {
  /** First pause, in milliseconds. */
  readonly baseMs: number;
  /** Longest pause. */
  readonly capMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 250, capMs: 10_000 };

/**
 * Pause before retry number `attempt` (1-based): the server's Retry-After when it gave one
 * (capped), else a random time up to base · 2^(attempt-1), capped.
 */
export function backoffMs(attempt: number, policy: BackoffPolicy, retryAfterSeconds: number | undefined, random: () => number = Math.random): number {
  if (retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) && retryAfterSeconds >= 0) {
    return Math.min(retryAfterSeconds * 1000, policy.capMs * 3);
  }
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(attempt - 1, 20));
  return Math.floor(random() * ceiling);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
