-- 017 dashboard indexes (issue 8 §5): every dashboard page interactive in < 1 s with 100,000
-- findings and 1,000 projects. Measured with `npm run bench:web` (bench/web.ts) on PGlite and
-- PostgreSQL 15; the EXPLAIN figures before and after are in docs/web.md (Performance).
--
-- Under row-level security a WHERE condition bounds an index scan only when it is leakproof
-- (`=`, `<`, `= ANY`, CASE, IS NULL on columns and parameters; not COALESCE, now() or `@>`):
-- the others are filters. So the sort expressions with a default (EPSS, SLA due) are written
-- with CASE, here and in FINDING_SORT, and the SLA filters compare with a parameter, not now():
-- a keyset cursor or an SLA range then starts inside the index.

-- The findings table sorts on every column the dashboard offers, 50 rows a page; without an
-- index each sort was a top-N sort of every active finding of the tenant (PostgreSQL 15:
-- 0.4-0.8 s; PGlite: 1-3 s). Same shape as findings_tenant_risk_idx (007): tenant first (the
-- policy compares it), the sort expression exactly as FINDING_SORT
-- (src/store/repos/findingQueries.ts) writes it, then id, the keyset tie-breaker. severity and
-- risk (007) already had one; project sorts through projects' (tenant_id, name) index.
CREATE INDEX findings_tenant_epss_idx ON findings (tenant_id, (CASE WHEN epss IS NULL THEN -1 ELSE epss END), id);
CREATE INDEX findings_tenant_sla_due_idx ON findings (tenant_id, (CASE WHEN sla_due_at IS NULL THEN '9999-12-31T00:00:00Z'::timestamptz ELSE sla_due_at END), id);
CREATE INDEX findings_tenant_package_name_idx ON findings (tenant_id, package_name, id);
CREATE INDEX findings_tenant_vuln_idx ON findings (tenant_id, vuln_id, id);
CREATE INDEX findings_tenant_kev_idx ON findings (tenant_id, (kev::int), id);
CREATE INDEX findings_tenant_state_idx ON findings (tenant_id, state, id);

-- The findings summary (counts by state and severity, KEV, fix, SLA) and the projects' risk
-- aggregate (open findings by project) read every finding of the tenant. A findings row is
-- ~1.4 KB (the matcher's `data` document, inline below the 2 KB TOAST threshold): 140 MB of
-- heap for 100,000 rows. This covering index (~10 MB) answers both with an index-only scan
-- where the visibility map is set (PostgreSQL's autovacuum sets it; on PGlite, which runs no
-- autovacuum, Vigil's hourly db.vacuum job). first_seen_at serves the open findings' part of
-- the findings trend (src/store/repos/history.ts).
CREATE INDEX findings_tenant_state_cover_idx ON findings (tenant_id, state)
  INCLUDE (severity, kev, fixed_version, sla_due_at, project_id, epss, risk, first_seen_at);
