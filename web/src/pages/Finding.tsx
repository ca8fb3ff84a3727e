import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth';
import { auditHref } from '../components/AuditLog';
import { stateLabel, TriageForm, type TriageInput } from '../components/triage';
import { fmtDate, fmtDateTime, fmtEpss, QueryView, SeverityBadge } from '../components/ui';

export function FindingPage() {
  const { id = '' } = useParams();
  const qc = useQueryClient();
  const q = useQuery({ queryKey: ['finding', id], queryFn: () => unwrap(api.GET('/api/v1/findings/{id}', { params: { path: { id } } })) });
  const admin = useMe().data?.role === 'admin';
  const audit = useQuery({
    queryKey: ['audit', 'finding', id],
    // The audit log is for admins.
    enabled: admin,
    queryFn: async () => (await unwrap(api.GET('/api/v1/audit', { params: { query: { targetType: 'findings', targetId: id, limit: 20 } } }))).items,
  });
  const triage = useMutation({
    mutationFn: (t: TriageInput) => unwrap(api.PATCH('/api/v1/findings/{id}', { params: { path: { id } }, body: t })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['finding', id] });
      await qc.invalidateQueries({ queryKey: ['audit'] });
      await qc.invalidateQueries({ queryKey: ['findings'] });
      await qc.invalidateQueries({ queryKey: ['findings-summary'] });
    },
  });
  return (
    <QueryView q={q} what="the finding">
      {(f) => (
        <section>
          <p className="crumbs">
            <Link to="/findings">Findings</Link> / {f.vulnId}
          </p>
          <h1>
            <SeverityBadge severity={f.severity} /> {f.vulnId} in {f.package.name}@{f.package.version}
          </h1>
          {f.title && <p>{f.title}</p>}
          <dl className="facts">
            <dt>Project</dt>
            <dd>
              <Link to={`/projects/${f.projectId}`}>{f.projectName}</Link>
            </dd>
            <dt>State</dt>
            <dd data-testid="finding-state">{stateLabel(f.state)}</dd>
            <dt>Advisory</dt>
            <dd>
              <Link to={`/advisories/${encodeURIComponent(f.vulnId)}`}>{f.vulnId}</Link> {f.aliases.length > 0 && <span className="muted">({f.aliases.join(', ')})</span>}
            </dd>
            <dt>Risk</dt>
            <dd>{f.risk.toFixed(1)}</dd>
            <dt>CVSS</dt>
            <dd>{f.cvssScore ?? '—'}</dd>
            <dt>EPSS</dt>
            <dd>{fmtEpss(f.epss)}</dd>
            <dt>KEV</dt>
            <dd>{f.kev ? `yes (added ${fmtDate(f.finding.kev?.dateAdded)})` : 'no'}</dd>
            <dt>Fixed in</dt>
            <dd>{f.finding.fixedVersions.join(', ') || 'no fix known'}</dd>
            <dt>Dependency</dt>
            <dd>{f.direct === null ? 'unknown' : f.direct ? 'direct' : `transitive: ${f.finding.path.join(' → ')}`}</dd>
            <dt>Purl</dt>
            <dd>
              <code>{f.package.purl}</code>
            </dd>
            <dt>First seen</dt>
            <dd>{fmtDate(f.firstSeenAt)}</dd>
            <dt>SLA due</dt>
            <dd className={f.slaBreachedAt ? 'bad' : ''}>{fmtDate(f.slaDueAt)}</dd>
          </dl>
          <div className="card">
            <h2>Triage</h2>
            <TriageForm onSubmit={(t) => triage.mutate(t)} pending={triage.isPending} error={triage.error} submitLabel="Save triage" />
            {triage.isSuccess && (
              <p role="status" className="ok">
                Saved: now {stateLabel(triage.data.state)}.
              </p>
            )}
          </div>
          <div className="card">
            <h2>History</h2>
            {f.history.length === 0 ? (
              <p className="muted">No triage yet.</p>
            ) : (
              <ol className="rows" data-testid="history">
                {f.history.map((h, i) => (
                  <li key={i}>
                    {fmtDateTime(h.at)} · <span title={h.actor}>{h.actorName}</span>: {h.from ? stateLabel(h.from) : 'new'} → {stateLabel(h.to)}
                    {h.justification && ` (${stateLabel(h.justification)})`}
                    {h.reason && ` — “${h.reason}”`}
                    {h.expiresAt && `, expires ${fmtDate(h.expiresAt)}`}
                  </li>
                ))}
              </ol>
            )}
          </div>
          {admin && (
            <div className="card">
              <h2>Audit log</h2>
              <QueryView q={audit} what="audit records">
                {(items) =>
                  items.length === 0 ? (
                    <p className="muted">No audit records for this finding yet.</p>
                  ) : (
                    <>
                      <ul className="rows" data-testid="audit">
                        {items.map((a) => (
                          <li key={a.seq}>
                            {fmtDateTime(a.occurredAt)} · <code>{a.action}</code> by {a.actorLabel} · {a.outcome}
                          </li>
                        ))}
                      </ul>
                      <p className="small">
                        <Link to={auditHref('findings', f.id)} data-testid="audit-link">
                          All audit entries of this finding
                        </Link>
                      </p>
                    </>
                  )
                }
              </QueryView>
            </div>
          )}
        </section>
      )}
    </QueryView>
  );
}
