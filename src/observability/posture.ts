/**
 * Posture metrics per tenant (issue 7, section 7), computed from the database at scrape time so
 * they show every process's scans: for each registry target's latest scan, compliance per
 * framework, failing findings by severity, risk, scan duration, and for clusters the
 * NetworkPolicy coverage of workloads and the RBAC violations. Labels: tenant (slug),
 * provider, target (name), framework / severity. One series per target and framework: bounded
 * by the registry, not by findings.
 */
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { POSTURE_SEVERITIES } from '../posture/model.js';
import type { Database } from '../store/db.js';
import { failingByScan, latestTargetScans, type LatestTargetScan } from '../store/repos/postureMetrics.js';
import { Gauge } from './metrics.js';

/** The rule whose findings are the workloads no NetworkPolicy selects. */
export const NETPOL_COVERAGE_RULE = 'VGL-K8S-020';

type TargetLabels = 'tenant' | 'provider' | 'target';

export function registerPostureMetrics(registry: Registry, db: Database, logger: Logger, rbacRuleIds: () => Promise<readonly string[]>): void {
  const labels = ['tenant', 'provider', 'target'] as const;
  const compliance = new Gauge({
    name: 'vigil_posture_compliance_ratio',
    help: 'Compliance (0–1) per framework of each cluster and cloud account, as of its latest scan',
    labelNames: [...labels, 'framework'] as const,
    registers: [registry],
    collect,
  });
  const findings = new Gauge({
    name: 'vigil_posture_findings',
    help: 'Failing posture findings by severity of each cluster and cloud account, as of its latest scan',
    labelNames: [...labels, 'severity'] as const,
    registers: [registry],
    collect,
  });
  const risk = new Gauge({ name: 'vigil_posture_risk_score', help: 'Risk score (0–10) of each cluster and cloud account, as of its latest scan', labelNames: labels, registers: [registry], collect });
  const duration = new Gauge({
    name: 'vigil_posture_scan_duration_seconds',
    help: 'How long the latest scan of each cluster and cloud account took to collect',
    labelNames: labels,
    registers: [registry],
    collect,
  });
  const netpol = new Gauge({
    name: 'vigil_posture_network_policy_coverage_ratio',
    help: 'Share (0–1) of a cluster’s workloads selected by some NetworkPolicy, as of its latest scan',
    labelNames: labels,
    registers: [registry],
    collect,
  });
  const rbac = new Gauge({
    name: 'vigil_posture_rbac_violations',
    help: 'RBAC objects failing an RBAC rule (wildcards, cluster-admin bindings, secrets read, escalation…) in each cluster, as of its latest scan',
    labelNames: labels,
    registers: [registry],
    collect,
  });
  const all = [compliance, findings, risk, duration, netpol, rbac];

  // One database read per scrape serves every gauge: the first gauge's collect() refreshes, the
  // others reuse it (prom-client calls collect() of each metric in turn within one scrape).
  let pending: Promise<void> | undefined;
  let refreshedAt = 0;
  const refresh = async (): Promise<void> => {
    let rows: LatestTargetScan[];
    let netpolFails: Map<string, number>;
    let rbacFails: Map<string, number>;
    try {
      const rbacRules = await rbacRuleIds();
      ({ rows, netpolFails, rbacFails } = await db.system(async (q) => {
        const latest = await latestTargetScans(q);
        const clusters = latest.filter((r) => r.provider === 'kubernetes').map((r) => r.scanId);
        return { rows: latest, netpolFails: await failingByScan(q, clusters, [NETPOL_COVERAGE_RULE]), rbacFails: await failingByScan(q, clusters, rbacRules) };
      }));
    } catch (err) {
      logger.warn({ err }, 'could not read posture scores for /metrics');
      return; // keep the last values rather than fail the scrape
    }
    for (const g of all) g.reset();
    for (const r of rows) {
      const l: Record<TargetLabels, string> = { tenant: r.tenant, provider: r.provider, target: r.target };
      for (const f of r.compliance ?? []) if (f.compliance !== null) compliance.set({ ...l, framework: f.framework }, f.compliance / 100);
      for (const severity of POSTURE_SEVERITIES) findings.set({ ...l, severity }, r.summary?.fail[severity] ?? 0);
      if (r.risk !== null) risk.set(l, r.risk);
      if (r.durationMs !== null) duration.set(l, r.durationMs / 1000);
      if (r.provider === 'kubernetes') {
        rbac.set(l, rbacFails.get(r.scanId) ?? 0);
        if (r.workloads > 0) netpol.set(l, Math.max(0, 1 - (netpolFails.get(r.scanId) ?? 0) / r.workloads));
      }
    }
  };
  async function collect(): Promise<void> {
    if (pending === undefined && Date.now() - refreshedAt > 1000) {
      pending = refresh().finally(() => {
        refreshedAt = Date.now();
        pending = undefined;
      });
    }
    await pending;
  }
}
