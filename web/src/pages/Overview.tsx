import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { Bar, BarChart, CartesianGrid, Cell, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { api, unwrap } from '../api/client';
import { FindingsTrend, PostureTrend } from '../components/TrendCharts';
import { Empty, fmtDate, fmtEpss, QueryView, SEVERITIES, SEVERITY_COLOURS, SeverityBadge } from '../components/ui';

function SeverityChart() {
  const navigate = useNavigate();
  const q = useQuery({ queryKey: ['findings-summary'], queryFn: () => unwrap(api.GET('/api/v1/findings/summary')) });
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
              <div className="chart" data-testid="chart-severity">
                <ResponsiveContainer width="100%" height={220}>
                  <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="severity" />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    <Bar dataKey="count" name="Open findings" cursor="pointer" onClick={(d: { payload?: { severity?: string } }) => d.payload?.severity && void navigate(`/findings?severity=${d.payload.severity}`)}>
                      {rows.map((r) => (
                        <Cell key={r.severity} fill={SEVERITY_COLOURS[r.severity]} />
                      ))}
                    </Bar>
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <ul className="legend">
                {rows.map((r) => (
                  <li key={r.severity}>
                    <Link to={`/findings?severity=${r.severity}`}>
                      <SeverityBadge severity={r.severity} /> {r.count}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function HotList() {
  const kev = useQuery({ queryKey: ['hot', 'kev'], queryFn: () => unwrap(api.GET('/api/v1/findings', { params: { query: { kev: 'true', sort: '-risk', limit: 8 } } })) });
  const epss = useQuery({ queryKey: ['hot', 'epss'], queryFn: () => unwrap(api.GET('/api/v1/findings', { params: { query: { epssMin: 0.1, sort: '-epss', limit: 8 } } })) });
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
  const summary = useQuery({ queryKey: ['findings-summary'], queryFn: () => unwrap(api.GET('/api/v1/findings/summary')) });
  const breaches = useQuery({ queryKey: ['sla', 'breaches'], queryFn: () => unwrap(api.GET('/api/v1/sla/breaches', { params: { query: { limit: 5 } } })) });
  const soon = useQuery({ queryKey: ['sla', 'soon'], queryFn: () => unwrap(api.GET('/api/v1/sla/due-soon', { params: { query: { limit: 5 } } })) });
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
  const navigate = useNavigate();
  const clusters = useQuery({ queryKey: ['clusters', 'all'], queryFn: () => unwrap(api.GET('/api/v1/clusters', { params: { query: { limit: 50 } } })) });
  const accounts = useQuery({ queryKey: ['accounts', 'all'], queryFn: () => unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 50 } } })) });
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
        <>
          <div className="chart" data-testid="chart-compliance">
            <ResponsiveContainer width="100%" height={Math.max(120, rows.length * 28 + 40)}>
              <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
                <XAxis type="number" domain={[0, 100]} unit="%" />
                <YAxis type="category" dataKey="label" width={220} />
                <Tooltip />
                <Bar dataKey="pct" name="Compliance %" fill="#2f7dd1" cursor="pointer" onClick={(d: { payload?: { to?: string } }) => d.payload?.to && void navigate(d.payload.to)} />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ul className="legend">
            {rows.map((r) => (
              <li key={r.to}>
                <Link to={r.to}>
                  {r.label}: {r.pct.toFixed(0)}%
                </Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function RiskiestProjects() {
  const navigate = useNavigate();
  // Ranked on the server: a project's risk is the sum of its open findings' risk scores.
  const q = useQuery({ queryKey: ['projects', 'riskiest'], queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query: { sort: '-risk', limit: 10 } } })) });
  return (
    <section className="card" aria-labelledby="risky-title">
      <h2 id="risky-title">Riskiest projects and images</h2>
      <QueryView q={q} what="projects">
        {(d) => {
          const rows = d.items.filter((p) => p.findings.open > 0).map((p) => ({ id: p.id, name: p.name, kind: p.kind, risk: p.findings.risk, open: p.findings.open, kev: p.findings.kev }));
          if (rows.length === 0) return <Empty title="No project has open findings." command="npm run vigil -- sbom . --upload --project my-app --version 1.0.0" />;
          return (
            <>
              <div className="chart" data-testid="chart-projects">
                <ResponsiveContainer width="100%" height={rows.length * 28 + 40}>
                  <BarChart data={rows} layout="vertical" margin={{ left: 8, right: 16 }}>
                    <XAxis type="number" />
                    <YAxis type="category" dataKey="name" width={180} />
                    <Tooltip />
                    <Bar dataKey="risk" name="Risk (sum of open findings' risk)" fill="#e0561b" cursor="pointer" onClick={(p: { payload?: { id?: string } }) => p.payload?.id && void navigate(`/findings?project=${p.payload.id}`)} />
                  </BarChart>
                </ResponsiveContainer>
              </div>
              <ul className="legend">
                {rows.map((r) => (
                  <li key={r.id}>
                    <Link to={`/findings?project=${r.id}`}>
                      {r.name}{r.kind === 'image' ? ' (image)' : ''}: risk {r.risk}, {r.open} open{r.kev > 0 ? `, ${r.kev} in KEV` : ''}
                    </Link>
                  </li>
                ))}
              </ul>
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
