import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { stateLabel } from '../components/triage';
import { fmtDate, fmtEpss, QueryView, SeverityBadge, TableHead } from '../components/ui';
import { explainVector } from '../cvss';

type Advisory = paths['/api/v1/advisories/{id}']['get']['responses'][200]['content']['application/json'];
type Affected = Advisory['affected'][number];

function rangeText(a: Affected): string {
  switch (a.kind) {
    case 'package': {
      const ranges = a.ranges.map((r) =>
        r.events
          .map((e) => (e.introduced !== undefined ? `from ${e.introduced}` : e.fixed !== undefined ? `fixed in ${e.fixed}` : e.last_affected !== undefined ? `up to ${e.last_affected}` : `limit ${e.limit ?? ''}`))
          .join(', '),
      );
      const versions = a.versions.length > 0 ? `versions ${a.versions.slice(0, 10).join(', ')}${a.versions.length > 10 ? ` (+${a.versions.length - 10})` : ''}` : '';
      return [...ranges, versions].filter(Boolean).join('; ') || 'all versions';
    }
    case 'product':
      return a.versions
        .map((v) => `${v.status}: ${v.version}${v.lessThan ? ` < ${v.lessThan}` : ''}${v.lessThanOrEqual ? ` ≤ ${v.lessThanOrEqual}` : ''}`)
        .join('; ');
    case 'cpe':
      return a.nodes
        .flatMap((n) => n.cpeMatch.filter((m) => m.vulnerable).map((m) => `${m.criteria}${m.versionStartIncluding ? ` ≥ ${m.versionStartIncluding}` : ''}${m.versionEndExcluding ? ` < ${m.versionEndExcluding}` : ''}${m.versionEndIncluding ? ` ≤ ${m.versionEndIncluding}` : ''}`))
        .slice(0, 20)
        .join('; ');
  }
}

function affectedName(a: Affected): string {
  switch (a.kind) {
    case 'package':
      return `${a.ecosystem} ${a.name}`;
    case 'product':
      return [a.vendor, a.product ?? a.packageName].filter(Boolean).join(' ');
    case 'cpe':
      return `CPE configuration (${a.operator})`;
  }
}

export function AdvisoryPage() {
  const { id = '' } = useParams();
  const q = useQuery({ queryKey: ['advisory', id], queryFn: () => unwrap(api.GET('/api/v1/advisories/{id}', { params: { path: { id } } })) });
  const mine = useQuery({ queryKey: ['findings', 'advisory', id], queryFn: () => unwrap(api.GET('/api/v1/findings', { params: { query: { advisory: id, includeClosed: 'true', limit: 100 } } })) });
  return (
    <QueryView q={q} what="the advisory">
      {(a) => (
        <section>
          <p className="crumbs">
            <Link to="/advisories">Advisories</Link> / {a.id}
          </p>
          <h1>
            <SeverityBadge severity={a.severity} /> {a.id}
          </h1>
          {a.summary && <p className="lead">{a.summary}</p>}
          {(a.rejected || a.withdrawn) && <p className="error">{a.rejected ? 'Rejected by its CNA.' : `Withdrawn on ${fmtDate(a.withdrawn)}.`}</p>}
          <dl className="facts">
            <dt>Aliases</dt>
            <dd>{a.aliases.join(', ') || '—'}</dd>
            <dt>Published</dt>
            <dd>{fmtDate(a.published)}</dd>
            <dt>Modified</dt>
            <dd>{fmtDate(a.modified)}</dd>
            <dt>Weaknesses</dt>
            <dd>{a.cwes.join(', ') || '—'}</dd>
            <dt>KEV</dt>
            <dd>{a.kev ? `Known exploited since ${fmtDate(a.kev.dateAdded)}; federal due date ${fmtDate(a.kev.dueDate)}; ransomware use: ${a.kev.knownRansomwareCampaignUse}. ${a.kev.requiredAction}` : 'Not in CISA KEV'}</dd>
            <dt>EPSS</dt>
            <dd>{a.epss ? `${fmtEpss(a.epss.score)} probability of exploitation in 30 days (percentile ${(a.epss.percentile * 100).toFixed(0)}, ${a.epss.date})` : '—'}</dd>
          </dl>
          {a.description && (
            <div className="card">
              <h2>Description</h2>
              <p className="pre">{a.description}</p>
            </div>
          )}
          <div className="card">
            <h2>CVSS</h2>
            {a.cvss.length === 0 && <p className="muted">No CVSS vector published.</p>}
            {a.cvss.map((c) => (
              <div key={`${c.source}:${c.vector}`} className="cvss">
                <h3>
                  CVSS {c.version} · {c.score ?? '—'} <SeverityBadge severity={c.severity} /> <span className="muted small">from {c.source}</span>
                </h3>
                <code>{c.vector}</code>
                <table className="compact">
                  <TableHead columns={['Metric', 'Value', 'What it measures']} />
                  <tbody>
                    {explainVector(c.vector, c.version).map((m) => (
                      <tr key={m.key}>
                        <td>
                          {m.name} <span className="muted">({m.key})</span>
                        </td>
                        <td>
                          {m.meaning} <span className="muted">({m.value})</span>
                        </td>
                        <td className="muted small">{m.about}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </div>
          {a.ssvc.length > 0 && (
            <div className="card">
              <h2>SSVC</h2>
              <ul className="rows">
                {a.ssvc.map((s, i) => (
                  <li key={i}>
                    Exploitation: <strong>{s.exploitation}</strong> · Automatable: <strong>{s.automatable}</strong> · Technical impact: <strong>{s.technicalImpact}</strong>{' '}
                    <span className="muted">
                      ({s.source}, {fmtDate(s.timestamp)})
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          )}
          <div className="card">
            <h2>Affected</h2>
            {a.affected.length === 0 ? (
              <p className="muted">No affected packages or products listed.</p>
            ) : (
              <table className="compact">
                <TableHead columns={['Package or product', 'Ranges', 'From']} />
                <tbody>
                  {a.affected.slice(0, 200).map((x, i) => (
                    <tr key={i}>
                      <td>{affectedName(x)}</td>
                      <td>{rangeText(x)}</td>
                      <td className="muted">{x.recordSource}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
          <div className="card">
            <h2>My affected projects</h2>
            <QueryView q={mine} what="findings of this advisory">
              {(d) =>
                d.items.length === 0 ? (
                  <p className="muted">None of your projects has this vulnerability.</p>
                ) : (
                  <ul className="rows">
                    {d.items.map((f) => (
                      <li key={f.id}>
                        <Link to={`/projects/${f.projectId}`}>{f.projectName}</Link>: <Link to={`/findings/${f.id}`}>{f.package.name}@{f.package.version}</Link> ({stateLabel(f.state)})
                      </li>
                    ))}
                  </ul>
                )
              }
            </QueryView>
          </div>
          <div className="card">
            <h2>References</h2>
            <ul className="rows">
              {a.references.slice(0, 100).map((r) => (
                <li key={r.url}>
                  {/^https?:\/\//i.test(r.url) ? (
                    <a href={r.url} rel="noreferrer noopener" target="_blank">
                      {r.url}
                    </a>
                  ) : (
                    <span>{r.url}</span>
                  )}{' '}
                  {r.tags.length > 0 && <span className="muted small">{r.tags.join(', ')}</span>}
                </li>
              ))}
            </ul>
          </div>
        </section>
      )}
    </QueryView>
  );
}
