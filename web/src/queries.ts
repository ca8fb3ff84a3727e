import { queryOptions, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from './api/client';
import { meQuery } from './auth';

/**
 * The queries of the pages whose chunk is heavy (the Overview and the project page draw charts
 * with Recharts), defined once: used by the pages, and started by their route's `loader`
 * (App.tsx) as the navigation starts. The data then loads while the browser fetches and runs
 * the page's chunk instead of after it: on a 2-core machine running the chart library's code
 * took ~250 ms, during which no request had been sent.
 */
export const overviewQueries = {
  summary: queryOptions({ queryKey: ['findings-summary'], queryFn: () => unwrap(api.GET('/api/v1/findings/summary')) }),
  hotKev: queryOptions({ queryKey: ['hot', 'kev'], queryFn: () => unwrap(api.GET('/api/v1/findings', { params: { query: { kev: 'true', sort: '-risk', limit: 8 } } })) }),
  hotEpss: queryOptions({ queryKey: ['hot', 'epss'], queryFn: () => unwrap(api.GET('/api/v1/findings', { params: { query: { epssMin: 0.1, sort: '-epss', limit: 8 } } })) }),
  slaBreaches: queryOptions({ queryKey: ['sla', 'breaches'], queryFn: () => unwrap(api.GET('/api/v1/sla/breaches', { params: { query: { limit: 5 } } })) }),
  slaSoon: queryOptions({ queryKey: ['sla', 'soon'], queryFn: () => unwrap(api.GET('/api/v1/sla/due-soon', { params: { query: { limit: 5 } } })) }),
  clusters: queryOptions({ queryKey: ['clusters', 'all'], queryFn: () => unwrap(api.GET('/api/v1/clusters', { params: { query: { limit: 50 } } })) }),
  accounts: queryOptions({ queryKey: ['accounts', 'all'], queryFn: () => unwrap(api.GET('/api/v1/accounts', { params: { query: { limit: 50 } } })) }),
  // Ranked on the server: a project's risk is the sum of its open findings' risk scores.
  riskiestProjects: queryOptions({ queryKey: ['projects', 'riskiest'], queryFn: () => unwrap(api.GET('/api/v1/projects', { params: { query: { sort: '-risk', limit: 10 } } })) }),
};

/** The trend windows offered, and the one shown first. */
export const TREND_WINDOWS = [30, 90, 180] as const;
export const DEFAULT_TREND_DAYS = 90;

export const findingsTrendQuery = (days: number, project?: string) =>
  queryOptions({
    queryKey: ['findings-trend', days, project ?? ''],
    queryFn: () => unwrap(api.GET('/api/v1/findings/trend', { params: { query: { days, ...(project ? { project } : {}) } } })),
  });

export const postureTrendQuery = (days: number) =>
  queryOptions({ queryKey: ['posture-trend', days], queryFn: () => unwrap(api.GET('/api/v1/posture/trend', { params: { query: { days, limit: 10 } } })) });

export const projectQueries = (id: string) => ({
  project: queryOptions({ queryKey: ['project', id], queryFn: () => unwrap(api.GET('/api/v1/projects/{id}', { params: { path: { id } } })) }),
  versions: queryOptions({ queryKey: ['project', id, 'versions'], queryFn: () => unwrap(api.GET('/api/v1/projects/{id}/versions', { params: { path: { id }, query: { limit: 100 } } })) }),
  summary: queryOptions({ queryKey: ['project', id, 'summary'], queryFn: () => unwrap(api.GET('/api/v1/projects/{id}/findings/summary', { params: { path: { id } } })) }),
});

/*
 * Route loaders (App.tsx): start a page's queries without waiting for them (a loader must not
 * hold the page back) and return null. What is fresh in the cache is not fetched again; a
 * failure (e.g. 401 before sign-in) is left to the page, which shows it or the sign-in form.
 * The session check goes first: the browser sends six requests at a time to one server, and
 * the page is drawn only once it is known who is signed in.
 */

export function prefetchOverview(qc: QueryClient): null {
  const o = overviewQueries;
  void qc.prefetchQuery(meQuery);
  void qc.prefetchQuery(o.summary);
  void qc.prefetchQuery(findingsTrendQuery(DEFAULT_TREND_DAYS));
  void qc.prefetchQuery(o.riskiestProjects);
  void qc.prefetchQuery(o.hotKev);
  void qc.prefetchQuery(o.hotEpss);
  void qc.prefetchQuery(o.slaBreaches);
  void qc.prefetchQuery(o.slaSoon);
  void qc.prefetchQuery(o.clusters);
  void qc.prefetchQuery(o.accounts);
  void qc.prefetchQuery(postureTrendQuery(DEFAULT_TREND_DAYS));
  return null;
}

export function prefetchProject(qc: QueryClient, id: string): null {
  const p = projectQueries(id);
  void qc.prefetchQuery(meQuery);
  void qc.prefetchQuery(p.project);
  void qc.prefetchQuery(p.versions);
  void qc.prefetchQuery(p.summary);
  void qc.prefetchQuery(findingsTrendQuery(DEFAULT_TREND_DAYS, id));
  return null;
}
