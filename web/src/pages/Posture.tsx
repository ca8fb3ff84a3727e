import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { CopyButton, Empty, fmtDate, fmtDateTime, fmtPct, QueryView, SeverityBadge, TableHead } from '../components/ui';

type Kind = 'clusters' | 'accounts';
/** Failing controls first. */
const STATUS_ORDER = { fail: 0, 'not-assessed': 1, pass: 2 } as const;

function Targets({ kind }: { kind: Kind }) {
  const q = useQuery({
    queryKey: [kind, 'all'],
    queryFn: () => (kind === 'clusters' ? unwrap(api.GET('/api/v1/clusters', { params: { query: { limit: 100 } } })) : unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 100 } } }))),
  });
  return (
    <section className="card" aria-labelledby={`${kind}-title`}>
      <h2 id={`${kind}-title`}>{kind === 'clusters' ? 'Kubernetes clusters' : 'Cloud accounts'}</h2>
      <QueryView q={q} what={kind}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty
              title={kind === 'clusters' ? 'No cluster scanned yet.' : 'No cloud account scanned yet.'}
              command={kind === 'clusters' ? 'npm run vigil -- posture scan --kubeconfig ~/.kube/config --upload' : 'npm run vigil -- posture scan --aws --upload'}
            />
          ) : (
            <table className="compact">
              <TableHead columns={['Name', 'Provider', 'Risk score', 'Failed', 'Compliance', 'Last scan']} />
              <tbody>
                {d.items.map((t) => (
                  <tr key={t.id}>
                    <td>
                      <Link to={`/posture/${kind}/${t.id}`}>{t.name}</Link>
                    </td>
                    <td>{t.provider}</td>
                    <td>{t.latestScan?.risk ?? '—'}</td>
                    <td>{t.latestScan?.summary.failed ?? '—'}</td>
                    <td className="small">
                      {(t.latestScan?.compliance ?? []).map((c) => (
                        <Link key={c.framework} to={`/posture/${kind}/${t.id}?framework=${encodeURIComponent(c.framework)}`} className="chip">
                          {c.framework} {fmtPct(c.compliance, 0)}
                        </Link>
                      ))}
                    </td>
                    <td>{fmtDateTime(t.latestScan?.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}

export function PosturePage() {
  return (
    <section>
      <h1>Posture</h1>
      <Targets kind="clusters" />
      <Targets kind="accounts" />
    </section>
  );
}

export function PostureTargetPage() {
  const { kind: rawKind = '', id = '' } = useParams();
  const kind: Kind = rawKind === 'accounts' ? 'accounts' : 'clusters';
  const [params, setParams] = useSearchParams();
  const framework = params.get('framework') ?? '';
  const control = params.get('control') ?? '';
  const comp = useQuery({
    queryKey: [kind, id, 'compliance'],
    queryFn: () =>
      kind === 'clusters'
        ? unwrap(api.GET('/api/v1/clusters/{id}/compliance', { params: { path: { id } } }))
        : unwrap(api.GET('/api/v1/accounts/{id}/compliance', { params: { path: { id } } })),
  });
  const target = useQuery({
    queryKey: [kind, id],
    queryFn: () =>
      kind === 'clusters'
        ? unwrap(api.GET('/api/v1/clusters/{id}', { params: { path: { id } } }))
        : unwrap(api.GET('/api/v1/accounts/{id}', { params: { path: { id } } })),
  });
  const [onlyFailing, setOnlyFailing] = useState(false);
  const pick = (f: string, c = '') => {
    const next = new URLSearchParams();
    if (f) next.set('framework', f);
    if (c) next.set('control', c);
    setParams(next);
  };
  return (
    <section>
      <p className="crumbs">
        <Link to="/posture">Posture</Link> / {kind === 'clusters' ? 'cluster' : 'account'}
      </p>
      <h1>
        {target.data ? `${target.data.name}` : 'Compliance'}
        {target.data?.latestScan?.risk !== undefined && target.data.latestScan.risk !== null && <span className="muted small">risk score {target.data.latestScan.risk}</span>}
      </h1>
      {target.data && target.data.trend.length > 1 && (
        <div className="card" data-testid="chart-trend">
          <h2>Risk score over the last scans</h2>
          <ResponsiveContainer width="100%" height={180}>
            <LineChart data={target.data.trend.map((t) => ({ when: fmtDate(t.createdAt), risk: t.risk, failed: t.failed }))} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} />
              <XAxis dataKey="when" />
              <YAxis />
              <Tooltip />
              <Line isAnimationActive={false} type="monotone" dataKey="risk" name="Risk score" stroke="#e0561b" />
              <Line isAnimationActive={false} type="monotone" dataKey="failed" name="Failed checks" stroke="#2f7dd1" />
            </LineChart>
          </ResponsiveContainer>
        </div>
      )}
      <QueryView q={comp} what="compliance">
        {(d) => {
          const fw = d.frameworks.find((f) => f.framework === framework) ?? d.frameworks[0];
          return (
            <>
              <p className="muted">Scan of {fmtDateTime(d.scannedAt)}</p>
              <div className="tabs" role="tablist" aria-label="Frameworks">
                {d.frameworks.map((f) => (
                  <button key={f.framework} type="button" role="tab" aria-selected={f === fw} onClick={() => pick(f.framework)}>
                    {f.name}: {fmtPct(f.compliance, 0)}
                  </button>
                ))}
              </div>
              {!fw ? (
                <Empty title="This scan maps to no framework." />
              ) : (
                <div className="two">
                  <div className="card">
                    <h2>
                      {fw.name} controls ({fw.controls.pass} pass, {fw.controls.fail} fail, {fw.controls.notAssessed} not assessed)
                    </h2>
                    <label className="check">
                      <input type="checkbox" checked={onlyFailing} onChange={(e) => setOnlyFailing(e.target.checked)} /> Only failing controls
                    </label>
                    <ul className="rows">
                      {[...fw.items]
                        .filter((c) => !onlyFailing || c.status === 'fail')
                        .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status])
                        .map((c) => (
                          <li key={c.control}>
                            <button type="button" className={`link status-${c.status}`} aria-pressed={c.control === control} onClick={() => pick(fw.framework, c.control)}>
                              {c.control}
                            </button>{' '}
                            <span className={`status status-${c.status}`}>{c.status}</span> <span className="muted small">{c.rules.map((r) => r.ruleId).join(', ')}</span>
                          </li>
                        ))}
                    </ul>
                  </div>
                  {control ? <FailingResources target={id} framework={fw.framework} control={control} key={control} /> : <p className="muted">Pick a control to see its failing resources.</p>}
                </div>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function FailingResources({ target, framework, control }: { target: string; framework: string; control: string }) {
  const [open, setOpen] = useState<string>('');
  const q = useQuery({
    queryKey: ['posture-findings', target, framework, control],
    queryFn: () => unwrap(api.GET('/api/v1/posture/findings', { params: { query: { target, framework, control, status: 'fail', limit: 100 } } })),
  });
  return (
    <div className="card">
      <h2>
        Failing resources for {framework} {control}
      </h2>
      <QueryView q={q} what="failing resources">
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted">No failing resource for this control.</p>
          ) : (
            <ul className="rows">
              {d.items.map((f) => (
                <li key={f.id}>
                  <SeverityBadge severity={f.severity} /> <strong>{f.resource.kind}</strong> {f.resource.name ?? f.resource.id} — {f.title}{' '}
                  <span className="muted small">({f.ruleId})</span>
                  <div className="muted small">{f.message}</div>
                  <div>{f.remediation}</div>
                  {f.fix && (
                    <>
                      <button type="button" className="link" aria-expanded={open === f.id} onClick={() => setOpen(open === f.id ? '' : f.id)}>
                        {open === f.id ? 'Hide fix' : 'Show fix'}
                      </button>
                      {open === f.id && (
                        <div className="snippet">
                          <pre>{f.fix}</pre>
                          <CopyButton text={f.fix} label="Copy fix" />
                        </div>
                      )}
                    </>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </div>
  );
}
