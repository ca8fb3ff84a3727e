import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './__fixtures__/harness.js';
import { defineHandler } from './handlers.js';

let h: Harness;
before(async () => {
  h = await harness([
    defineHandler({ type: 'm.one', description: 'one', async run() {} }),
    defineHandler({ type: 'm.idle', description: 'never enqueued', async run() {} }),
  ]);
});
after(() => h.cleanup());

test('/metrics shows the job queue by status and type, counted in the database at scrape time', async () => {
  await h.jobs.enqueue(h.tenantA, 'm.one', {});
  await h.jobs.enqueue(null, 'm.one', {});
  const { job } = await h.jobs.enqueue(h.tenantB, 'm.one', {});
  await h.jobs.queue.cancel(h.tenantB, job.id);
  const text = await h.registry.metrics();
  assert.match(text, /# TYPE vigil_jobs gauge/);
  assert.match(text, /^vigil_jobs\{status="queued",type="m.one"\} 2$/m);
  assert.match(text, /^vigil_jobs\{status="cancelled",type="m.one"\} 1$/m);
  assert.match(text, /^vigil_jobs\{status="running",type="m.idle"\} 0$/m, 'registered types show zeros');
  assert.match(text, /# TYPE vigil_job_failures_total counter/);
  assert.match(text, /# TYPE vigil_job_duration_seconds histogram/);

  // The next scrape sees the change: the gauge is not a stale count.
  await h.jobs.queue.claim('w', ['m.one'], 1, 60_000);
  const later = await h.registry.metrics();
  assert.match(later, /^vigil_jobs\{status="queued",type="m.one"\} 1$/m);
  assert.match(later, /^vigil_jobs\{status="running",type="m.one"\} 1$/m);
});
