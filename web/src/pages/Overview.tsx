import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { BarList } from '../components/BarList';
import { FindingsTrend, PostureTrend } from '../components/TrendCharts';
import { overviewQueries } from '../queries';
import { Empty, fmtDate, fmtEpss, QueryView, SEVERITIES, SEVERITY_COLOURS, SeverityBadge } from '../components/ui';

function SeverityChart() {
  const q = useQuery(overviewQueries.summary);
  return (
    <section className="card" aria-labelledby="sev-title">
      <h2 id="sev-title">Open findings by severity</h2>
      <QueryView q={q} what="the findings summary">
        {(s) => {
          const by = s.bySeverity as Record<string, number>;
          const rows = SEVERITIES.map((sev) => ({ severity: sev, count: by[sev] ?? 0 })).filter((r) => r.count > 0 || r.severity !== 'none');
          if (s.active === 0) {
            return (
              <Empty title="No open findings yet." command="npm run vigil -- sbom . --upload --project my-app --version 1.0.0">
                <p>Upload an SBOM or lockfile of a project; findings appear once advisories are imported (<code>npm run vigil -- db sync</code>).</p>
              </Empty>
            );
          }
          return (
            <>
              <p className="big" data-testid="open-total">
                <Link to="/findings">{s.active} open</Link> · <Link to="/findings?kev=true">{s.kev} in KEV</Link> · <Link to="/findings?fixAvailable=true">{s.fixAvailable} with a fix</Link>
              </p>
              <BarList
                label="Open findings by severity"
                testId="chart-severity"
                items={rows.map((r) => ({ key: r.severity, label: <SeverityBadge severity={r.severity} />, value: r.count, to: `/findings?severity=${r.severity}`, colour: SEVERITY_COLOURS[r.severity] ?? '#6b7a8c' }))}
              />
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function HotList() {
  const kev = useQuery(overviewQueries.hotKev);
  const epss = useQuery(overviewQueries.hotEpss);
  return (
    <section className="card" aria-labelledby="hot-title">
      <h2 id="hot-title">Hot list: exploited (KEV) and likely exploited (EPSS ≥ 10%)</h2>
      <div className="two">
        {[
          { q: kev, title: 'In CISA KEV', link: '/findings?kev=true&sort=-risk' },
          { q: epss, title: 'Highest EPSS', link: '/findings?epssMin=0.1&sort=-epss' },
        ].map(({ q, title, link }) => (
          <div key={title}>
            <h3>
              <Link to={link}>{title}</Link>
            </h3>
            <QueryView q={q} what={title}>
              {(d) =>
                d.items.length === 0 ? (
                  <p className="muted">None open. Keep KEV and EPSS current with <code className="cmd">npm run vigil -- db sync --source kev</code> (and <code>--source epss</code>).</p>
                ) : (
                  <ul className="rows">
                    {d.items.map((f) => (
                      <li key={f.id}>
                        <SeverityBadge severity={f.severity} /> <Link to={`/findings/${f.id}`}>{f.vulnId}</Link> in {f.package.name}@{f.package.version} <span className="muted">({f.projectName}, EPSS {fmtEpss(f.epss)})</span>
                      </li>
                    ))}
                  </ul>
                )
              }
            </QueryView>
          </div>
        ))}
      </div>
    </section>
  );
}

function Sla() {
  const summary = useQuery(overviewQueries.summary);
  const breaches = useQuery(overviewQueries.slaBreaches);
  const soon = useQuery(overviewQueries.slaSoon);
  return (
    <section className="card" aria-labelledby="sla-title">
      <h2 id="sla-title">SLA</h2>
      {summary.data && (
        <p className="big">
          <Link to="/findings?slaBreached=true&sort=slaDue">{summary.data.slaBreached} past due</Link> · {summary.data.slaDueSoon} due soon
        </p>
      )}
      <div className="two">
        {[
          { q: breaches, title: 'Past their due date' },
          { q: soon, title: 'Due soon' },
        ].map(({ q, title }) => (
          <div key={title}>
            <h3>{title}</h3>
            <QueryView q={q} what={title}>
              {(d) =>
                d.items.length === 0 ? (
                  <p className="muted">None. The policy is under Settings (or <code>PUT /api/v1/sla/policy</code>).</p>
                ) : (
                  <ul className="rows">
                    {d.items.map((f) => (
                      <li key={f.id}>
                        <SeverityBadge severity={f.severity} /> <Link to={`/findings/${f.id}`}>{f.vulnId}</Link> {f.projectName} · due {fmtDate(f.slaDueAt)}
                      </li>
                    ))}
                  </ul>
                )
              }
            </QueryView>
          </div>
        ))}
      </div>
    </section>
  );
}

function Compliance() {
  const clusters = useQuery(overviewQueries.clusters);
  const accounts = useQuery(overviewQueries.accounts);
  const rows = [
    ...(clusters.data?.items ?? []).map((t) => ({ t, kind: 'clusters' })),
    ...(accounts.data?.items ?? []).map((t) => ({ t, kind: 'accounts' })),
  ].flatMap(({ t, kind }) =>
    (t.latestScan?.compliance ?? []).flatMap((c) => (c.compliance === null ? [] : [{ label: `${t.name} · ${c.framework}`, pct: c.compliance, to: `/posture/${kind}/${t.id}?framework=${encodeURIComponent(c.framework)}` }])),
  );
  return (
    <section className="card" aria-labelledby="comp-title">
      <h2 id="comp-title">Compliance by framework, per cluster and account</h2>
      {clusters.isPending || accounts.isPending ? null : rows.length === 0 ? (
        <Empty title="No clusters or cloud accounts scanned yet." command="npm run vigil -- posture scan --kubeconfig ~/.kube/config --upload" />
      ) : (
        <BarList
          label="Compliance by framework, per cluster and account"
          testId="chart-compliance"
          max={100}
          items={rows.map((r) => ({ key: r.to, label: r.label, value: r.pct, display: `${r.pct.toFixed(0)}%`, to: r.to, colour: '#2f7dd1' }))}
        />
      )}
    </section>
  );
}

function RiskiestProjects() {
  const q = useQuery(overviewQueries.riskiestProjects);
  return (
    <section className="card" aria-labelledby="risky-title">
      <h2 id="risky-title">Riskiest projects and images</h2>
      <QueryView q={q} what="projects">
        {(d) => {
          const rows = d.items.filter((p) => p.findings.open > 0).map((p) => ({ id: p.id, name: p.name, kind: p.kind, risk: p.findings.risk, open: p.findings.open, kev: p.findings.kev }));
          if (rows.length === 0) return <Empty title="No project has open findings." command="npm run vigil -- sbom . --upload --project my-app --version 1.0.0" />;
          return (
            <>
              <BarList
                label="Riskiest projects and images"
                testId="chart-projects"
                items={rows.map((r) => ({
                  key: r.id,
                  label: `${r.name}${r.kind === 'image' ? ' (image)' : ''}`,
                  value: r.risk,
                  display: `risk ${r.risk}, ${r.open} open${r.kev > 0 ? `, ${r.kev} in KEV` : ''}`,
                  to: `/findings?project=${r.id}`,
                  colour: '#e0561b',
                }))}
              />
              <p className="small">
                <Link to="/projects?sort=-risk">All projects by risk</Link>
              </p>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

export function OverviewPage() {
  return (
    <section>
      <h1>Overview</h1>
      <div className="grid">
        <SeverityChart />
        <FindingsTrend />
        <RiskiestProjects />
        <HotList />
        <Sla />
        <Compliance />
        <PostureTrend />
      </div>
    </section>
  );
}
