import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth';
import { StartWork } from '../components/jobStart';
import { fmtDuration, fmtRate, useJobStream, type Job, type Rate, type StreamMode } from '../components/jobStream';
import { Empty, ErrorBox, fmtDateTime, Pager, QueryView, useCursorPages, TableHead } from '../components/ui';

const UNFINISHED = new Set(['queued', 'running']);

function Progress({ job, rate }: { job: Job; rate: Rate | undefined }) {
  const p = job.progress;
  if (!p) return <>—</>;
  const pct = p.total ? Math.min(100, Math.round((p.done / p.total) * 100)) : null;
  return (
    <div className="small">
      {p.total ? <progress max={p.total} value={Math.min(p.done, p.total)} aria-label={`${job.type} progress`} /> : null}{' '}
      <span>
        {p.done.toLocaleString()}
        {p.total !== null ? ` / ${p.total.toLocaleString()}` : ''}
        {pct !== null ? ` (${pct}%)` : ''}
      </span>
      {rate && UNFINISHED.has(job.status) && (
        <span className="muted">
          {' '}
          · {fmtRate(rate.perSecond)}/s{rate.etaSeconds !== null ? ` · about ${fmtDuration(rate.etaSeconds)} left` : ''}
        </span>
      )}
      {p.message && <div className="muted">{p.message}</div>}
    </div>
  );
}

const MODE_TEXT: Record<StreamMode, string> = {
  connecting: 'Connecting to live updates…',
  live: 'Live: changes appear as they happen.',
  polling: 'Live updates unavailable: refreshing every 2 s.',
};

function JobsList() {
  const qc = useQueryClient();
  const pages = useCursorPages();
  const stream = useJobStream(true);
  const query = { limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) };
  const q = useQuery({
    queryKey: ['jobs', query],
    queryFn: () => unwrap(api.GET('/api/v1/jobs', { params: { query } })),
    // The event stream keeps the list current; poll only while it is down and something is unfinished.
    refetchInterval: (query) => (stream.mode === 'polling' && query.state.data?.items.some((j) => UNFINISHED.has(j.status)) ? 2000 : false),
  });
  const cancel = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <section className="card" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      <p className="muted small" role="status" data-stream={stream.mode}>
        {MODE_TEXT[stream.mode]}
      </p>
      {cancel.error && <ErrorBox error={cancel.error} />}
      <QueryView q={q} what="jobs">
        {(d) =>
          d.items.length === 0 && pages.page === 1 ? (
            <Empty title="No jobs for this tenant yet." command="npm run vigil -- db sync">
              <p>Start a feed sync, an import or a scan above; jobs appear here with live progress.</p>
            </Empty>
          ) : (
            <>
              <div className="table-wrap">
                <table className="compact">
                  <TableHead columns={['Type', 'Status', 'Progress', 'Created', 'Finished', 'Error']} actions />
                  <tbody>
                    {d.items.map((j) => (
                      <tr key={j.id} data-job={j.id} data-status={j.status}>
                        <td>
                          <code>{j.type}</code>
                        </td>
                        <td>{j.cancelRequested && j.status === 'running' ? 'cancelling' : j.status}</td>
                        <td>
                          <Progress job={j} rate={stream.rates.get(j.id)} />
                        </td>
                        <td>{fmtDateTime(j.createdAt)}</td>
                        <td>{fmtDateTime(j.finishedAt)}</td>
                        <td className="small">{j.lastError ?? ''}</td>
                        <td>
                          {UNFINISHED.has(j.status) && !j.cancelRequested && (
                            <button type="button" onClick={() => cancel.mutate(j.id)} aria-label={`Cancel ${j.type}`}>
                              Cancel
                            </button>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} nextCursor={d.nextCursor} label="Jobs" />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

function FeedRuns() {
  const q = useQuery({ queryKey: ['feed-runs'], queryFn: () => unwrap(api.GET('/api/v1/feeds/runs', { params: { query: { limit: 20 } } })) });
  return (
    <section className="card" aria-labelledby="runs-title">
      <h2 id="runs-title">Feed imports and syncs</h2>
      <QueryView q={q} what="feed runs">
        {(d) =>
          d.items.length === 0 ? (
            <Empty title="No advisory feed has been imported yet." command="npm run vigil -- db sync" />
          ) : (
            <table className="compact">
              <TableHead columns={['Source', 'Mode', 'Status', 'Started', 'New', 'Updated', 'Invalid']} />
              <tbody>
                {d.items.map((r) => (
                  <tr key={r.id}>
                    <td>{r.source}</td>
                    <td>{r.mode}</td>
                    <td>{r.error ? `${r.status}: ${r.error}` : r.status}</td>
                    <td>{fmtDateTime(r.startedAt)}</td>
                    <td>{r.new}</td>
                    <td>{r.updated}</td>
                    <td>{r.invalid}</td>
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

export function JobsPage() {
  const role = useMe().data?.role ?? 'viewer';
  return (
    <section>
      <h1>Jobs</h1>
      <StartWork role={role} />
      <JobsList />
      <FeedRuns />
    </section>
  );
}
