-- 014 scheduled posture scans (issue 7, section 5): a target the server collects itself, on a
-- cron schedule and on demand, as `posture.collect` jobs.
--
-- `scan_config` says how to reach the target (provider options, never a credential: the server
-- uses its own credential chain, see docs/posture.md "Scheduled scans"); null for targets known
-- only from uploaded scans. `scan_cron` (UTC, five or six fields) fires a scan; the scheduler
-- of every process fires each due time once by moving `scan_fired_at` forward with a
-- conditional UPDATE (whoever's update wins enqueues the job).

ALTER TABLE posture_targets ADD COLUMN scan_config jsonb;
ALTER TABLE posture_targets ADD COLUMN scan_cron text CHECK (scan_cron IS NULL OR length(scan_cron) BETWEEN 9 AND 100);
ALTER TABLE posture_targets ADD COLUMN scan_fired_at timestamptz;
ALTER TABLE posture_targets ADD CONSTRAINT posture_targets_cron_needs_config CHECK (scan_cron IS NULL OR scan_config IS NOT NULL);
CREATE INDEX posture_targets_scheduled_idx ON posture_targets (id) WHERE scan_cron IS NOT NULL;
