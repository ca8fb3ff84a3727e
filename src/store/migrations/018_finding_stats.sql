-- 018 finding aggregates kept as findings change (issue 8 §5: the Overview interactive in
-- < 1 s with 100,000 findings and 1,000 projects).
--
-- Before this, three of the Overview's requests read every open finding of the tenant on each
-- visit: the summary (~100-150 ms), the projects' risk aggregate (~150-400 ms) and the findings
-- trend (~200-400 ms); PGlite answers one request at a time, so together they passed the
-- budget. Like Dependency-Track's portfolio metrics, the figures are now kept, not recomputed:
--
-- * finding_stats: per project, state and severity, how many findings, how many in KEV, how
--   many with a fix, and the sum of their risk. Statement-level triggers with transition tables
--   (PostgreSQL >= 10, so 15 and PGlite) add each statement's new rows and subtract its old
--   ones, one grouped upsert per statement, whatever writes the findings (the matcher, triage,
--   the SLA job, a project's deletion by cascade, COPY). The summary, the project summary and
--   the projects sorted by risk read it (a few rows per project) instead of the findings.
--   The highest EPSS and risk of a project cannot be kept by adding (a fix lowers them), so
--   they are still read from the findings, for the page of projects shown only.
--
-- * finding_trend_days: the tenant-wide findings trend for days that have ended, computed once
--   by the replay in src/store/repos/history.ts and then read back; today's point is the live
--   finding_stats. A day that has ended changes only when history is rewritten: a finding
--   inserted or deleted with a first-seen time before today, a finding's severity changed (a
--   re-scored advisory), or a state change recorded with an earlier time. The triggers below
--   then drop the tenant's stored days from the earliest such day on, and the next trend
--   request replays them again.
--
-- Both tables have row-level security like every tenant table; the trigger functions run as
-- the caller (tenant transactions: vigil_app with the tenant's id; system transactions: the
-- owner), so a tenant only ever writes its own rows.

CREATE TABLE finding_stats (
  tenant_id  uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- No foreign key: a project's deletion removes its findings by cascade, whose trigger
  -- subtracts them and drops the rows that reach zero.
  project_id uuid NOT NULL,
  state      text NOT NULL,
  severity   text NOT NULL,
  n          integer NOT NULL,
  kev        integer NOT NULL,
  fix        integer NOT NULL,
  risk       numeric NOT NULL,
  PRIMARY KEY (tenant_id, project_id, state, severity)
);
ALTER TABLE finding_stats ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON finding_stats
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON finding_stats TO vigil_app;

CREATE TABLE finding_trend_days (
  tenant_id uuid NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  day       date NOT NULL,
  severity  text NOT NULL,
  open      integer NOT NULL,
  PRIMARY KEY (tenant_id, day, severity)
);
ALTER TABLE finding_trend_days ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON finding_trend_days
  USING (tenant_id = vigil_current_tenant()) WITH CHECK (tenant_id = vigil_current_tenant());
GRANT SELECT, INSERT, UPDATE, DELETE ON finding_trend_days TO vigil_app;

-- One function for the three statement triggers on findings: the statement's new rows are added
-- and its old rows subtracted (an UPDATE does both), in one grouped upsert; the touched
-- projects' rows that reach zero are dropped. Then the stored trend days a statement rewrote
-- are dropped (see above). The transition tables are read by EXECUTE, so one body serves
-- INSERT (no old rows), UPDATE and DELETE (no new rows).
CREATE FUNCTION vigil_findings_aggregate() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  plus text := CASE WHEN TG_OP = 'DELETE' THEN '(SELECT * FROM findings WHERE false)' ELSE 'new_rows' END;
  minus text := CASE WHEN TG_OP = 'INSERT' THEN '(SELECT * FROM findings WHERE false)' ELSE 'old_rows' END;
