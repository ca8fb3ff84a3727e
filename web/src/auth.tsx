import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from './api/client';
import { ApiError } from './api/problem';
import { ErrorBox } from './components/ui';

/**
 * Who is signed in (null: nobody). One query options object, so main.tsx can start it before
 * the first route's chunk has loaded (in parallel, not after it) and the Layout reads the same
 * cache entry.
 */
export const meQuery = {
  queryKey: ['me'],
  queryFn: async () => {
    try {
      return await unwrap(api.GET('/api/v1/auth/me'));
    } catch (err) {
      // Not signed in is a state, not an error.
      if (err instanceof ApiError && err.status === 401) return null;
      // GET /auth/me requires the `ingest` permission, which only the viewer role lacks:
      // a signed-in viewer gets 403 there. Fall back to the tenant, which viewers may read.
      if (err instanceof ApiError && err.status === 403) {
        const tenant = await unwrap(api.GET('/api/v1/tenant'));
        return { kind: 'user' as const, id: '', role: 'viewer' as const, label: 'viewer', tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, user: null };
      }
      throw err;
    }
  },
  staleTime: 60_000,
};

export function useMe() {
  return useQuery(meQuery);
}

export type Me = NonNullable<ReturnType<typeof useMe>['data']>;

export function LoginPage() {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const login = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/auth/login', { body: { email, password } })),
    onSuccess: async () => {
      // Drop what another session may have cached, then ask who is signed in now.
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      await qc.refetchQueries({ queryKey: ['me'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate();
  };
  return (
    <main className="login">
      <form onSubmit={submit} className="card login-card" aria-labelledby="login-title">
        <h1 id="login-title">Sign in to Vigil</h1>
        <label>
          Email
          <input type="email" name="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} autoFocus />
        </label>
        <label>
          Password
          <input type="password" name="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {login.error && <ErrorBox error={login.error} />}
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="hint">
          No account yet? The first admin comes from <code>VIGIL_ADMIN_EMAIL</code> / <code>VIGIL_ADMIN_PASSWORD</code> at start-up; an admin adds others with{' '}
          <code>npm run vigil -- user create --email you@example.com --role analyst</code>.
        </p>
      </form>
    </main>
  );
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await api.POST('/api/v1/auth/logout');
    },
    onSettled: () => {
      qc.setQueryData(['me'], null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
    },
  });
}

/** The tenants the signed-in user may work in (home first); one entry for most users. */
export function useMyTenants(me: Me) {
  return useQuery({
    // Keyed by user and tenant: another sign-in or a switch never reads a stale list.
    queryKey: ['me', 'tenants', me.id, me.tenant.id],
    queryFn: () => unwrap(api.GET('/api/v1/auth/tenants')),
    enabled: me.kind === 'user',
    staleTime: 60_000,
  });
}

/**
 * Opens a session in another tenant (the server sets the new cookies). Every cached answer
 * belongs to the old tenant: the whole TanStack Query cache is cleared, then who-am-I refetched.
 */
export function useSwitchTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (tenantId: string) => unwrap(api.POST('/api/v1/auth/switch', { body: { tenantId } })),
    onSuccess: async () => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      await qc.resetQueries({ queryKey: ['me'] });
    },
  });
}
