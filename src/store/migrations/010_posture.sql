-- 010 posture: misconfiguration scans of infrastructure code stored per tenant and project.
-- A scan is one `vigil posture scan` report uploaded from CI (source 'cli') or one directory
-- archive the server extracted and scanned itself (source 'archive'). Its findings are kept
-- as they were reported (failed, suppressed and not assessed alike); the API reads each
-- project's latest scan unless a scan is named.

CREATE TABLE posture_scans (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  project_id    uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  source        text NOT NULL CHECK (source IN ('cli', 'archive')),
  -- What was scanned: the CLI's paths, or the archive's name.
  target        text NOT NULL CHECK (length(target) <= 1000),
  files         integer NOT NULL DEFAULT 0 CHECK (files >= 0),
  resources     integer NOT NULL DEFAULT 0 CHECK (resources >= 0),
  finding_count integer NOT NULL DEFAULT 0 CHECK (finding_count >= 0),
  -- {"fail": {"critical": n, ...}, "failed": n, "suppressed": n, "notAssessed": n}
  summary       jsonb NOT NULL,
  -- Files that could not be read or parsed: [{"path", "line"?, "reason"}] (the first 1000).
  errors        jsonb NOT NULL DEFAULT '[]',
  error_count   integer NOT NULL DEFAULT 0 CHECK (error_count >= 0),
  -- Which rules judged: the Vigil version and a digest of the rule catalogue that ran.
  rules_version text CHECK (length(rules_version) <= 200),
  -- SHA-256 of the uploaded body (report or archive), for tracing a scan to its input.
  document_sha256 text,
  created_by    text,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX posture_scans_tenant_idx ON posture_scans (tenant_id, created_at, id);
-- Each project's latest scan: DISTINCT ON (project_id) ... ORDER BY created_at DESC, id DESC.
CREATE INDEX posture_scans_project_idx ON posture_scans (project_id, created_at DESC, id DESC);
ALTER TABLE posture_scans ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON posture_scans
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON posture_scans TO vigil_app;

-- One row per finding of a scan (ids made by the writer: cheaper than a default per row).
-- `framework_keys` is the GIN-indexed form of `frameworks` for the framework and control
-- filters: every framework id the finding maps to and every `framework:control` pair (framework
-- ids never contain a colon, so the two never clash). No foreign key on tenant_id or
-- project_id: the scan's key already cascades from both, and a check per row would slow
-- loading thousands of findings.
CREATE TABLE posture_findings (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  scan_id        uuid NOT NULL REFERENCES posture_scans(id) ON DELETE CASCADE,
  project_id     uuid NOT NULL,
  rule_id        text NOT NULL,
  severity       text NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
  severity_rank  smallint NOT NULL,
  status         text NOT NULL CHECK (status IN ('fail', 'suppressed', 'not-assessed')),
  title          text NOT NULL,
  message        text NOT NULL,
  resource_kind  text NOT NULL,
  resource_id    text NOT NULL,
  resource_name  text NOT NULL,
  provider       text NOT NULL,
  account        text,
  region         text,
  namespace      text,
  file           text NOT NULL,
  line           integer NOT NULL,
  frameworks     jsonb NOT NULL DEFAULT '[]',
  framework_keys text[] NOT NULL DEFAULT '{}',
  remediation    text NOT NULL DEFAULT '',
  fix            text,
  -- {"reason", "source", "expires"} for suppressed findings.
  suppression    jsonb
);
-- Lists read one or a few scans (each project's latest), worst first: this index serves that
-- order with the page's LIMIT; the other filters (rule, kind, status, resource and file
-- substrings) narrow those rows. One B-tree only: without statistics (PGlite never analyses
-- by itself) a second one on (scan_id, rule_id) was chosen for every list, sorting the scan.
CREATE INDEX posture_findings_scan_idx ON posture_findings (scan_id, severity_rank, id);
-- Without the pending list (see 009): entries go straight into the index, so lookups stay
-- fast on PGlite, which never vacuums by itself.
CREATE INDEX posture_findings_framework_keys_idx ON posture_findings USING gin (framework_keys) WITH (fastupdate = off);
ALTER TABLE posture_findings ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON posture_findings
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, DELETE ON posture_findings TO vigil_app;
