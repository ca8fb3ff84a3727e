import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, formText, fmtDate, fmtEpss, Pager, QueryView, useCursorPages } from '../components/ui';

const KINDS = ['application', 'service', 'image'] as const;
type Kind = (typeof KINDS)[number];
/** Server-side sorts offered here (GET /projects `sort`). */
const SORTS = [
  ['name', 'Name'],
  ['-risk', 'Risk (highest first)'],
  ['-open', 'Open findings'],
  ['-kev', 'In KEV'],
  ['-maxEpss', 'Highest EPSS'],
  ['-updatedAt', 'Recently updated'],
] as const;
type Sort = (typeof SORTS)[number][0];
const isSort = (s: string | null): s is Sort => SORTS.some(([v]) => v === s);
const SHOWN_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export function ProjectsPage() {
  const [params, setParams] = useSearchParams();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of ['q', 'kind', 'sort']) {
      const v = formText(data, k);
      if (v) next.set(k, v);
    }
    setParams(next);
  };
  return (
    <section>
      <h1>Projects and images</h1>
      <form className="filters" role="search" onSubmit={submit} key={params.toString()}>
        <label>
          Name
          <input name="q" type="search" defaultValue={params.get('q') ?? ''} />
        </label>
        <label>
          Kind
          <select name="kind" defaultValue={params.get('kind') ?? ''}>
            <option value="">any</option>
            {KINDS.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Sort by
          <select name="sort" defaultValue={params.get('sort') ?? 'name'}>
            {SORTS.map(([v, label]) => (
              <option key={v} value={v}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <List key={params.toString()} q={params.get('q') ?? ''} kind={params.get('kind') ?? ''} sort={isSort(params.get('sort')) ? (params.get('sort') as Sort) : 'name'} />
    </section>
  );
}

function List({ q: text, kind, sort }: { q: string; kind: string; sort: Sort }) {
  const pages = useCursorPages();
  const query = { limit: 50, sort, ...(text ? { q: text } : {}), ...(KINDS.includes(kind as Kind) ? { kind: kind as Kind } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) };
  const q = useQuery({ queryKey: ['projects', query], queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query } })) });
  return (
    <QueryView q={q} what="projects">
      {(d) =>
        d.items.length === 0 && pages.page === 1 ? (
          <Empty title={text || kind ? 'No project matches.' : 'No projects yet.'} command="npm run vigil -- sbom . --upload --project my-app --version 1.0.0" />
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Criticality</th>
                    <th scope="col" aria-sort={sort === '-risk' ? 'descending' : undefined}>
                      Risk
                    </th>
                    <th scope="col">Open (critical / high / medium / low)</th>
                    <th scope="col">KEV</th>
                    <th scope="col">Max EPSS</th>
                    <th scope="col">Latest version</th>
                    <th scope="col">Components</th>
                    <th scope="col">Updated</th>
                  </tr>
                </thead>
                <tbody>
                  {d.items.map((p) => (
                    <tr key={p.id}>
                      <td>
                        <Link to={`/projects/${p.id}`}>{p.name}</Link>
                      </td>
                      <td>{p.kind}</td>
                      <td>{p.criticality}</td>
                      <td data-testid="project-risk">{p.findings.risk}</td>
                      <td>
                        {p.findings.open > 0 ? (
                          <Link to={`/findings?project=${p.id}`}>
                            {p.findings.open}{' '}
                            <span className="muted small">({SHOWN_SEVERITIES.map((s) => p.findings.bySeverity[s]).join(' / ')})</span>
                          </Link>
                        ) : (
                          0
                        )}
                      </td>
                      <td>{p.findings.kev > 0 ? <Link to={`/findings?project=${p.id}&kev=true`}>{p.findings.kev}</Link> : 0}</td>
                      <td>{fmtEpss(p.findings.maxEpss)}</td>
                      <td>{p.latestVersion?.version ?? '—'}</td>
                      <td>{p.latestVersion?.components ?? 0}</td>
                      <td>{fmtDate(p.updatedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={d.nextCursor} label="Projects" />
          </>
        )
      }
    </QueryView>
  );
}
