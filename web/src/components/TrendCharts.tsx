import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Area, AreaChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { DEFAULT_TREND_DAYS, findingsTrendQuery, postureTrendQuery, TREND_WINDOWS } from '../queries';
import { Empty, QueryView, SEVERITIES, SEVERITY_COLOURS, SeverityBadge } from './ui';

function WindowPicker({ id, days, onChange }: { id: string; days: number; onChange: (d: number) => void }) {
  return (
    <label className="small" htmlFor={id}>
      Window{' '}
      <select id={id} value={days} onChange={(e) => onChange(Number(e.target.value))}>
        {TREND_WINDOWS.map((d) => (
          <option key={d} value={d}>
            {d} days
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * Open findings by severity per day (stacked); a severity's area or legend entry opens the
 * list. With `project`, that project's only (its page).
 */
export function FindingsTrend({ project }: { project?: string } = {}) {
  const navigate = useNavigate();
  const [days, setDays] = useState<number>(DEFAULT_TREND_DAYS);
  const q = useQuery(findingsTrendQuery(days, project));
  const list = (s: string) => `/findings?severity=${s}${project ? `&project=${project}` : ''}`;
  return (
    <section className="card" aria-labelledby="trend-title">
      <h2 id="trend-title">Open findings by severity over time</h2>
      <WindowPicker id="trend-days" days={days} onChange={setDays} />
      <QueryView q={q} what="the findings trend">
        {(d) => {
          // Severities with any open finding in the window, worst first (stacked bottom-up).
          const shown = SEVERITIES.filter((s) => d.points.some((p) => p.bySeverity[s] > 0));
          if (shown.length === 0) {
            return <Empty title="No open findings in this window." command="npm run vigil -- sbom . --upload --project my-app --version 1.0.0" />;
          }
          const rows = d.points.map((p) => ({ date: p.date, ...p.bySeverity }));
          const last = d.points[d.points.length - 1];
          return (
            <>
              <div className="chart" data-testid="chart-trend">
                <ResponsiveContainer width="100%" height={240}>
                  <AreaChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                    <CartesianGrid strokeDasharray="3 3" vertical={false} />
                    <XAxis dataKey="date" minTickGap={24} />
                    <YAxis allowDecimals={false} />
                    <Tooltip />
                    {shown.map((s) => (
                      <Area
                        key={s}
                        type="stepAfter"
                        dataKey={s}
                        name={s}
                        stackId="open"
                        stroke={SEVERITY_COLOURS[s]}
                        fill={SEVERITY_COLOURS[s]}
                        fillOpacity={0.55}
                        cursor="pointer"
                        isAnimationActive={false}
                        onClick={() => void navigate(list(s))}
                        activeDot={{ cursor: 'pointer', onClick: () => void navigate(list(s)) }}
                      />
                    ))}
                  </AreaChart>
                </ResponsiveContainer>
              </div>
              <ul className="legend" aria-label="Open findings today by severity">
                {shown.map((s) => (
                  <li key={s}>
                    <Link to={list(s)} data-testid={`trend-${s}`}>
                      <SeverityBadge severity={s} /> {last?.bySeverity[s] ?? 0} today
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

const LINE_COLOURS = ['#2f7dd1', '#e0561b', '#2a9d5b', '#8e44ad', '#c99100', '#b4162c', '#17a2b8', '#6b7a8c', '#d63384', '#5c6bc0'];

type TargetKind = 'cluster' | 'account' | 'upload';

/** The dashboard page of a posture target. */
export const postureHref = (kind: TargetKind, id: string): string => (kind === 'cluster' ? `/posture/clusters/${id}` : kind === 'account' ? `/posture/accounts/${id}` : `/projects/${id}`);

/** Posture risk (0-10, lower is better) per cluster and account per day; a line or legend entry opens its page. */
export function PostureTrend() {
  const navigate = useNavigate();
  const [days, setDays] = useState<number>(DEFAULT_TREND_DAYS);
  const q = useQuery(postureTrendQuery(days));
  return (
    <section className="card" aria-labelledby="ptrend-title">
      <h2 id="ptrend-title">Posture risk over time</h2>
      <WindowPicker id="ptrend-days" days={days} onChange={setDays} />
      <QueryView q={q} what="the posture trend">
        {(d) => {
          if (d.items.length === 0) {
            return <Empty title="No posture scans in this window." command="npm run vigil -- posture scan --kubeconfig ~/.kube/config --upload" />;
          }
          const scored = d.items.filter((t) => t.points.some((p) => p.risk !== null));
          const byDate = new Map<string, Record<string, number | string>>();
          for (const t of scored) {
            for (const p of t.points) {
              if (p.risk === null) continue;
              const row = byDate.get(p.date) ?? { date: p.date };
              row[t.id] = p.risk;
              byDate.set(p.date, row);
            }
          }
          const rows = [...byDate.values()].sort((a, b) => String(a['date']).localeCompare(String(b['date'])));
          return (
            <>
              {scored.length > 0 && (
                <div className="chart" data-testid="chart-posture-trend">
                  <ResponsiveContainer width="100%" height={240}>
                    <LineChart data={rows} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                      <CartesianGrid strokeDasharray="3 3" vertical={false} />
                      <XAxis dataKey="date" minTickGap={24} />
                      <YAxis domain={[0, 10]} />
                      <Tooltip />
                      {scored.map((t, i) => (
                        <Line
                          key={t.id}
                          dataKey={t.id}
                          name={t.name}
                          stroke={LINE_COLOURS[i % LINE_COLOURS.length]}
                          strokeWidth={2}
                          connectNulls
                          isAnimationActive={false}
                          cursor="pointer"
                          onClick={() => void navigate(postureHref(t.kind, t.id))}
                          activeDot={{ cursor: 'pointer', onClick: () => void navigate(postureHref(t.kind, t.id)) }}
                        />
                      ))}
                    </LineChart>
                  </ResponsiveContainer>
                </div>
              )}
              <ul className="legend" aria-label="Posture targets">
                {d.items.map((t) => {
                  const last = t.points[t.points.length - 1];
                  return (
                    <li key={t.id}>
                      <Link to={postureHref(t.kind, t.id)} data-testid="posture-trend-target">
                        {t.name} ({t.kind}): {last?.risk !== null && last?.risk !== undefined ? `risk ${last.risk}` : `${last?.failed ?? 0} failed`}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </>
          );
        }}
      </QueryView>
    </section>
  );
}
