-- 015 tenant memberships: a user keeps one home tenant (users.tenant_id, where the password,
-- the disabled flag and must-change live) and may hold a role in other tenants through a
-- membership row. Rows are tenant-owned like every other table (tenant_id + RLS), so an admin
-- of tenant B sees and changes only B's memberships, never the user row in its home tenant.
--
-- A membership is granted by email. user_id is bound when it is granted, if an account with
-- that email exists then; otherwise it stays NULL and never binds later (a later account with
-- that email may belong to someone else, created by another tenant's admin). The API answers
-- the same either way, so a B admin cannot probe which emails have accounts (ADR 0003).

CREATE TABLE tenant_memberships (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id        uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email            text NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
  user_id          uuid REFERENCES users(id) ON DELETE SET NULL,
  role             text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'ingest')),
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       uuid REFERENCES users(id) ON DELETE SET NULL,
  created_by_label text NOT NULL CHECK (length(created_by_label) <= 320),
  -- The last time the member switched into this tenant: NULL until first used.
  last_switched_at timestamptz,
  CONSTRAINT tenant_memberships_email_key UNIQUE (tenant_id, email)
);
CREATE INDEX tenant_memberships_tenant_created_idx ON tenant_memberships (tenant_id, created_at, id);
-- The system door looks memberships up by user on every request of a member session.
CREATE UNIQUE INDEX tenant_memberships_user_tenant_idx ON tenant_memberships (user_id, tenant_id) WHERE user_id IS NOT NULL;
ALTER TABLE tenant_memberships ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenant_memberships
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, DELETE ON tenant_memberships TO vigil_app;
GRANT UPDATE (role, last_switched_at) ON tenant_memberships TO vigil_app;
