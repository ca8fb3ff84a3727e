import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../api/client';
import { Empty, ErrorBox, fmtDateTime, Pager, QueryView, useCursorPages } from '../components/ui';

const UNFINISHED = new Set(['queued', 'running']);

function progressText(p: { done: number; total: number | null; message: string | null } | null): string {
  if (!p) return '—';
  const pct = p.total ? ` (${Math.round((p.done / p.total) * 100)}%)` : '';
  return `${p.done}${p.total !== null ? ` / ${p.total}` : ''}${pct}${p.message ? ` · ${p.message}` : ''}`;
}

function JobsList() {
  const qc = useQueryClient();
  const pages = useCursorPages();
  const query = { limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) };
  const q = useQuery({
    queryKey: ['jobs', query],
    queryFn: () => unwrap(api.GET('/api/v1/jobs', { params: { query } })),
    // No event stream in the API yet: poll while something is queued or running.
    refetchInterval: (query) => (query.state.data?.items.some((j) => UNFINISHED.has(j.status)) ? 2000 : false),
  });
  const cancel = useMutation({
    mutationFn: (id: string) => unwrap(api.POST('/api/v1/jobs/{id}/cancel', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['jobs'] }),
  });
  return (
    <section className="card" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      {cancel.error && <ErrorBox error={cancel.error} />}
      <QueryView q={q} what="jobs">
        {(d) =>
          d.items.length === 0 && pages.page === 1 ? (
            <Empty title="No jobs for this tenant yet." command="npm run vigil -- db sync">
              <p>Feed syncs and imports run as server jobs; their runs are listed below.</p>
            </Empty>
          ) : (
            <>
              <table className="compact">
                <thead>
                  <tr>
                    <th scope="col">Type</th>
                    <th scope="col">Status</th>
                    <th scope="col">Progress</th>
                    <th scope="col">Created</th>
                    <th scope="col">Finished</th>
                    <th scope="col">Error</th>
                    <th scope="col">
                      <span className="sr-only">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((j) => (
                    <tr key={j.id}>
                      <td>
                        <code>{j.type}</code>
                      </td>
                      <td>{j.cancelRequested && j.status === 'running' ? 'cancelling' : j.status}</td>
                      <td>
                        {j.progress?.total ? <progress max={j.progress.total} value={j.progress.done} aria-label={`${j.type} progress`} /> : null} {progressText(j.progress)}
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
              <thead>
                <tr>
                  <th scope="col">Source</th>
                  <th scope="col">Mode</th>
                  <th scope="col">Status</th>
                  <th scope="col">Started</th>
                  <th scope="col">New</th>
                  <th scope="col">Updated</th>
                  <th scope="col">Invalid</th>
                </tr>
              </thead>
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
  return (
    <section>
      <h1>Jobs</h1>
      <p className="muted">
        Starting a feed sync, an import or a scan from here needs job types the API does not offer tenants yet; from a shell: <code className="cmd">npm run vigil -- db sync</code>
      </p>
      <JobsList />
      <FeedRuns />
    </section>
  );
}
