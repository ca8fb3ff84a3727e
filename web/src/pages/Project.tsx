import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { FindingsTrend } from '../components/TrendCharts';
import { projectQueries } from '../queries';
import { Empty, fmtDate, Pager, QueryView, SEVERITIES, SeverityBadge, useCursorPages, TableHead } from '../components/ui';

export function ProjectPage() {
  const { id = '' } = useParams();
  const pq = projectQueries(id);
  const project = useQuery(pq.project);
  const versions = useQuery(pq.versions);
  const summary = useQuery(pq.summary);
  const [picked, setPicked] = useState('');
  const versionId = picked || project.data?.latestVersion?.id || '';
  return (
    <QueryView q={project} what="the project">
      {(p) => (
        <section>
          <p className="crumbs">
            <Link to="/projects">Projects</Link> / {p.name}
          </p>
          <h1>{p.name}</h1>
          <p className="muted">
            {p.kind} · criticality {p.criticality}
            {p.description ? ` · ${p.description}` : ''}
          </p>
          <div className="card">
            <h2>Open findings</h2>
            <QueryView q={summary} what="findings">
              {(s) => {
                const by = s.bySeverity as Record<string, number>;
                return (
                  <p className="legend">
                    <Link to={`/findings?project=${p.id}`}>{s.active} open</Link>
                    {SEVERITIES.filter((sev) => (by[sev] ?? 0) > 0).map((sev) => (
                      <Link key={sev} to={`/findings?project=${p.id}&severity=${sev}`}>
                        <SeverityBadge severity={sev} /> {by[sev]}
                      </Link>
                    ))}
                  </p>
                );
              }}
            </QueryView>
          </div>
          <FindingsTrend project={p.id} />
          <div className="card">
            <h2>Versions</h2>
            <QueryView q={versions} what="versions">
              {(d) =>
                d.items.length === 0 ? (
                  <Empty title="No version uploaded yet." command={`npm run vigil -- sbom . --upload --project ${/^[\w.@/-]+$/.test(p.name) ? p.name : `'${p.name.replace(/'/g, `'\\''`)}'`} --version 1.0.0`} />
                ) : (
                  <table className="compact">
                    <TableHead columns={['Version', 'Source', 'Components', 'Problems', 'Uploaded', 'Downloads']} />
                    <tbody>
                      {d.items.map((v) => {
                        const base = `/api/v1/projects/${p.id}/versions/${v.id}`;
                        return (
                          <tr key={v.id} className={v.id === versionId ? 'current' : ''}>
                            <td>
                              <button type="button" className="link" onClick={() => setPicked(v.id)} aria-pressed={v.id === versionId}>
                                {v.version}
                              </button>
                            </td>
                            <td>{v.source.kind}</td>
                            <td>{v.components}</td>
                            <td>{v.errors}</td>
                            <td>{fmtDate(v.createdAt)}</td>
                            <td className="links">
                              <a href={`${base}/sbom?format=cyclonedx`} download>
                                CycloneDX
                              </a>
                              <a href={`${base}/sbom?format=spdx`} download>
                                SPDX
                              </a>
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                )
              }
            </QueryView>
            <p>
              <a href={`/api/v1/projects/${p.id}/vex?format=openvex`} download>
                Export triage decisions as OpenVEX
              </a>
            </p>
          </div>
          {versions.data && versions.data.items.length > 1 && <Diff projectId={p.id} versions={versions.data.items} />}
          {versionId && <Components projectId={p.id} versionId={versionId} key={versionId} />}
        </section>
      )}
    </QueryView>
  );
}

function Diff({ projectId, versions }: { projectId: string; versions: { id: string; version: string }[] }) {
  const [from, setFrom] = useState(versions[1]?.id ?? '');
  const [to, setTo] = useState(versions[0]?.id ?? '');
  const q = useQuery({
    queryKey: ['diff', projectId, from, to],
    enabled: Boolean(from && to && from !== to),
    queryFn: () => unwrap(api.GET('/api/v1/projects/{id}/diff', { params: { path: { id: projectId }, query: { from, to } } })),
  });
  const options = versions.map((v) => (
    <option key={v.id} value={v.id}>
      {v.version}
    </option>
  ));
  return (
    <div className="card">
      <h2>Compare versions</h2>
      <div className="filters">
        <label>
          From version
          <select value={from} onChange={(e) => setFrom(e.target.value)}>
            {options}
          </select>
        </label>
        <label>
          To version
          <select value={to} onChange={(e) => setTo(e.target.value)}>
            {options}
          </select>
        </label>
      </div>
      {from === to ? (
        <p className="muted">Pick two different versions.</p>
      ) : (
        <QueryView q={q} what="the comparison">
          {(d) => (
            <ul className="rows">
              {d.added.map((c) => (
                <li key={`a:${c.ref}`}>
                  <span className="ok">added</span> {c.name}@{c.version}
                </li>
              ))}
              {d.removed.map((c) => (
                <li key={`r:${c.ref}`}>
                  <span className="bad">removed</span> {c.name}@{c.version}
                </li>
              ))}
              {d.changed.map((c) => (
                <li key={`c:${c.ecosystem}:${c.name}`}>
                  changed {c.name}: {c.from.join(', ')} → {c.to.join(', ')}
                </li>
              ))}
              {d.added.length + d.removed.length + d.changed.length === 0 && <li className="muted">No component changed.</li>}
            </ul>
          )}
        </QueryView>
      )}
    </div>
  );
}

function Components({ projectId, versionId }: { projectId: string; versionId: string }) {
  const [text, setText] = useState('');
  const pages = useCursorPages();
  const query = { limit: 50, ...(text ? { q: text } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) };
  const q = useQuery({
    queryKey: ['components', versionId, query],
    queryFn: () => unwrap(api.GET('/api/v1/projects/{id}/versions/{versionId}/components', { params: { path: { id: projectId, versionId }, query } })),
  });
  return (
    <div className="card">
      <h2>Components</h2>
      <label>
        Search components
        <input
          type="search"
          value={text}
          onChange={(e) => {
            pages.reset();
            setText(e.target.value);
          }}
        />
      </label>
      <QueryView q={q} what="components">
        {(d) => (
          <>
            <table className="compact">
              <TableHead columns={['Name', 'Version', 'Ecosystem', 'Dependency', 'Licences', 'Found in']} />
              <tbody>
                {d.items.map((c) => (
                  <tr key={c.ref}>
                    <td>{c.name}</td>
                    <td>{c.version}</td>
                    <td>{c.ecosystem}</td>
                    <td>{c.direct === null ? '—' : c.direct ? 'direct' : 'transitive'}</td>
                    <td>{c.licenses.join(', ') || '—'}</td>
                    <td className="small">{c.location.file ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <Pager pages={pages} nextCursor={d.nextCursor} label="Components" />
          </>
        )}
      </QueryView>
    </div>
  );
}
