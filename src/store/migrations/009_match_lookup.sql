-- 009 match lookup: the matcher looks advisories up by package key (`packages && keys`) on
-- every scan and upload. A GIN index with `fastupdate` keeps new entries in a pending list
-- that every lookup scans until a vacuum merges it (PGlite never vacuums by itself): after an
-- import, lookups of 2,000 keys took over a second instead of milliseconds. Entries now go
-- straight into the index (a few keys per advisory: cheap at import), and the list left by
-- earlier imports is merged once here.
ALTER INDEX advisories_packages_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('advisories_packages_idx'::regclass);
