import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth';
import { AuditLog } from '../components/AuditLog';
import { Members } from '../components/Members';
import { CopyButton, Empty, ErrorBox, fmtDate, fmtDateTime, QueryView, TableHead } from '../components/ui';

const ROLES = ['viewer', 'analyst', 'ingest', 'admin'] as const;
type Role = (typeof ROLES)[number];

function ApiKeys() {
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [days, setDays] = useState('90');
  const keys = useQuery({ queryKey: ['api-keys'], queryFn: () => unwrap(api.GET('/api/v1/api-keys', { params: { query: { limit: 100 } } })) });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/api-keys', { body: { name: name.trim(), role, ...(days ? { expiresInDays: Number(days) } : {}) } })),
    onSuccess: async () => {
      setName('');
      await qc.invalidateQueries({ queryKey: ['api-keys'] });
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <form className="filters" onSubmit={submit} aria-label="Create an API key">
        <label>
          Key name
          <input name="keyName" required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Key role
          <select name="keyRole" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <label>
          Expires in (days)
          <input name="keyDays" type="number" min="1" max="3650" value={days} onChange={(e) => setDays(e.target.value)} />
        </label>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create key
        </button>
      </form>
      {create.error && <ErrorBox error={create.error} />}
      {create.data && (
        <div className="card created" role="status">
          <p>
            <strong>Key “{create.data.name}” created.</strong> Copy it now: it is shown only once.
          </p>
          <code data-testid="new-key">{create.data.key}</code> <CopyButton text={create.data.key} />
          <p className="muted">
            Use it as <code>Authorization: Bearer {create.data.prefix}…</code>, e.g. <code>curl -H "Authorization: Bearer $VIGIL_KEY" {location.origin}/api/v1/auth/me</code>
          </p>
        </div>
      )}
      <QueryView q={keys} what="API keys">
        {(d) =>
          d.items.length === 0 ? (
            <Empty title="No API keys yet." command="npm run vigil -- apikey create --name ci --role ingest" />
          ) : (
            <table className="compact">
              <TableHead columns={['Name', 'Prefix', 'Role', 'Created', 'Expires', 'Last used']} actions />
              <tbody>
                {d.items.map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td>
                      <code>{k.prefix}</code>
                    </td>
                    <td>{k.role}</td>
                    <td>{fmtDate(k.createdAt)}</td>
                    <td>{fmtDate(k.expiresAt)}</td>
                    <td>{k.revokedAt ? `revoked ${fmtDate(k.revokedAt)}` : fmtDateTime(k.lastUsedAt)}</td>
                    <td>
                      {!k.revokedAt && (
                        <button type="button" onClick={() => revoke.mutate(k.id)} aria-label={`Revoke ${k.name}`}>
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </QueryView>
    </section>
  );
}

function Users() {
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const users = useQuery({ queryKey: ['users'], queryFn: () => unwrap(api.GET('/api/v1/users', { params: { query: { limit: 100 } } })) });
  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/users', { body: { email: email.trim(), name: name.trim(), password, role } })),
    onSuccess: async () => {
      setEmail('');
      setName('');
      setPassword('');
      await qc.invalidateQueries({ queryKey: ['users'] });
    },
  });
  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: { role?: Role; disabled?: boolean } }) => unwrap(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['users'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <section className="card" aria-labelledby="users-title">
      <h2 id="users-title">Users and roles</h2>
      <form className="filters" onSubmit={submit} aria-label="Add a user">
        <label>
          Email
          <input name="userEmail" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Full name
          <input name="userName" required value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Initial password
          <input name="userPassword" type="password" required minLength={12} autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        <label>
          User role
          <select name="userRole" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={create.isPending}>
          Add user
        </button>
      </form>
      {create.error && <ErrorBox error={create.error} />}
      {update.error && <ErrorBox error={update.error} />}
      <QueryView q={users} what="users">
        {(d) => (
          <table className="compact">
            <TableHead columns={['Email', 'Name', 'Role', 'Last sign-in', 'Status']} />
            <tbody>
              {d.items.map((u) => (
                <tr key={u.id}>
                  <td>{u.email}</td>
                  <td>{u.name}</td>
                  <td>
                    <select aria-label={`Role of ${u.email}`} value={u.role} onChange={(e) => update.mutate({ id: u.id, body: { role: e.target.value as Role } })}>
                      {ROLES.map((r) => (
                        <option key={r}>{r}</option>
                      ))}
                    </select>
                  </td>
                  <td>{fmtDateTime(u.lastLoginAt)}</td>
                  <td>
                    <label className="check">
                      <input type="checkbox" checked={!u.disabled} onChange={(e) => update.mutate({ id: u.id, body: { disabled: !e.target.checked } })} /> active
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </QueryView>
    </section>
  );
}

function Sla() {
  const q = useQuery({ queryKey: ['sla-policy'], queryFn: () => unwrap(api.GET('/api/v1/sla/policy')) });
  return (
    <section className="card" aria-labelledby="slap-title">
      <h2 id="slap-title">SLA policy</h2>
      <QueryView q={q} what="the SLA policy">
        {(p) => (
          <p>
            Days to fix: critical {p.criticalDays}, high {p.highDays}, medium {p.mediumDays}, low {p.lowDays}
            {p.kevDays !== null && `, in KEV ${p.kevDays}`}; counted from the {p.start === 'published' ? 'advisory publication' : 'first sighting'}; “due soon” is the last {p.dueSoonDays} days.{' '}
            {!p.custom && <span className="muted">(defaults; change with PUT /api/v1/sla/policy)</span>}
          </p>
        )}
      </QueryView>
    </section>
  );
}

export function SettingsPage() {
  const me = useMe();
  const admin = me.data?.role === 'admin';
  return (
    <section>
      <h1>Settings</h1>
      <Sla />
      {admin ? (
        <>
          <ApiKeys />
          <Users />
          <Members />
          <AuditLog />
        </>
      ) : (
        <p className="muted">Users, API keys and the audit log are for admins; ask an admin of {me.data?.tenant.name ?? 'your tenant'}.</p>
      )}
    </section>
  );
}
