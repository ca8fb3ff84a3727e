-- 016 dashboard history (issue 8): the audit log's target filter.
--
-- No new column: when a finding opened and closed is already recorded. It opens at
-- `findings.first_seen_at`, and every later change of state (triage, fixed by a new inventory,
-- reopened, accepted risk expired) is a `finding_events` row with `at`, `from_state` and
-- `to_state`, written since 007 in the same transaction as the change; the trend
-- (src/store/repos/history.ts) replays them. `fixed_at` alone would miss triage closures.
-- The projects' risk aggregate needs no index of its own: findings_tenant_state_due_idx
-- (tenant_id, state, ...) finds the open findings (EXPLAIN on PostgreSQL 15 with 100,000
-- findings and 1,000 projects: one bitmap scan and one hash aggregate, docs/web.md).

-- GET /audit?targetType=findings&targetId=<id> (a finding's audit records), newest first.
CREATE INDEX audit_log_tenant_target_idx ON audit_log (tenant_id, target_type, target_id, seq);
