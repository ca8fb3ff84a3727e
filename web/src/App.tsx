import { createBrowserRouter, NavLink, Outlet, RouterProvider } from 'react-router';
import { LoginPage, useMe } from './auth';
import { Header } from './components/Header';
import { ErrorBox, Loading } from './components/ui';
import { prefetchOverview, prefetchProject } from './queries';
import { queryClient } from './queryClient';
// Route-level code splitting: each page is its own chunk (React Router's route `lazy`), so the
// initial JS is the shell (React, the router, TanStack Query, sign-in, layout); Recharts sits in
// the chunks of the pages that draw charts (Overview, Posture). The router starts fetching the
// page's chunk as the navigation starts (on first load, in parallel with the session check)
// and renders the route once it is there: no Suspense fallback, whose reveal React 19 holds
// back by up to 300 ms (measured: ~300 ms on every page with React.lazy + Suspense).
// The pages that draw charts also have a `loader` that starts their queries at once, so their
// data loads while their (larger) chunk is fetched and run (queries.ts).

function Layout() {
  const me = useMe();
  if (me.isPending) return <Loading what="your session" />;
  if (me.error) return <ErrorBox error={me.error} />;
  if (!me.data) return <LoginPage />;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header me={me.data} />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        <NavLink to="/">Back to the overview</NavLink>
      </p>
    </section>
  );
}

const router = createBrowserRouter([
  {
    path: '/',
    element: <Layout />,
    HydrateFallback: () => <Loading what="the page" />,
    children: [
      { index: true, loader: () => prefetchOverview(queryClient), lazy: async () => ({ Component: (await import('./pages/Overview')).OverviewPage }) },
      { path: 'findings', lazy: async () => ({ Component: (await import('./pages/Findings')).FindingsPage }) },
      { path: 'findings/:id', lazy: async () => ({ Component: (await import('./pages/Finding')).FindingPage }) },
      { path: 'advisories', lazy: async () => ({ Component: (await import('./pages/Advisories')).AdvisoriesPage }) },
      { path: 'advisories/:id', lazy: async () => ({ Component: (await import('./pages/Advisory')).AdvisoryPage }) },
      { path: 'projects', lazy: async () => ({ Component: (await import('./pages/Projects')).ProjectsPage }) },
      { path: 'projects/:id', loader: ({ params }) => prefetchProject(queryClient, params['id'] ?? ''), lazy: async () => ({ Component: (await import('./pages/Project')).ProjectPage }) },
      { path: 'posture', lazy: async () => ({ Component: (await import('./pages/Posture')).PosturePage }) },
      { path: 'posture/:kind/:id', lazy: async () => ({ Component: (await import('./pages/Posture')).PostureTargetPage }) },
      { path: 'jobs', lazy: async () => ({ Component: (await import('./pages/Jobs')).JobsPage }) },
      { path: 'settings', lazy: async () => ({ Component: (await import('./pages/Settings')).SettingsPage }) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
