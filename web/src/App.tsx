import { createBrowserRouter, NavLink, Outlet, RouterProvider } from 'react-router';
import { LoginPage, useLogout, useMe } from './auth';
import { ErrorBox, Loading } from './components/ui';
import { AdvisoriesPage } from './pages/Advisories';
import { AdvisoryPage } from './pages/Advisory';
import { FindingPage } from './pages/Finding';
import { FindingsPage } from './pages/Findings';
import { JobsPage } from './pages/Jobs';
import { OverviewPage } from './pages/Overview';
import { PosturePage, PostureTargetPage } from './pages/Posture';
import { ProjectPage } from './pages/Project';
import { ProjectsPage } from './pages/Projects';
import { SettingsPage } from './pages/Settings';

const NAV = [
  ['/', 'Overview'],
  ['/findings', 'Findings'],
  ['/advisories', 'Advisories'],
  ['/projects', 'Projects'],
  ['/posture', 'Posture'],
  ['/jobs', 'Jobs'],
  ['/settings', 'Settings'],
] as const;

function Layout() {
  const me = useMe();
  const logout = useLogout();
  if (me.isPending) return <Loading what="your session" />;
  if (me.error) return <ErrorBox error={me.error} />;
  if (!me.data) return <LoginPage />;
  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Vigil</span>
        <nav aria-label="Main">
          {NAV.map(([to, label]) => (
            <NavLink key={to} to={to} end={to === '/'}>
              {label}
            </NavLink>
          ))}
        </nav>
        <div className="who">
          {/* One tenant per user today: the API has no list of a user's tenants to switch between. */}
          <span title="Tenant" className="tenant">
            {me.data.tenant.name}
          </span>
          <span className="muted">
            {me.data.label} · {me.data.role}
          </span>
          <button type="button" onClick={() => logout.mutate()}>
            Sign out
          </button>
        </div>
      </header>
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
    children: [
      { index: true, element: <OverviewPage /> },
      { path: 'findings', element: <FindingsPage /> },
      { path: 'findings/:id', element: <FindingPage /> },
      { path: 'advisories', element: <AdvisoriesPage /> },
      { path: 'advisories/:id', element: <AdvisoryPage /> },
      { path: 'projects', element: <ProjectsPage /> },
      { path: 'projects/:id', element: <ProjectPage /> },
      { path: 'posture', element: <PosturePage /> },
      { path: 'posture/:kind/:id', element: <PostureTargetPage /> },
      { path: 'jobs', element: <JobsPage /> },
      { path: 'settings', element: <SettingsPage /> },
      { path: '*', element: <NotFound /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
