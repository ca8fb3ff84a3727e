import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import type { components } from '../api/schema';
import { ErrorBox, formText, QueryView } from './ui';
import { applyJob } from './jobStream';

type Role = 'admin' | 'analyst' | 'viewer' | 'ingest';
type Upload = components['schemas']['UploadResult'];

/** What each feed of the registry is, for the sync form (ids come from GET /jobs/types). */
const FEED_LABELS: Record<string, string> = {
  cve5: 'CVE records (CVE JSON 5, cvelistV5)',
  osv: 'OSV advisories (per ecosystem)',
  nvd: 'NVD CVE API',
  kev: 'CISA Known Exploited Vulnerabilities',
  epss: 'FIRST EPSS scores',
};

/** The feed ids in the `feeds.sync` payload schema (an enum of `sources` items). */
function feedIds(payload: unknown): string[] {
  const items = (payload as { properties?: { sources?: { items?: { enum?: unknown } } } } | null)?.properties?.sources?.items?.enum;
  return Array.isArray(items) ? items.filter((x): x is string => typeof x === 'string') : [];
}

/** Why a role may not start this, or undefined when it may. */
function refusal(role: Role, need: 'admin' | 'ingest'): string | undefined {
  if (need === 'admin') return role === 'admin' ? undefined : `Only an admin can start this (you are ${role === 'analyst' ? 'an' : 'a'} ${role}).`;
  return role === 'admin' || role === 'analyst' ? undefined : `Only an admin or an analyst can import (you are ${role === 'ingest' ? 'an' : 'a'} ${role}).`;
}

function Refused({ why, id }: { why: string | undefined; id: string }) {
  return why ? (
    <p className="muted small" id={id}>
      {why}
    </p>
  ) : null;
}

/** A feed sync of the chosen sources (none chosen: every feed). One runs at a time for the whole server. */
function FeedSync({ role }: { role: Role }) {
  const qc = useQueryClient();
  const types = useQuery({ queryKey: ['job-types'], queryFn: () => unwrap(api.GET('/api/v1/jobs/types')), staleTime: 300_000 });
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const why = refusal(role, 'admin');
  const start = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/jobs', { body: { type: 'feeds.sync', payload: { sources: [...chosen] } } })),
    onSuccess: (job) => applyJob(qc, job),
  });
  return (
    <form
      aria-labelledby="sync-title"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        start.mutate();
      }}
    >
      <h3 id="sync-title">Feed sync</h3>
      <QueryView q={types} what="feed sources">
        {(d) => {
          const sync = d.items.find((t) => t.type === 'feeds.sync');
          if (!sync) return <p className="muted">This server does not let tenants start a feed sync.</p>;
          const ids = feedIds(sync.payload);
          return (
            <fieldset disabled={Boolean(why)} aria-describedby={why ? 'sync-why' : undefined}>
              <legend>Sources (none ticked: every feed)</legend>
              {ids.map((id) => (
                <label key={id} style={{ display: 'block' }}>
                  <input
                    type="checkbox"
                    name="source"
                    value={id}
                    checked={chosen.has(id)}
                    onChange={(e) => {
                      const next = new Set(chosen);
                      if (e.target.checked) next.add(id);
                      else next.delete(id);
                      setChosen(next);
                    }}
                  />{' '}
                  <code>{id}</code> {FEED_LABELS[id] ?? ''}
                </label>
              ))}
              <p className="muted small">The advisory database is shared by every tenant: one sync runs at a time on this server.</p>
              <button type="submit" className="primary" disabled={start.isPending}>
                Start feed sync
              </button>
            </fieldset>
          );
        }}
      </QueryView>
      <Refused why={why} id="sync-why" />
      {start.error && <ErrorBox error={start.error} />}
      {start.data && (
        <p role="status" className="ok">
          {start.data.status === 'queued' ? 'Feed sync queued' : `Your feed sync is ${start.data.status}`}: see it in the list below.
        </p>
      )}
    </form>
  );
}

