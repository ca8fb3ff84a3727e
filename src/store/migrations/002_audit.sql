-- 002 audit log: append-only and hash-chained. Each record's hash covers its fields and the
-- previous record's hash, so changing or deleting a record breaks the chain, which
-- `vigil audit verify` detects; checkpoints record the chain head to catch a cut tail.

CREATE TABLE audit_log (
  seq          bigint PRIMARY KEY CHECK (seq > 0),
  occurred_at  timestamptz NOT NULL,
  tenant_id    uuid,
  actor_type   text NOT NULL CHECK (actor_type IN ('user', 'apikey', 'system', 'anonymous')),
  actor_id     text,
  actor_label  text NOT NULL,
  action       text NOT NULL,
  target_type  text,
  target_id    text,
  request_id   text,
  ip           text,
  outcome      text NOT NULL CHECK (outcome IN ('success', 'failure')),
  details      text NOT NULL DEFAULT '{}',
  prev_hash    text NOT NULL,
  hash         text NOT NULL UNIQUE
);
CREATE INDEX audit_log_tenant_seq_idx ON audit_log (tenant_id, seq);

CREATE FUNCTION vigil_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only (% refused)', TG_OP;
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION vigil_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_audit_append_only();

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_read ON audit_log FOR SELECT USING (tenant_id = vigil_current_tenant());
-- Tenants read their own records; only the system door (owner) appends.
GRANT SELECT ON audit_log TO vigil_app;

CREATE TABLE audit_checkpoints (
  seq        bigint PRIMARY KEY,
  hash       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
