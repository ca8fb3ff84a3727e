-- 007 findings: advisories matched to project inventories, their triage and SLA, and the
-- events they emit.

-- Package lookup keys now normalise names as each ecosystem compares them (PEP 503 for PyPI,
-- `-` = `_` for crates.io, `group:artifact` for Maven): recompute the rows stored before.
CREATE FUNCTION vigil_package_key(ecosystem text, name text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT lower(split_part(ecosystem, ':', 1)) || '/' ||
           CASE split_part(ecosystem, ':', 1)
             WHEN 'PyPI' THEN regexp_replace(lower(name), '[-_.]+', '-', 'g')
             WHEN 'crates.io' THEN replace(lower(name), '_', '-')
             WHEN 'Maven' THEN regexp_replace(lower(name), '/', ':')
             ELSE lower(name)
           END
  $$;

UPDATE advisories a SET packages = k.keys
  FROM (
    SELECT ad.source, ad.id, coalesce(array_agg(DISTINCT vigil_package_key(e->>'ecosystem', e->>'name')), '{}') AS keys
      FROM advisories ad, json_array_elements(ad.data->'affectedPackages') AS e
     WHERE ad.ecosystems && ARRAY['PyPI', 'crates.io', 'Maven']
     GROUP BY ad.source, ad.id
  ) k
 WHERE a.source = k.source AND a.id = k.id;

-- Re-matching after a feed import looks for what changed since it last ran.
CREATE INDEX advisories_updated_idx ON advisories (updated_at);
CREATE INDEX kev_entries_updated_idx ON kev_entries (updated_at);
CREATE INDEX epss_scores_updated_idx ON epss_scores (updated_at);
CREATE TABLE match_state (
  singleton           boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  advisories_seen_at  timestamptz,
  updated_at          timestamptz NOT NULL DEFAULT now()
);

-- How much a project matters, one factor of the risk score (src/match/risk.ts).
ALTER TABLE projects ADD COLUMN criticality text NOT NULL DEFAULT 'medium'
  CHECK (criticality IN ('critical', 'high', 'medium', 'low'));

-- One row per (project, package, installed version, vulnerability): the project's current
-- findings. Matching (on upload, and again when advisories change) creates rows, refreshes
-- them and marks those no longer present `fixed`. `ids` holds the display id and every alias
-- so a group that gains an alias (a GHSA gets its CVE) keeps its row and its triage.
-- `triage_*` is the last human (or VEX) decision; it survives a fix and carries to the same
-- package and vulnerability in later versions. `data` is the finding as the matcher built it.
CREATE TABLE findings (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  project_id       uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  version_id       uuid REFERENCES project_versions(id) ON DELETE SET NULL,
  vuln_id          text NOT NULL,
  ids              text[] NOT NULL,
  package_key      text NOT NULL,
  package_name     text NOT NULL,
  package_version  text NOT NULL,
  package_purl     text NOT NULL,
  ecosystem        text NOT NULL,
  severity         text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'none', 'unknown')),
  severity_rank    smallint NOT NULL,
  cvss_score       numeric(3, 1),
  kev              boolean NOT NULL DEFAULT false,
  epss             double precision,
  risk             numeric(3, 1) NOT NULL,
  fixed_version    text,
  direct           boolean,
  confidence       text NOT NULL DEFAULT 'high' CHECK (confidence IN ('high', 'low')),
  state            text NOT NULL DEFAULT 'open'
                   CHECK (state IN ('open', 'in_triage', 'accepted_risk', 'false_positive', 'not_affected', 'fixed')),
  triage_state     text CHECK (triage_state IN ('in_triage', 'accepted_risk', 'false_positive', 'not_affected', 'fixed')),
  justification    text,
  triage_reason    text CHECK (length(triage_reason) <= 4000),
  triage_expires_at timestamptz,
  triage_by        text,
  triage_at        timestamptz,
  published        timestamptz,
  first_seen_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at     timestamptz NOT NULL DEFAULT now(),
  fixed_at         timestamptz,
  sla_due_at       timestamptz,
  sla_breached_at  timestamptz,
  data             jsonb NOT NULL,
  UNIQUE (project_id, package_key, package_version, vuln_id)
);
CREATE INDEX findings_tenant_idx ON findings (tenant_id, severity_rank, id);
CREATE INDEX findings_project_idx ON findings (project_id, state);
CREATE INDEX findings_tenant_state_due_idx ON findings (tenant_id, state, sla_due_at);
CREATE INDEX findings_tenant_risk_idx ON findings (tenant_id, risk, id);
CREATE INDEX findings_ids_idx ON findings USING gin (ids);
CREATE INDEX findings_tenant_package_idx ON findings (tenant_id, package_key);
ALTER TABLE findings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON findings
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON findings TO vigil_app;

-- Every change of a finding's state: who, when, why (the audit log records the call too).
CREATE TABLE finding_events (
  id          bigserial PRIMARY KEY,
  tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  finding_id  uuid NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  from_state  text,
  to_state    text NOT NULL,
  justification text,
  reason      text,
  expires_at  timestamptz
);
CREATE INDEX finding_events_finding_idx ON finding_events (finding_id, id);
ALTER TABLE finding_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON finding_events
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT ON finding_events TO vigil_app;
GRANT USAGE ON SEQUENCE finding_events_id_seq TO vigil_app;

-- Per-tenant SLA policy: days to fix per severity, a shorter deadline for known-exploited
-- (KEV) vulnerabilities, and whether the clock starts when Vigil first saw the finding or
-- when the advisory was published. A tenant without a row gets the defaults in src/match/sla.ts.
CREATE TABLE sla_policies (
  tenant_id     uuid PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  critical_days integer NOT NULL CHECK (critical_days BETWEEN 0 AND 3650),
  high_days     integer NOT NULL CHECK (high_days BETWEEN 0 AND 3650),
  medium_days   integer NOT NULL CHECK (medium_days BETWEEN 0 AND 3650),
  low_days      integer NOT NULL CHECK (low_days BETWEEN 0 AND 3650),
  unknown_days  integer CHECK (unknown_days BETWEEN 0 AND 3650),
  kev_days      integer CHECK (kev_days BETWEEN 0 AND 3650),
  start         text NOT NULL DEFAULT 'first_seen' CHECK (start IN ('first_seen', 'published')),
  due_soon_days integer NOT NULL DEFAULT 7 CHECK (due_soon_days BETWEEN 0 AND 365),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  updated_by    text
);
ALTER TABLE sla_policies ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sla_policies
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON sla_policies TO vigil_app;

-- The event outbox: what happened (finding created / fixed / reopened, SLA breached), written
-- in the same transaction as the change, read by notification channels and GET /events.
CREATE TABLE events (
  id         bigserial PRIMARY KEY,
  tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  type       text NOT NULL,
  subject    text NOT NULL,
  payload    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_tenant_idx ON events (tenant_id, id);
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON events
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT ON events TO vigil_app;
GRANT USAGE ON SEQUENCE events_id_seq TO vigil_app;