/** A lockfile or SBOM uploaded as a project version (POST /uploads is synchronous: its result is shown here). */
function Import({ role }: { role: Role }) {
  const qc = useQueryClient();
  const projects = useQuery({ queryKey: ['projects', 'names'], queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 200, sort: 'name' } } })) });
  const why = refusal(role, 'ingest');
  const upload = useMutation({
    mutationFn: async (f: { project: string; version: string; file: File }) =>
      // The body is the file itself (raw), not JSON: the typed client has no body type for it.
      (await unwrap(
        api.POST('/api/v1/uploads', {
          params: { query: { project: f.project, version: f.version, filename: f.file.name } },
          body: f.file,
          bodySerializer: (b: unknown) => b,
          headers: { 'content-type': 'application/octet-stream' },
        } as never),
      )) as Upload,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['projects'] });
      void qc.invalidateQueries({ queryKey: ['findings'] });
    },
  });
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const file = data.get('file');
    const project = formText(data, 'project').trim();
    const version = formText(data, 'version').trim();
    if (!(file instanceof File) || file.size === 0 || !project || !version) return;
    upload.mutate({ project, version, file });
  };
  const r = upload.data;
  return (
    <form aria-labelledby="import-title" onSubmit={onSubmit}>
      <h3 id="import-title">Import an SBOM or lockfile</h3>
      <fieldset disabled={Boolean(why)} aria-describedby={why ? 'import-why' : undefined}>
        <label>
          Project <input name="project" list="import-projects" required maxLength={200} placeholder="my-app" />
        </label>{' '}
        <datalist id="import-projects">{projects.data?.items.map((p) => <option key={p.id} value={p.name} />)}</datalist>
        <label>
          Version <input name="version" required maxLength={200} placeholder="1.0.0" />
        </label>{' '}
        <label>
          File <input name="file" type="file" required />
        </label>{' '}
        <button type="submit" className="primary" disabled={upload.isPending}>
          {upload.isPending ? 'Importing…' : 'Import'}
        </button>
        <p className="muted small">CycloneDX or SPDX SBOMs, lockfiles (package-lock.json, poetry.lock, go.sum, …) or an image tar; a new project name creates the project.</p>
      </fieldset>
      <Refused why={why} id="import-why" />
      {upload.error && <ErrorBox error={upload.error} />}
      {r && (
        <p role="status" className="ok">
          Imported <strong>{r.project.name}</strong> {r.version.version}
          {r.projectCreated ? ' (new project)' : ''}: {r.version.components} components
          {r.version.errors > 0 ? `, ${r.version.errors} problem${r.version.errors === 1 ? '' : 's'} reading it` : ''},{' '}
          {r.findings ? `${r.findings.total} finding${r.findings.total === 1 ? '' : 's'} (${r.findings.created} new, ${r.findings.fixed} fixed)` : 'matching will follow the next feed import'}.{' '}
          <a href={`/projects/${r.project.id}`}>Open the project</a>
        </p>
      )}
    </form>
  );
}

/** A scan of a registered cluster or cloud account with its stored settings (202 + a posture.collect job). */
function Scan({ role }: { role: Role }) {
  const qc = useQueryClient();
  const targets = useQuery({
    queryKey: ['scan-targets'],
    queryFn: async () => {
      const [clusters, accounts] = await Promise.all([
        unwrap(api.GET('/api/v1/clusters', { params: { query: { limit: 200, sort: 'name' } } })),
        unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 200, sort: 'name' } } })),
      ]);
      return [...clusters.items.map((t) => ({ ...t, family: 'clusters' as const })), ...accounts.items.map((t) => ({ ...t, family: 'accounts' as const }))];
    },
  });
  const [picked, setPicked] = useState('');
  const why = refusal(role, 'admin');
  const scan = useMutation({
    mutationFn: (t: { id: string; family: 'clusters' | 'accounts' }) =>
      t.family === 'clusters'
        ? unwrap(api.POST('/api/v1/clusters/{id}/scan', { params: { path: { id: t.id } } }))
        : unwrap(api.POST('/api/v1/accounts/{id}/scan', { params: { path: { id: t.id } } })),
    onSuccess: (job) => applyJob(qc, job),
  });
  return (
    <form
      aria-labelledby="scan-title"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        const t = targets.data?.find((x) => x.id === picked);
        if (t) scan.mutate({ id: t.id, family: t.family });
      }}
    >
      <h3 id="scan-title">Scan a cluster or account</h3>
      <QueryView q={targets} what="clusters and accounts">
        {(list) =>
          list.length === 0 ? (
            <p className="muted">
              No cluster or account is registered yet. Register one with scan settings (<code>POST /api/v1/clusters</code>) or upload scans with{' '}
              <code className="cmd">npm run vigil -- posture scan --upload</code>.
            </p>
          ) : (
            <fieldset disabled={Boolean(why)} aria-describedby={why ? 'scan-why' : undefined}>
              <label>
                Target{' '}
                <select name="target" value={picked} onChange={(e) => setPicked(e.target.value)} required>
                  <option value="">Choose…</option>
                  {list.map((t) => (
                    <option key={t.id} value={t.id} disabled={!t.scan}>
                      {t.family === 'clusters' ? 'Cluster' : 'Account'} {t.name} ({t.provider}){t.scan ? '' : ' — no scan settings, uploads only'}
                    </option>
                  ))}
                </select>
              </label>{' '}
              <button type="submit" className="primary" disabled={scan.isPending || !picked}>
                Scan now
              </button>
            </fieldset>
          )
        }
      </QueryView>
      <Refused why={why} id="scan-why" />
      {scan.error && <ErrorBox error={scan.error} />}
      {scan.data && (
        <p role="status" className="ok">
          Scan started: follow it in the list below.
        </p>
      )}
    </form>
  );
}

/** The three ways to start work from the Jobs page. */
export function StartWork({ role }: { role: Role }) {
  return (
    <section className="card" aria-labelledby="start-title">
      <h2 id="start-title">Start work</h2>
      <div className="grid">
        <FeedSync role={role} />
        <Import role={role} />
        <Scan role={role} />
      </div>
    </section>
  );
}
