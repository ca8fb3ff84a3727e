import { NavLink, useNavigate } from 'react-router';
import { useLogout, useMyTenants, useSwitchTenant, type Me } from '../auth';
import { ErrorBox } from './ui';

const NAV = [
  ['/', 'Overview'],
  ['/findings', 'Findings'],
  ['/advisories', 'Advisories'],
  ['/projects', 'Projects'],
  ['/posture', 'Posture'],
  ['/jobs', 'Jobs'],
  ['/settings', 'Settings'],
] as const;

/**
 * The tenant switcher: shown only to a user with more than one tenant (home and memberships).
 * Switching opens a session in the chosen tenant, clears every cached answer and goes to the
 * overview, since an id on the current page belongs to the tenant left behind.
 */
function TenantSwitcher({ me }: { me: Me }) {
  const tenants = useMyTenants(me);
  const switchTenant = useSwitchTenant();
  const navigate = useNavigate();
  const items = tenants.data?.items ?? [];
  if (items.length < 2) {
    return (
      <span title="Tenant" className="tenant" data-testid="tenant-name">
        {me.tenant.name}
      </span>
    );
  }
  return (
    <>
      <label className="tenant-switch">
        <span className="sr-only">Tenant</span>
        <select
          name="tenant"
          aria-label="Tenant"
          value={me.tenant.id}
          disabled={switchTenant.isPending}
          onChange={(e) => {
            switchTenant.mutate(e.target.value, { onSuccess: () => void navigate('/') });
          }}
        >
          {items.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
              {t.home ? '' : ` (${t.role})`}
            </option>
          ))}
        </select>
      </label>
      <span className="sr-only" role="status" data-testid="tenant-name">
        {me.tenant.name}
      </span>
      {switchTenant.error && <ErrorBox error={switchTenant.error} />}
    </>
  );
}

/** The top bar: main navigation, tenant (or tenant switcher), who is signed in, sign-out. */
export function Header({ me }: { me: Me }) {
  const logout = useLogout();
  return (
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
        <TenantSwitcher me={me} />
        <span className="muted">
          {me.label} · {me.role}
        </span>
        <button type="button" onClick={() => logout.mutate()}>
          Sign out
        </button>
      </div>
    </header>
  );
}
