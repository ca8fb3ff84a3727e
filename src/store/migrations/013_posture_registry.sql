-- 013 posture registry: the running infrastructure a tenant scans (cloud accounts, Azure
-- subscriptions, GCP projects, Kubernetes clusters), every scan of each, per-control results
-- and scores per scan (for compliance % and the trend), and the workloads seen in clusters.
--
-- A collected scan is a posture_scans row like an uploaded IaC scan, but of a target instead
-- of a project (exactly one of the two), so findings keep one table and one set of filters.

CREATE TABLE posture_targets (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  provider     text NOT NULL CHECK (provider IN ('aws', 'azure', 'gcp', 'kubernetes')),
  -- Account id, subscription id, project id, or the cluster's name.
  external_id  text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 300),
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  -- Regions or locations of the latest scan.
  regions      text[] NOT NULL DEFAULT '{}' CHECK (cardinality(regions) <= 1000),
  -- Kubernetes: server version, distribution (eks, gke, aks, openshift, other), node count.
  version      text CHECK (length(version) <= 100),
  platform     text CHECK (length(platform) <= 50),
  node_count   integer CHECK (node_count >= 0),
  created_at   timestamptz NOT NULL DEFAULT now(),
  -- Set by every scan: when the target was last scanned (or its facts changed).
  updated_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, provider, external_id)
);
CREATE INDEX posture_targets_tenant_idx ON posture_targets (tenant_id, provider, name, id);
ALTER TABLE posture_targets ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON posture_targets
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON posture_targets TO vigil_app;

ALTER TABLE posture_scans ALTER COLUMN project_id DROP NOT NULL;
ALTER TABLE posture_scans ADD COLUMN target_id uuid REFERENCES posture_targets(id) ON DELETE CASCADE;
ALTER TABLE posture_scans ADD CONSTRAINT posture_scans_subject CHECK ((project_id IS NULL) <> (target_id IS NULL));
ALTER TABLE posture_scans DROP CONSTRAINT posture_scans_source_check;
ALTER TABLE posture_scans ADD CONSTRAINT posture_scans_source_check CHECK (source IN ('cli', 'archive', 'collector'));
-- 0–10 (src/posture/scores.ts) and per framework [{framework, name, controls{pass, fail,
-- notAssessed, notApplicable}, compliance}] (null on project scans).
ALTER TABLE posture_scans ADD COLUMN risk numeric(3, 1) CHECK (risk BETWEEN 0 AND 10);
ALTER TABLE posture_scans ADD COLUMN compliance jsonb;
-- Collection time of a collected scan.
ALTER TABLE posture_scans ADD COLUMN duration_ms integer CHECK (duration_ms >= 0);
-- Each target's latest scan and its trend: ... WHERE target_id = $1 ORDER BY created_at DESC, id DESC.
CREATE INDEX posture_scans_target_idx ON posture_scans (target_id, created_at DESC, id DESC) WHERE target_id IS NOT NULL;

-- Findings of a target scan have no project (the scan names the target).
ALTER TABLE posture_findings ALTER COLUMN project_id DROP NOT NULL;

-- Pass / fail / not assessed per framework control of each collected scan (not-applicable
-- ones are not stored: the scan's `compliance` counts them), for compliance reports and
-- drill-down. `rules`: [{"ruleId", "status"}] of the rules mapped to the control. Written with
-- the scan, read by scan (the primary key serves "one scan" and "one scan, one framework").
CREATE TABLE posture_control_results (
  tenant_id  uuid NOT NULL,
  scan_id    uuid NOT NULL REFERENCES posture_scans(id) ON DELETE CASCADE,
  framework  text NOT NULL,
  control    text NOT NULL,
  status     text NOT NULL CHECK (status IN ('pass', 'fail', 'not-assessed')),
  rules      jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (scan_id, framework, control)
);
ALTER TABLE posture_control_results ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON posture_control_results
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, DELETE ON posture_control_results TO vigil_app;

-- The workloads (pod-owning objects and bare pods) of a cluster as of its latest scan, with
-- their images. Each scan upserts what it saw (same id for the same object across scans) and
-- deletes what it no longer saw.
CREATE TABLE posture_workloads (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL,
  target_id   uuid NOT NULL REFERENCES posture_targets(id) ON DELETE CASCADE,
  scan_id     uuid NOT NULL REFERENCES posture_scans(id) ON DELETE CASCADE,
  namespace   text NOT NULL DEFAULT '',
  -- The Kubernetes kind (`Deployment`, `Pod`).
  kind        text NOT NULL,
  name        text NOT NULL,
  -- The resource id findings name (`Deployment/prod/web`).
  resource_id text NOT NULL,
  images      text[] NOT NULL DEFAULT '{}',
  -- First scan that saw it.
  created_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (target_id, resource_id)
);
CREATE INDEX posture_workloads_target_idx ON posture_workloads (target_id, name, id);
ALTER TABLE posture_workloads ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON posture_workloads
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON posture_workloads TO vigil_app;
