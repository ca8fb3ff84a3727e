import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, unwrap } from '../api/client';
import { formText, fmtDateTime, Pager, QueryView, useCursorPages, TableHead } from './ui';

/** The audit filters, kept in the URL (`/settings?targetType=findings&targetId=…#audit`). */
const FILTERS = ['action', 'actorId', 'actorType', 'targetType', 'targetId', 'outcome'] as const;
type Filter = (typeof FILTERS)[number];
const ACTOR_TYPES = ['user', 'apikey', 'system', 'anonymous'] as const;
const OUTCOMES = ['success', 'failure'] as const;

/** Where a target of an audit record lives in the dashboard, when it has a page. */
function targetLink(type: string | null, id: string | null): string | undefined {
  if (!id) return undefined;
  if (type === 'findings') return `/findings/${id}`;
  if (type === 'projects') return `/projects/${id}`;
  return undefined;
}

/** Audit link of one target: the Settings audit viewer filtered to it. */
export const auditHref = (targetType: string, targetId: string): string => `/settings?${new URLSearchParams({ targetType, targetId }).toString()}#audit`;

export function AuditLog() {
  const [params, setParams] = useSearchParams();
  const pages = useCursorPages();
  const value = (k: Filter) => params.get(k) ?? '';
  const actorType = value('actorType');
  const outcome = value('outcome');
  const query = {
    limit: 50,
    ...(value('action') ? { action: value('action') } : {}),
    ...(value('actorId') ? { actorId: value('actorId') } : {}),
    ...((ACTOR_TYPES as readonly string[]).includes(actorType) ? { actorType: actorType as (typeof ACTOR_TYPES)[number] } : {}),
    ...(value('targetType') ? { targetType: value('targetType') } : {}),
    ...(value('targetId') ? { targetId: value('targetId') } : {}),
    ...((OUTCOMES as readonly string[]).includes(outcome) ? { outcome: outcome as (typeof OUTCOMES)[number] } : {}),
    ...(pages.cursor ? { cursor: pages.cursor } : {}),
  };
  const q = useQuery({ queryKey: ['audit', query], queryFn: () => unwrap(api.GET('/api/v1/audit', { params: { query } })) });
  const section = useRef<HTMLElement>(null);
  // Arriving from a finding's "audit entries" link: bring the viewer into view.
  useEffect(() => {
    if (location.hash === '#audit') section.current?.scrollIntoView();
  }, []);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const next = new URLSearchParams(params);
    for (const k of FILTERS) {
      const v = formText(data, k);
      if (v) next.set(k, v);
      else next.delete(k);
    }
    pages.reset();
    setParams(next);
  };
  return (
    <section className="card" aria-labelledby="audit-title" id="audit" ref={section}>
      <h2 id="audit-title">Audit log</h2>
      <form className="filters" role="search" aria-label="Audit log filters" onSubmit={submit} key={params.toString()}>
        <label>
          Action
          <input name="action" defaultValue={value('action')} placeholder="e.g. findings.update" />
        </label>
        <label>
          Actor id
          <input name="actorId" defaultValue={value('actorId')} placeholder="user or API key id" />
        </label>
        <label>
          Actor type
          <select name="actorType" defaultValue={actorType}>
            <option value="">any</option>
            {ACTOR_TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <label>
          Target type
          <input name="targetType" defaultValue={value('targetType')} placeholder="e.g. findings, projects, users" />
        </label>
        <label>
          Target id
          <input name="targetId" defaultValue={value('targetId')} />
        </label>
        <label>
          Outcome
          <select name="outcome" defaultValue={outcome}>
            <option value="">any</option>
            {OUTCOMES.map((o) => (
              <option key={o}>{o}</option>
            ))}
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <QueryView q={q} what="the audit log">
        {(d) =>
          d.items.length === 0 ? (
            <p className="muted">No audit records match these filters.</p>
          ) : (
            <>
              <table className="compact" data-testid="audit-table">
                <TableHead columns={['When', 'Who', 'Action', 'Target', 'Outcome']} />
                <tbody>
                  {d.items.map((a) => {
                    const to = targetLink(a.targetType, a.targetId);
                    return (
                      <tr key={a.seq}>
                        <td>{fmtDateTime(a.occurredAt)}</td>
                        <td>{a.actorLabel}</td>
                        <td>
                          <code>{a.action}</code>
                        </td>
                        <td className="small">
                          {a.targetType ?? '—'} {to ? <Link to={to}>{a.targetId}</Link> : a.targetId}
                        </td>
                        <td>{a.outcome}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <Pager pages={pages} nextCursor={d.nextCursor} label="Audit log" />
            </>
          )
        }
      </QueryView>
    </section>
  );
}
