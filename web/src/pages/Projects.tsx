import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, formText, fmtDate, Pager, QueryView, useCursorPages } from '../components/ui';

const KINDS = ['application', 'service', 'image'] as const;
type Kind = (typeof KINDS)[number];

export function ProjectsPage() {
  const [params, setParams] = useSearchParams();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const k of ['q', 'kind']) {
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
        <button type="submit">Filter</button>
      </form>
      <List key={params.toString()} q={params.get('q') ?? ''} kind={params.get('kind') ?? ''} />
    </section>
  );
}

function List({ q: text, kind }: { q: string; kind: string }) {
  const pages = useCursorPages();
  const query = { limit: 50, ...(text ? { q: text } : {}), ...(KINDS.includes(kind as Kind) ? { kind: kind as Kind } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) };
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
