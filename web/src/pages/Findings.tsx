import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import type { paths } from '../api/schema';
import { STATES, stateLabel, TriageForm, type TriageInput } from '../components/triage';
import { Empty, formText, fmtDate, fmtEpss, Pager, QueryView, SEVERITIES, SeverityBadge, useCursorPages } from '../components/ui';

/** Query parameters of GET /findings the page keeps in its URL. */
const FILTERS = ['severity', 'state', 'project', 'advisory', 'package', 'ecosystem', 'kev', 'fixAvailable', 'slaBreached', 'epssMin', 'includeClosed', 'sort'] as const;
type Filter = (typeof FILTERS)[number];
type FindingsQuery = NonNullable<paths['/api/v1/findings']['get']['parameters']['query']>;

const COLUMNS: { key: string; label: string; sort?: string }[] = [
  { key: 'sel', label: '' },
  { key: 'severity', label: 'Severity', sort: 'severity' },
  { key: 'advisory', label: 'Advisory', sort: 'advisory' },
  { key: 'package', label: 'Package', sort: 'package' },
  { key: 'project', label: 'Project', sort: 'project' },
  { key: 'risk', label: 'Risk', sort: 'risk' },
  { key: 'epss', label: 'EPSS', sort: 'epss' },
  { key: 'kev', label: 'KEV', sort: 'kev' },
  { key: 'state', label: 'State', sort: 'state' },
  { key: 'sla', label: 'SLA due', sort: 'slaDue' },
];

export function FindingsPage() {
  const [params, setParams] = useSearchParams();
  // A new filter starts from page 1.
  return <FindingsTable key={params.toString()} params={params} setParams={setParams} />;
}

