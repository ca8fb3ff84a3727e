-- 008 advisories, faster to write: how the columns PostgreSQL may compress are stored. A
-- record's normalised model (`data`) and source record (`raw`) are usually a few KB, so they
-- are TOASTed and compressed, and so are the full-text vector, the description and the arrays
-- of a large record; with the default pglz that compression took about a sixth of the
-- database's time in an import. Measured on the shared corpus (issue 3, `npm run bench:ingest`):
--
-- - A server built with lz4 (PostgreSQL 14+ as Debian and the official images ship it): lz4 for
--   every such column, several times faster than pglz at about the same size. Only values
--   written from now on are compressed with it; older ones stay readable as they are.
-- - Otherwise (PGlite: its WASM build has no lz4, and pglz is slower still in WASM): `data` and
--   `raw` are no longer compressed (STORAGE EXTERNAL: still moved out of line). They then take
--   about 1.8 times the disk (the whole table about 1.5 times), for an import about 8 % faster.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
    ALTER TABLE advisories
      ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN raw SET COMPRESSION lz4,
      ALTER COLUMN search SET COMPRESSION lz4, ALTER COLUMN title SET COMPRESSION lz4,
      ALTER COLUMN description SET COMPRESSION lz4, ALTER COLUMN cwes SET COMPRESSION lz4,
      ALTER COLUMN aliases SET COMPRESSION lz4, ALTER COLUMN ecosystems SET COMPRESSION lz4,
      ALTER COLUMN packages SET COMPRESSION lz4, ALTER COLUMN products SET COMPRESSION lz4;
  ELSE
    ALTER TABLE advisories ALTER COLUMN data SET STORAGE EXTERNAL, ALTER COLUMN raw SET STORAGE EXTERNAL;
  END IF;
END
$$;
