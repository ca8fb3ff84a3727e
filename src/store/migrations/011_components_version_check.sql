-- 011 components: the check that every component row names an existing project version, done
-- once per statement over the rows it inserted instead of once per row.
--
-- A foreign key checks (and key-share locks) the referenced version row by row: storing a
-- 100,000-component SBOM made 100,000 lookups of the one version the transaction had just
-- written, a large part of the time to store it (issue 4: < 10 s end to end). The key is
-- replaced by two statement-level triggers with transition tables that keep what it gave:
--   * insert: the distinct version ids of the new rows are key-share locked (as the foreign key
--     does, so a concurrent delete of the version waits) and must all exist, else the statement
--     fails with foreign_key_violation (23503), as before;
--   * delete of versions (directly, or cascaded from a project or tenant): their components go
--     too, as ON DELETE CASCADE did.
-- Both functions run as the caller, so under a tenant's role the version must be visible to that
-- tenant (row-level security): a row cannot name another tenant's version.

ALTER TABLE components DROP CONSTRAINT components_version_id_fkey;

CREATE FUNCTION vigil_components_check_version() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  wanted integer;
  found integer;
BEGIN
  SELECT count(DISTINCT version_id) INTO wanted FROM new_components;
  WITH locked AS (
    SELECT v.id FROM project_versions v
     WHERE v.id IN (SELECT DISTINCT version_id FROM new_components)
     FOR KEY SHARE
  )
  SELECT count(*) INTO found FROM locked;
  IF found <> wanted THEN
    RAISE EXCEPTION 'insert or update on table "components" violates its project version check'
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = 'A component names a project version that does not exist.';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER components_check_version
  AFTER INSERT ON components
  REFERENCING NEW TABLE AS new_components
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_components_check_version();

CREATE FUNCTION vigil_components_version_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM components c USING deleted_versions d WHERE c.version_id = d.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER project_versions_delete_components
  AFTER DELETE ON project_versions
  REFERENCING OLD TABLE AS deleted_versions
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_components_version_deleted();