function FindingsTable({ params, setParams }: { params: URLSearchParams; setParams: (p: URLSearchParams) => void }) {
  const qc = useQueryClient();
  const pages = useCursorPages();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const filters: Partial<Record<Filter, string>> = {};
  for (const f of FILTERS) {
    const v = params.get(f);
    if (v) filters[f] = v;
  }
  const query = { ...filters, ...(filters.epssMin ? { epssMin: Number(filters.epssMin) } : {}), limit: 50, ...(pages.cursor ? { cursor: pages.cursor } : {}) } as FindingsQuery;
  // The project filter offers the first 200 projects by name (others still work from the URL).
  const projects = useQuery({ queryKey: ['projects', 'names'], queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query: { limit: 200, sort: 'name' } } })) });
  const q = useQuery({ queryKey: ['findings', query], queryFn: () => unwrap(api.GET('/api/v1/findings', { params: { query } })) });
  const bulk = useMutation({
    mutationFn: (t: TriageInput) => unwrap(api.POST('/api/v1/findings/triage', { body: { ids: [...selected], ...t } })),
    onSuccess: async () => {
      setSelected(new Set());
      await qc.invalidateQueries({ queryKey: ['findings'] });
      await qc.invalidateQueries({ queryKey: ['findings-summary'] });
    },
  });
  const set = (key: Filter, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next);
  };
  const sort = filters.sort ?? '-risk';
  const toggleSort = (field: string) => set('sort', sort === `-${field}` ? field : `-${field}`);
  const applyText = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams(params);
    for (const k of ['advisory', 'package', 'ecosystem', 'epssMin'] as const) {
      const v = formText(data, k);
      if (v) next.set(k, v);
      else next.delete(k);
    }
    setParams(next);
  };
  return (
    <section>
      <h1>Findings</h1>
      <form className="filters" onSubmit={applyText} aria-label="Filter findings">
        <label>
          Severity
          <select value={filters.severity ?? ''} onChange={(e) => set('severity', e.target.value)}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          State
          <select value={filters.state ?? ''} onChange={(e) => set('state', e.target.value)}>
            <option value="">open or in triage</option>
            {STATES.map((s) => (
              <option key={s} value={s}>
                {stateLabel(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Advisory
          <input name="advisory" defaultValue={filters.advisory ?? ''} placeholder="CVE-…, GHSA-…" />
        </label>
        <label>
          Package
          <input name="package" defaultValue={filters.package ?? ''} />
        </label>
        <label>
          Project
          <select value={filters.project ?? ''} onChange={(e) => set('project', e.target.value)}>
            <option value="">any</option>
            {filters.project && !projects.data?.items.some((p) => p.id === filters.project) && <option value={filters.project}>{filters.project}</option>}
            {projects.data?.items.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Ecosystem
          <input name="ecosystem" defaultValue={filters.ecosystem ?? ''} placeholder="npm, PyPI…" />
        </label>
        <label>
          Min EPSS (0–1)
          <input name="epssMin" type="number" min="0" max="1" step="0.01" defaultValue={filters.epssMin ?? ''} />
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.kev === 'true'} onChange={(e) => set('kev', e.target.checked ? 'true' : '')} /> KEV only
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.fixAvailable === 'true'} onChange={(e) => set('fixAvailable', e.target.checked ? 'true' : '')} /> Fix available
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.slaBreached === 'true'} onChange={(e) => set('slaBreached', e.target.checked ? 'true' : '')} /> Past SLA
        </label>
        <label className="check">
          <input type="checkbox" checked={filters.includeClosed === 'true'} onChange={(e) => set('includeClosed', e.target.checked ? 'true' : '')} /> Include closed
        </label>
        <button type="submit">Apply</button>
        {params.size > 0 && (
          <button type="button" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </button>
        )}
      </form>
      {selected.size > 0 && (
        <div className="card bulk">
          <h2>Triage {selected.size} selected</h2>
          <TriageForm onSubmit={(t) => bulk.mutate(t)} pending={bulk.isPending} error={bulk.error} submitLabel={`Triage ${selected.size}`} />
        </div>
      )}
      {bulk.data && (
        <p role="status" className="ok">
          {bulk.data.updated} findings triaged.
        </p>
      )}
      <QueryView q={q} what="findings">
        {(d) =>
          d.items.length === 0 && pages.page === 1 ? (
            params.size > 0 ? (
              <Empty title="No findings match these filters." />
            ) : (
              <Empty title="No open findings." command="npm run vigil -- sbom . --upload --project my-app --version 1.0.0">
                <p>Findings appear when a project's components match imported advisories.</p>
              </Empty>
            )
          ) : (
            <>
              <div className="table-wrap">
                <table>
                  <thead>
                    <tr>
                      {COLUMNS.map((c) =>
                        c.key === 'sel' ? (
                          <th key={c.key} scope="col">
                            <input
                              type="checkbox"
                              aria-label="Select all on this page"
                              checked={d.items.length > 0 && d.items.every((f) => selected.has(f.id))}
                              onChange={(e) => setSelected(e.target.checked ? new Set(d.items.map((f) => f.id)) : new Set())}
                            />
                          </th>
                        ) : (
                          <th key={c.key} scope="col" aria-sort={sort === c.sort ? 'ascending' : sort === `-${c.sort}` ? 'descending' : 'none'}>
                            <button type="button" className="link" onClick={() => c.sort && toggleSort(c.sort)}>
                              {c.label}
                              {sort === c.sort ? ' ▲' : sort === `-${c.sort}` ? ' ▼' : ''}
                            </button>
                          </th>
                        ),
                      )}
                    </tr>
                  </thead>
                  <tbody>
                    {d.items.map((f) => (
                      <tr key={f.id}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${f.vulnId} in ${f.package.name}`}
                            checked={selected.has(f.id)}
                            onChange={(e) => {
                              const s = new Set(selected);
                              if (e.target.checked) s.add(f.id);
                              else s.delete(f.id);
                              setSelected(s);
                            }}
                          />
                        </td>
                        <td>
                          <SeverityBadge severity={f.severity} />
                        </td>
                        <td>
                          <Link to={`/findings/${f.id}`}>{f.vulnId}</Link>
                        </td>
                        <td>
                          {f.package.name}@{f.package.version}
                          {f.fixedVersion && <span className="muted"> → {f.fixedVersion}</span>}
                        </td>
                        <td>
                          <Link to={`/projects/${f.projectId}`}>{f.projectName}</Link>
                        </td>
                        <td>{f.risk.toFixed(1)}</td>
                        <td>{fmtEpss(f.epss)}</td>
                        <td>{f.kev ? 'yes' : ''}</td>
                        <td>{stateLabel(f.state)}</td>
                        <td className={f.slaBreachedAt ? 'bad' : ''}>{fmtDate(f.slaDueAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pager pages={pages} nextCursor={d.nextCursor} label="Findings" />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