BEGIN
  EXECUTE format(
    $q$INSERT INTO finding_stats AS s (tenant_id, project_id, state, severity, n, kev, fix, risk)
       SELECT tenant_id, project_id, state, severity, sum(n), sum(kev), sum(fix), sum(risk)
         FROM (SELECT tenant_id, project_id, state, severity, 1 AS n, kev::int AS kev,
                      (fixed_version IS NOT NULL)::int AS fix, risk
                 FROM %1$s p
               UNION ALL
               SELECT tenant_id, project_id, state, severity, -1, -(kev::int), -((fixed_version IS NOT NULL)::int), -risk
                 FROM %2$s m) d
        -- A tenant being deleted (its findings go by cascade) keeps no rows: they go by cascade too.
        WHERE EXISTS (SELECT 1 FROM tenants t WHERE t.id = d.tenant_id)
        GROUP BY tenant_id, project_id, state, severity
       HAVING sum(n) <> 0 OR sum(kev) <> 0 OR sum(fix) <> 0 OR sum(risk) <> 0
        -- Rows locked in one order by every writer: two transactions writing the same
        -- project's findings wait for each other instead of deadlocking.
        ORDER BY tenant_id, project_id, state, severity
       ON CONFLICT (tenant_id, project_id, state, severity)
       DO UPDATE SET n = s.n + excluded.n, kev = s.kev + excluded.kev, fix = s.fix + excluded.fix, risk = s.risk + excluded.risk$q$,
    plus, minus);
  IF TG_OP <> 'INSERT' THEN
    EXECUTE format(
      $q$DELETE FROM finding_stats s USING (SELECT DISTINCT tenant_id, project_id FROM %1$s m) m
          WHERE s.tenant_id = m.tenant_id AND s.project_id = m.project_id AND s.n = 0$q$,
      minus);
  END IF;
  -- History rewritten: rows inserted or deleted with a first-seen day before today, or whose
  -- first-seen time or severity an UPDATE changed (the replay counts a finding under its
  -- severity now, on every day since it was first seen: a re-scored advisory moves it).
  EXECUTE format(
    $q$DELETE FROM finding_trend_days d
        USING (SELECT tenant_id, min((first_seen_at AT TIME ZONE 'UTC')::date) AS day
                 FROM (SELECT tenant_id, first_seen_at FROM %1$s p
                        WHERE %3$s
                       UNION ALL
                       SELECT tenant_id, first_seen_at FROM %2$s m
                        WHERE %4$s) x
                WHERE (first_seen_at AT TIME ZONE 'UTC')::date < (now() AT TIME ZONE 'UTC')::date
                GROUP BY tenant_id) r
       WHERE d.tenant_id = r.tenant_id AND d.day >= r.day$q$,
    plus, minus,
    CASE WHEN TG_OP = 'UPDATE' THEN 'NOT EXISTS (SELECT 1 FROM old_rows o WHERE o.id = p.id AND o.first_seen_at = p.first_seen_at AND o.severity = p.severity)' ELSE 'true' END,
    CASE WHEN TG_OP = 'UPDATE' THEN 'NOT EXISTS (SELECT 1 FROM new_rows n WHERE n.id = m.id AND n.first_seen_at = m.first_seen_at AND n.severity = m.severity)' ELSE 'true' END);
  RETURN NULL;
END $$;

CREATE TRIGGER findings_aggregate_insert AFTER INSERT ON findings
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_findings_aggregate();
CREATE TRIGGER findings_aggregate_update AFTER UPDATE ON findings
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_findings_aggregate();
CREATE TRIGGER findings_aggregate_delete AFTER DELETE ON findings
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_findings_aggregate();

-- A state change recorded with an earlier time (imports of history, tests) rewrites the trend
-- from its day on; changes recorded now touch only today, which is never stored.
CREATE FUNCTION vigil_finding_events_trend() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM finding_trend_days d
   USING (SELECT tenant_id, min((at AT TIME ZONE 'UTC')::date) AS day FROM new_rows
           WHERE (at AT TIME ZONE 'UTC')::date < (now() AT TIME ZONE 'UTC')::date GROUP BY tenant_id) r
   WHERE d.tenant_id = r.tenant_id AND d.day >= r.day;
  RETURN NULL;
END $$;
CREATE TRIGGER finding_events_trend AFTER INSERT ON finding_events
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION vigil_finding_events_trend();

-- The findings already stored.
INSERT INTO finding_stats (tenant_id, project_id, state, severity, n, kev, fix, risk)
SELECT tenant_id, project_id, state, severity, count(*), count(*) FILTER (WHERE kev), count(*) FILTER (WHERE fixed_version IS NOT NULL), sum(risk)
  FROM findings GROUP BY tenant_id, project_id, state, severity;

-- One project's findings (the project page: its summary's SLA counts, its trend, the highest
-- EPSS and risk of each project on a page of /projects): the planner preferred the
-- tenant-wide covering index, reading every open finding of the tenant to keep one project's
-- (PGlite, 100,000 findings: 123 ms for the SLA counts of a 3,000-finding project). This one
-- leads with the project, like findings_project_idx, which it replaces, and carries what those
-- queries read (tenant_id for the row-level security policy), so they are index-only scans.
DROP INDEX findings_project_idx;
CREATE INDEX findings_project_state_idx ON findings (project_id, state, sla_due_at)
  INCLUDE (tenant_id, severity, first_seen_at, epss, risk);
