import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, DEFAULT_BACKOFF, mapLimit } from './limit.js';

test('mapLimit: at most n in flight, results in input order', async () => {
  let inFlight = 0;
  let most = 0;
  const out = await mapLimit([5, 1, 4, 2, 3, 0], 2, async (x) => {
    most = Math.max(most, ++inFlight);
    await new Promise((r) => setTimeout(r, x));
    inFlight--;
    return x * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30, 0]);
  assert.equal(most, 2);
  assert.deepEqual(await mapLimit([], 4, () => Promise.resolve(1)), []);
});

test('backoff: Retry-After first, else jittered exponential, capped', () => {
  assert.equal(backoffMs(1, DEFAULT_BACKOFF, 2), 2000);
  assert.equal(backoffMs(1, DEFAULT_BACKOFF, 0), 0);
  assert.equal(backoffMs(1, DEFAULT_BACKOFF, 10_000), DEFAULT_BACKOFF.capMs * 3);
  assert.equal(backoffMs(1, DEFAULT_BACKOFF, undefined, () => 0.999), 249);
  assert.equal(backoffMs(3, DEFAULT_BACKOFF, undefined, () => 0.5), 500);
  assert.equal(backoffMs(50, DEFAULT_BACKOFF, undefined, () => 0.999), 9990);
  assert.equal(backoffMs(2, DEFAULT_BACKOFF, Number.NaN, () => 0), 0);
});
