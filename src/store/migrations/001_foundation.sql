-- 001 foundation: the application role, tenants, users, sessions, API keys, login throttling.
-- Runs on PostgreSQL 15+ and on PGlite. Row-level security: every tenant-owned table has
-- tenant_id and a policy comparing it with vigil_current_tenant(); tenant transactions run
-- as vigil_app (SET LOCAL ROLE), which is not the owner, so the policies apply.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'vigil_app') THEN
    CREATE ROLE vigil_app NOLOGIN NOINHERIT;
  END IF;
  -- The migrating role must be able to SET ROLE vigil_app (superusers always can). Since
  -- PostgreSQL 16 the non-superuser who creates a role holds it WITH ADMIN but without SET,
  -- which counts as MEMBER: check and grant SET itself there.
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    IF current_setting('server_version_num')::int >= 160000 THEN
      IF NOT pg_has_role(current_user, 'vigil_app', 'SET') THEN
        EXECUTE format('GRANT vigil_app TO %I WITH SET TRUE', current_user);
      END IF;
    ELSIF NOT pg_has_role(current_user, 'vigil_app', 'MEMBER') THEN
      EXECUTE format('GRANT vigil_app TO %I', current_user);
    END IF;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO vigil_app', current_schema());
END
$$;

CREATE FUNCTION vigil_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT NULLIF(current_setting('vigil.tenant_id', true), '')::uuid $$;

-- System-wide settings (generated JWT key, ...). Not readable by vigil_app.
CREATE TABLE system_settings (
  key        text PRIMARY KEY,
  value      text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tenants (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug       text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = vigil_current_tenant()) WITH CHECK (id = vigil_current_tenant());
GRANT SELECT, UPDATE (name) ON tenants TO vigil_app;

CREATE TABLE users (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id            uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email                text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 320),
  name                 text NOT NULL DEFAULT '' CHECK (length(name) <= 200),
  password_hash        text NOT NULL,
  role                 text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'ingest')),
  disabled             boolean NOT NULL DEFAULT false,
  must_change_password boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  last_login_at        timestamptz
);
CREATE INDEX users_tenant_created_idx ON users (tenant_id, created_at, id);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON users
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO vigil_app;

-- A login session: the refresh token (stored as SHA-256) and the id carried in access tokens.
CREATE TABLE sessions (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id     uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  user_id       uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  refresh_hash  bytea NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  refreshed_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  revoked_at    timestamptz,
  user_agent    text,
  ip            text
);
CREATE INDEX sessions_user_idx ON sessions (tenant_id, user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO vigil_app;

CREATE TABLE api_keys (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id    uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  prefix       text NOT NULL UNIQUE,
  key_hash     bytea NOT NULL UNIQUE,
  role         text NOT NULL CHECK (role IN ('admin', 'analyst', 'viewer', 'ingest')),
  created_by   uuid REFERENCES users(id) ON DELETE SET NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX api_keys_tenant_created_idx ON api_keys (tenant_id, created_at, id);
ALTER TABLE api_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON api_keys
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE ON api_keys TO vigil_app;

-- Failed logins per (account, client address); shared by every process on one database.
CREATE TABLE login_failures (
  key             text PRIMARY KEY,
  failures        integer NOT NULL,
  first_failed_at timestamptz NOT NULL DEFAULT now(),
  locked_until    timestamptz
);
