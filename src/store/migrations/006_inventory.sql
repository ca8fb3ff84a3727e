-- 006 inventory: what is installed where, per tenant. A project (an application, a service or
-- an image) has versions; each version holds the inventory read from one upload (an SBOM, a
-- lockfile, a directory's lockfiles or an image tar): its components, the dependency edges
-- between them and the problems met while reading. The uploaded document itself lives in the
-- object store (filesystem by default), named by its SHA-256 here.

CREATE TABLE projects (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id   uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  kind        text NOT NULL DEFAULT 'application' CHECK (kind IN ('application', 'service', 'image')),
  description text CHECK (length(description) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, name)
);
CREATE INDEX projects_tenant_created_idx ON projects (tenant_id, created_at, id);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON projects
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON projects TO vigil_app;

CREATE TABLE project_versions (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id      uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  project_id     uuid NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
  version        text NOT NULL CHECK (length(version) BETWEEN 1 AND 200),
  source_kind    text NOT NULL CHECK (source_kind IN ('directory', 'file', 'image', 'sbom')),
  source_name    text NOT NULL,
  -- The uploaded document in the object store (NULL when nothing was uploaded, e.g. a CLI scan).
  document_sha256 text,
  document_name   text,
  document_bytes  bigint,
  os             jsonb,
  layers         jsonb,
  files          jsonb NOT NULL DEFAULT '[]',
  -- Dependency edges whose source is not a component (the project itself: `root`).
  root_edges     jsonb NOT NULL DEFAULT '[]',
  problems       jsonb NOT NULL DEFAULT '[]',
  component_count integer NOT NULL DEFAULT 0,
  error_count    integer NOT NULL DEFAULT 0,
  created_by     text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, version)
);
CREATE INDEX project_versions_tenant_idx ON project_versions (tenant_id, project_id, created_at, id);
ALTER TABLE project_versions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON project_versions
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON project_versions TO vigil_app;

-- One row per package of a version. `ref` is the package id within the inventory (the
-- CycloneDX bom-ref); `seq` keeps the reader's order; `depends_on` lists the refs this
-- component depends on (the dependency edges, kept on the row: one write per component).
-- No foreign key on tenant_id: the version's key already cascades from the tenant, and a
-- second check per row doubles the cost of loading 100k components.
CREATE TABLE components (
  tenant_id      uuid NOT NULL,
  version_id     uuid NOT NULL REFERENCES project_versions(id) ON DELETE CASCADE,
  seq            integer NOT NULL,
  ref            text NOT NULL,
  name           text NOT NULL,
  version        text NOT NULL,
  ecosystem      text NOT NULL,
  purl           text NOT NULL,
  direct         boolean,
  scope          text,
  groups         text[] NOT NULL DEFAULT '{}',
  file           text NOT NULL,
  line           integer,
  licenses       text[] NOT NULL DEFAULT '{}',
  source_name    text,
  source_version text,
  commit         text,
  -- Everything else the reader kept (hashes, layer, properties), as one value.
  extra          jsonb,
  depends_on     text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (version_id, seq)
);
CREATE INDEX components_version_ref_idx ON components (version_id, ref);
CREATE INDEX components_tenant_package_idx ON components (tenant_id, ecosystem, name);
ALTER TABLE components ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON components
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, DELETE ON components TO vigil_app;
