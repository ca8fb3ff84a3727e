-- 003 jobs: the job queue (feed syncs, scans, maintenance) lives in PostgreSQL itself.
-- Workers claim queued rows with FOR UPDATE SKIP LOCKED and hold a lease (locked_until)
-- that they renew while the handler runs; a lease that runs out (a crashed worker) puts
-- the job back in the queue, so delivery is at-least-once. tenant_id NULL marks a system
-- job (cron maintenance), which no tenant can see.

CREATE TABLE jobs (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid REFERENCES tenants(id) ON DELETE CASCADE,
  type             text NOT NULL CHECK (type ~ '^[a-z][a-z0-9_.-]{0,99}$'),
  payload          jsonb NOT NULL DEFAULT '{}',
  status           text NOT NULL DEFAULT 'queued'
                   CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  priority         integer NOT NULL DEFAULT 0,
  attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  max_attempts     integer NOT NULL DEFAULT 3 CHECK (max_attempts BETWEEN 1 AND 100),
  run_at           timestamptz NOT NULL DEFAULT now(),
  locked_by        text,
  locked_until     timestamptz,
  progress         jsonb,
  result           jsonb,
  last_error       text,
  cancel_requested boolean NOT NULL DEFAULT false,
  dedupe_key       text CHECK (length(dedupe_key) BETWEEN 1 AND 200),
  schedule         text,
  created_at       timestamptz NOT NULL DEFAULT now(),
  started_at       timestamptz,
  finished_at      timestamptz,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  -- A running job always has a holder and a lease; a finished one always has an end.
  CONSTRAINT jobs_running_locked CHECK (status <> 'running' OR (locked_by IS NOT NULL AND locked_until IS NOT NULL)),
  CONSTRAINT jobs_finished_at CHECK ((status IN ('succeeded', 'failed', 'cancelled')) = (finished_at IS NOT NULL))
);

-- Claiming: the next queued jobs by priority (higher first), then due time.
CREATE INDEX jobs_claim_idx ON jobs (priority DESC, run_at, id) WHERE status = 'queued';
-- Lease recovery: running jobs whose lease ran out.
CREATE INDEX jobs_lease_idx ON jobs (locked_until) WHERE status = 'running';
-- Listing a tenant's jobs (keyset pagination on created_at, id).
CREATE INDEX jobs_tenant_created_idx ON jobs (tenant_id, created_at, id);
-- Purging old finished jobs.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE finished_at IS NOT NULL;
-- At most one unfinished job per (tenant, dedupe key); system jobs share one NULL tenant.
CREATE UNIQUE INDEX jobs_dedupe_idx ON jobs (tenant_id, dedupe_key) NULLS NOT DISTINCT
  WHERE dedupe_key IS NOT NULL AND status IN ('queued', 'running');

ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON jobs
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
-- Tenants enqueue, read and cancel their own jobs; claiming, leases and results go through
-- the system door, so a tenant may update only the columns cancelling touches.
GRANT SELECT, INSERT ON jobs TO vigil_app;
GRANT UPDATE (status, cancel_requested, finished_at, updated_at) ON jobs TO vigil_app;

-- One row per cron schedule and fire time: the process whose insert wins enqueues the job,
-- so a schedule fires once per tick however many processes run it. System only.
CREATE TABLE job_schedule_fires (
  schedule  text NOT NULL,
  fire_at   timestamptz NOT NULL,
  job_id    uuid,
  fired_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (schedule, fire_at)
);
