-- 004 advisories: the shared vulnerability database (not tenant-owned: every tenant reads the
-- same advisories). One row per (source, id) with the normalised model in `data` and the
-- source record verbatim in `raw` (jsonb). `data` is json, not jsonb: it is only ever read
-- whole, and json is kept as written instead of being parsed and rebuilt on every import.
-- `advisory_ids` maps every id and alias to its records so alias groups (CVE <-> GHSA <->
-- PYSEC <-> GO <-> RUSTSEC <-> ALSA ...) are found by a recursive walk. KEV and EPSS enrich
-- CVE ids. Every import run is recorded, and every invalid record is quarantined with file,
-- record id and reason.

CREATE TABLE advisories (
  source        text NOT NULL CHECK (source IN ('cve5', 'osv', 'nvd')),
  id            text NOT NULL,
  modified      timestamptz NOT NULL,
  published     timestamptz,
  withdrawn     timestamptz,
  rejected      boolean NOT NULL DEFAULT false,
  title         text,
  description   text,
  severity      text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none', 'unknown')),
  cvss_score    numeric(3, 1),
  cwes          text[] NOT NULL DEFAULT '{}',
  aliases       text[] NOT NULL DEFAULT '{}',
  ecosystems    text[] NOT NULL DEFAULT '{}',
  packages      text[] NOT NULL DEFAULT '{}',
  products      text[] NOT NULL DEFAULT '{}',
  data          json NOT NULL,
  raw           jsonb NOT NULL,
  content_hash  text NOT NULL,
  -- Of `raw` alone: two different records with the same id and `modified` (mirrors of a
  -- database disagree) are ordered by it, so whichever order they come in, one wins.
  raw_hash      text NOT NULL,
  search        tsvector GENERATED ALWAYS AS (
                  to_tsvector('english', coalesce(title, '') || ' ' || coalesce(description, ''))) STORED,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, id)
);
CREATE INDEX advisories_search_idx ON advisories USING gin (search);
CREATE INDEX advisories_packages_idx ON advisories USING gin (packages);
CREATE INDEX advisories_products_idx ON advisories USING gin (products);
CREATE INDEX advisories_ecosystems_idx ON advisories USING gin (ecosystems);
CREATE INDEX advisories_published_idx ON advisories (published, source, id);
CREATE INDEX advisories_modified_idx ON advisories (modified, source, id);
CREATE INDEX advisories_score_idx ON advisories (cvss_score, source, id);

-- Every id a record answers to (its own and its aliases), upper-cased for lookup.
CREATE TABLE advisory_ids (
  vuln_id     text NOT NULL,
  source      text NOT NULL,
  advisory_id text NOT NULL,
  PRIMARY KEY (vuln_id, source, advisory_id),
  FOREIGN KEY (source, advisory_id) REFERENCES advisories (source, id) ON DELETE CASCADE
);
CREATE INDEX advisory_ids_record_idx ON advisory_ids (source, advisory_id);

CREATE TABLE kev_entries (
  cve_id                         text PRIMARY KEY,
  vendor_project                 text NOT NULL,
  product                        text NOT NULL,
  vulnerability_name             text NOT NULL,
  date_added                     date NOT NULL,
  short_description              text NOT NULL,
  required_action                text NOT NULL,
  due_date                       date NOT NULL,
  known_ransomware_campaign_use  text NOT NULL CHECK (known_ransomware_campaign_use IN ('Known', 'Unknown')),
  notes                          text NOT NULL DEFAULT '',
  cwes                           text[] NOT NULL DEFAULT '{}',
  catalog_version                text,
  content_hash                   text NOT NULL,
  updated_at                     timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE epss_scores (
  cve_id        text PRIMARY KEY,
  epss          double precision NOT NULL CHECK (epss >= 0 AND epss <= 1),
  percentile    double precision NOT NULL CHECK (percentile >= 0 AND percentile <= 1),
  score_date    date NOT NULL,
  model_version text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX epss_scores_epss_idx ON epss_scores (epss);

CREATE TABLE feed_runs (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source       text NOT NULL,
  mode         text NOT NULL CHECK (mode IN ('import', 'sync')),
  inputs       text[] NOT NULL DEFAULT '{}',
  status       text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  new_count       integer NOT NULL DEFAULT 0,
  updated_count   integer NOT NULL DEFAULT 0,
  unchanged_count integer NOT NULL DEFAULT 0,
  rejected_count  integer NOT NULL DEFAULT 0,
  invalid_count   integer NOT NULL DEFAULT 0,
  duration_ms  integer,
  error        text,
  job_id       uuid
);
CREATE INDEX feed_runs_started_idx ON feed_runs (started_at, id);

CREATE TABLE feed_quarantine (
  id         bigserial PRIMARY KEY,
  run_id     uuid NOT NULL REFERENCES feed_runs (id) ON DELETE CASCADE,
  source     text NOT NULL,
  file       text NOT NULL,
  entry      text,
  line       integer,
  record_id  text,
  reason     text NOT NULL,
  pointer    text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feed_quarantine_run_idx ON feed_quarantine (run_id, id);

-- Where each online source left off (ETag, last delta applied, NVD window), for resuming.
CREATE TABLE feed_state (
  source     text PRIMARY KEY,
  state      jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The advisory database is shared, read-only for the application role.
GRANT SELECT ON advisories, advisory_ids, kev_entries, epss_scores, feed_runs, feed_quarantine TO vigil_app;
