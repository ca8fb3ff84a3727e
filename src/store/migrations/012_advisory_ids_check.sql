-- 012 advisory ids: the check that every id row names an existing advisory, done once per
-- statement over the rows it inserted instead of once per row (as 011 did for components).
--
-- An import writes two to three id rows per advisory (its id and aliases, issue 3). The foreign
-- key looked up and key-share locked the advisory row by row: about a tenth of the database's
-- work in an import on a server, more in PGlite (`npm run bench:ingest`). The key is replaced
-- by statement-level triggers with transition tables that keep what it gave:
--   * insert (COPY included): the distinct advisories the new rows name are key-share locked
--     (as the foreign key does, so a concurrent delete waits) and must all exist, else the
--     statement fails with foreign_key_violation (23503), as before;
--   * delete of advisories: their id rows go too, as ON DELETE CASCADE did; and a TRUNCATE of
--     advisories (which the key refused without CASCADE) empties the id rows with it.
-- Advisory keys are never updated (the import writes new rows for new keys), so nothing stands
-- in for the key's refusal of such an update.

ALTER TABLE advisory_ids DROP CONSTRAINT advisory_ids_source_advisory_id_fkey;

CREATE FUNCTION vigil_advisory_ids_check() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
  wanted integer;
  found integer;
BEGIN
  SELECT count(*) INTO wanted FROM (SELECT DISTINCT source, advisory_id FROM new_advisory_ids) k;
  WITH locked AS (
    SELECT 1 FROM advisories a
     WHERE (a.source, a.id) IN (SELECT source, advisory_id FROM new_advisory_ids)
     FOR KEY SHARE
  )
  SELECT count(*) INTO found FROM locked;
  IF found <> wanted THEN
    RAISE EXCEPTION 'insert or update on table "advisory_ids" violates its advisory check'
      USING ERRCODE = 'foreign_key_violation',
            DETAIL = 'An id row names an advisory that does not exist.';
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER advisory_ids_check_advisory
  AFTER INSERT ON advisory_ids
  REFERENCING NEW TABLE AS new_advisory_ids
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_advisory_ids_check();

CREATE FUNCTION vigil_advisories_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM advisory_ids i USING deleted_advisories d WHERE i.source = d.source AND i.advisory_id = d.id;
  RETURN NULL;
END
$$;

CREATE TRIGGER advisories_delete_ids
  AFTER DELETE ON advisories
  REFERENCING OLD TABLE AS deleted_advisories
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_advisories_deleted();

CREATE FUNCTION vigil_advisories_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE advisory_ids;
  RETURN NULL;
END
$$;

CREATE TRIGGER advisories_truncate_ids
  AFTER TRUNCATE ON advisories
  FOR EACH STATEMENT EXECUTE FUNCTION vigil_advisories_truncated();
