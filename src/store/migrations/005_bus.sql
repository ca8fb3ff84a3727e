-- 005 bus: feed record batches crossing processes through the job queue (src/bus/queue.ts)
-- are delivered at least once. Each batch applied to a feed run is recorded here in the same
-- transaction as its rows and counts, so a batch delivered twice (a worker died after its
-- commit, before the job was marked done) changes nothing the second time.
CREATE TABLE feed_run_batches (
  run_id     uuid NOT NULL REFERENCES feed_runs (id) ON DELETE CASCADE,
  batch_id   text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, batch_id)
);
