import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { Empty, formText, fmtDate, fmtEpss, Pager, QueryView, SEVERITIES, SeverityBadge, useCursorPages, TableHead } from '../components/ui';

const FIELDS = ['q', 'id', 'ecosystem', 'package', 'severity', 'kev', 'epssMin', 'cvssMin', 'sort'] as const;

export function AdvisoriesPage() {
  const [params, setParams] = useSearchParams();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams();
    for (const f of FIELDS) {
      const v = formText(data, f);
      if (v) next.set(f, v);
    }
    setParams(next);
  };
  return (
    <section>
      <h1>Advisories</h1>
      <form className="filters" role="search" onSubmit={submit} key={params.toString()}>
        <label className="wide">
          Search text
          <input name="q" type="search" defaultValue={params.get('q') ?? ''} placeholder="words in the title or description" />
        </label>
        <label>
          Id or alias
          <input name="id" defaultValue={params.get('id') ?? ''} placeholder="CVE-2024-…, GHSA-…" />
        </label>
        <label>
          Ecosystem
          <input name="ecosystem" defaultValue={params.get('ecosystem') ?? ''} placeholder="npm, PyPI, Maven…" />
        </label>
        <label>
          Package
          <input name="package" defaultValue={params.get('package') ?? ''} />
        </label>
        <label>
          Severity
          <select name="severity" defaultValue={params.get('severity') ?? ''}>
            <option value="">any</option>
            {SEVERITIES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          Min CVSS
          <input name="cvssMin" type="number" min="0" max="10" step="0.1" defaultValue={params.get('cvssMin') ?? ''} />
        </label>
        <label>
          Min EPSS (0–1)
          <input name="epssMin" type="number" min="0" max="1" step="0.01" defaultValue={params.get('epssMin') ?? ''} />
        </label>
        <label className="check">
          <input name="kev" type="checkbox" value="true" defaultChecked={params.get('kev') === 'true'} /> KEV only
        </label>
        <button type="submit" className="primary">
          Search
        </button>
      </form>
      <Results key={params.toString()} params={params} />
    </section>
  );
}

function Results({ params }: { params: URLSearchParams }) {
  const pages = useCursorPages();
  const query: Record<string, string | number> = { limit: 50 };
  for (const f of FIELDS) {
    const v = params.get(f);
    if (v) query[f] = f === 'epssMin' || f === 'cvssMin' ? Number(v) : v;
  }
  if (pages.cursor) query['cursor'] = pages.cursor;
  const q = useQuery({ queryKey: ['advisories', query], queryFn: () => unwrap(api.GET('/api/v1/advisories', { params: { query } })) });
  return (
    <QueryView q={q} what="advisories">
      {(d) =>
        d.items.length === 0 && pages.page === 1 ? (
          params.size > 0 ? (
            <Empty title="No advisory matches this search." />
          ) : (
            <Empty title="The vulnerability database is empty." command="npm run vigil -- db sync">
              <p>Or import files you already have: <code>npm run vigil -- db import PATH</code>.</p>
            </Empty>
          )
        ) : (
          <>
            <div className="table-wrap">
              <table>
                <TableHead columns={['Id', 'Severity', 'CVSS', 'EPSS', 'KEV', 'Title', 'Published']} />
                <tbody>
                  {d.items.map((a) => (
                    <tr key={`${a.source}:${a.id}`}>
                      <td>
                        <Link to={`/advisories/${encodeURIComponent(a.id)}`}>{a.id}</Link>
                        {a.aliases.length > 0 && <div className="muted small">{a.aliases.slice(0, 3).join(', ')}</div>}
                      </td>
                      <td>
                        <SeverityBadge severity={a.severity} />
                      </td>
                      <td>{a.cvssScore ?? '—'}</td>
                      <td>{fmtEpss(a.epss)}</td>
                      <td>{a.kev ? 'yes' : ''}</td>
                      <td>{a.title ?? <span className="muted">no title</span>}</td>
                      <td>{fmtDate(a.published)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pages={pages} nextCursor={d.nextCursor} label="Advisories" />
          </>
        )
      }
    </QueryView>
  );
}
