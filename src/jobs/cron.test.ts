import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from '../observability/logger.js';
import { FAST, harness, waitFor, type Harness } from './__fixtures__/harness.js';
import { checkSchedules, CronScheduler, lastFireAt, SCHEDULES, type Schedule } from './cron.js';
import { defineHandler, handlerRegistry } from './handlers.js';
import { maintenanceHandlers } from './maintenance.js';
import { JobQueue } from './queue.js';

const silent = createLogger('silent');
const EVERY_MINUTE: Schedule = { name: 'test.tick', cron: '* * * * *', jobType: 'test.cron', payload: { from: 'cron' }, description: 'every minute' };

let h: Harness;
let ran = 0;
before(async () => {
  h = await harness(
    [
      defineHandler({
        type: 'test.cron',
        description: 'counts its runs',
        async run() {
          ran++;
          return { ran };
        },
      }),
    ],
    [EVERY_MINUTE],
  );
});
after(() => h.cleanup());

const scheduledJobs = async (name: string) =>
  (await h.jobs.queue.list(null, {}, { limit: 500, sort: 'createdAt' })).items.filter((j) => j.schedule === name);

test('lastFireAt: the latest fire time at or before now, in UTC', () => {
  const cases: [string, string, string][] = [
    ['7 * * * *', '2026-03-01T10:30:00Z', '2026-03-01T10:07:00.000Z'],
    ['7 * * * *', '2026-03-01T10:07:00Z', '2026-03-01T10:07:00.000Z'],
    ['7 * * * *', '2026-03-01T10:06:59.999Z', '2026-03-01T09:07:00.000Z'],
    ['23 3 * * *', '2026-03-01T02:00:00Z', '2026-02-28T03:23:00.000Z'],
    ['*/10 * * * * *', '2026-03-01T00:00:25.5Z', '2026-03-01T00:00:20.000Z'],
  ];
  for (const [cron, now, want] of cases) assert.equal(lastFireAt(cron, new Date(now)).toISOString(), want, `${cron} at ${now}`);
});

test('checkSchedules refuses unknown job types, bad expressions and duplicate names', () => {
  const reg = handlerRegistry([defineHandler({ type: 'x.y', description: 'x', async run() {} })]);
  const ok: Schedule = { name: 'a', cron: '0 * * * *', jobType: 'x.y', description: 'a' };
  assert.doesNotThrow(() => checkSchedules([ok], reg));
  assert.throws(() => checkSchedules([{ ...ok, jobType: 'nope' }], reg), /no handler for job type nope/);
  assert.throws(() => checkSchedules([{ ...ok, cron: 'every day' }], reg), /invalid cron expression/);
  assert.throws(() => checkSchedules([ok, ok], reg), /two schedules named a/);
});

test('every built-in schedule names a built-in handler and parses', () => {
  const reg = handlerRegistry(maintenanceHandlers({ db: h.db, queue: new JobQueue(h.db) }));
  checkSchedules(SCHEDULES, reg);
  assert.deepEqual(SCHEDULES.map((s) => s.jobType).sort(), ['audit.verify', 'db.vacuum', 'jobs.purge', 'sessions.purge']);
});

describe('firing', () => {
  test('two schedulers at the same tick enqueue one job; the same tick again enqueues none', async () => {
    const now = new Date('2030-01-01T12:00:30Z');
    const one = new CronScheduler(h.db, [EVERY_MINUTE], h.jobs.handlers, silent);
    const two = new CronScheduler(h.db, [EVERY_MINUTE], h.jobs.handlers, silent);
    const [a, b] = await Promise.all([one.tick(now), two.tick(now)]);
    assert.equal(a.length + b.length, 1, 'one fire per tick across schedulers');
    const fired = [...a, ...b][0]!;
    assert.equal(fired.schedule, 'test.tick');
    assert.equal(fired.tenantId, null, 'a system job');
    assert.deepEqual(fired.payload, { from: 'cron' });
    assert.deepEqual(await one.tick(new Date('2030-01-01T12:00:59Z')), [], 'same minute: nothing new');
    const fresh = new CronScheduler(h.db, [EVERY_MINUTE], h.jobs.handlers, silent);
    assert.deepEqual(await fresh.tick(now), [], 'a process that starts later does not fire the same tick again');
    // The next minute: the first job is still queued, so the dedupe key keeps it single.
    assert.deepEqual(await one.tick(new Date('2030-01-01T12:01:00Z')), []);
    assert.equal((await scheduledJobs('test.tick')).length, 1);
    const fires = await h.db.system((q) => q.query<{ n: string }>("SELECT count(*) AS n FROM job_schedule_fires WHERE schedule = 'test.tick'"));
    assert.equal(Number(fires.rows[0]!.n), 2, 'both ticks recorded');
    await h.db.system((q) => q.query("UPDATE jobs SET status = 'cancelled', finished_at = now() WHERE schedule = 'test.tick'"));
  });

  test('two runners sharing a clock fire each tick once and run its job once', async () => {
    let clock = new Date('2031-06-01T08:00:10Z');
    const opts = { concurrency: 2, ...FAST, now: () => clock };
    const r1 = h.jobs.runner(opts);
    const r2 = h.jobs.runner(opts);
    r1.start();
    r2.start();
    try {
      await waitFor('first fire', async () => (await scheduledJobs('test.tick')).filter((j) => j.status === 'succeeded').length === 1);
      await Promise.all([r1.poll(), r2.poll(), r1.poll(), r2.poll()]);
      clock = new Date('2031-06-01T08:01:05Z');
      await waitFor('second fire', async () => (await scheduledJobs('test.tick')).filter((j) => j.status === 'succeeded').length === 2);
      await Promise.all([r1.poll(), r2.poll(), r1.poll(), r2.poll()]);
    } finally {
      await Promise.all([r1.stop(), r2.stop()]);
    }
    const jobs = (await scheduledJobs('test.tick')).filter((j) => j.status !== 'cancelled');
    assert.equal(jobs.length, 2, 'one job per tick, two ticks');
    assert.ok(jobs.every((j) => j.status === 'succeeded' && j.attempts === 1));
    assert.equal(ran, 2);
  });
});
