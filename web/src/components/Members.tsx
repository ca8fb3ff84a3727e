import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, unwrap } from '../api/client';
import { useMe } from '../auth';
import { Empty, ErrorBox, fmtDate, fmtDateTime, QueryView, TableHead } from './ui';

const ROLES = ['viewer', 'analyst', 'ingest', 'admin'] as const;
type Role = (typeof ROLES)[number];
const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/**
 * Settings → Members (admins only): users of other tenants given a role in this one, added by
 * email. The server answers alike whether or not the email has an account (no probing), so
 * "never switched in" is all this list can say about a new member.
 */
export function Members() {
  const me = useMe();
  const qc = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const members = useQuery({
    queryKey: ['tenant-members'],
    queryFn: () => unwrap(api.GET('/api/v1/tenant/members', { params: { query: { limit: 200, sort: 'email' } } })),
    enabled: me.data?.role === 'admin',
  });
  const refresh = () => qc.invalidateQueries({ queryKey: ['tenant-members'] });
  const add = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/tenant/members', { body: { email: email.trim(), role } })),
    onSuccess: async () => {
      setEmail('');
      await refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ id, role: r }: { id: string; role: Role }) => unwrap(api.PATCH('/api/v1/tenant/members/{id}', { params: { path: { id } }, body: { role: r } })),
    onSuccess: refresh,
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE('/api/v1/tenant/members/{id}', { params: { path: { id } } })),
    onSuccess: refresh,
  });
  if (me.data?.role !== 'admin') return null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    add.mutate();
  };
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title">Members from other tenants</h2>
      <p className="muted">
        A member signs in with the account and password of its own tenant and switches to {me.data.tenant.name} in the header. Its password stays with its home tenant.
      </p>
      <form className="filters" onSubmit={submit} aria-label="Add a member">
        <label>
          Member email
          <input name="memberEmail" type="email" required maxLength={320} value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          Member role
          <select name="memberRole" value={role} onChange={(e) => isRole(e.target.value) && setRole(e.target.value)}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={add.isPending}>
          Add member
        </button>
      </form>
      {add.error && <ErrorBox error={add.error} />}
      {add.data && (
        <p role="status">
          Added {add.data.email} as {add.data.role}. If this email has an account in another tenant, it can now switch here; otherwise create the account first and add it again.
        </p>
      )}
      {(change.error ?? remove.error) && <ErrorBox error={change.error ?? remove.error} />}
      <QueryView q={members} what="members">
        {(d) =>
          d.items.length === 0 ? (
            <Empty title="No members from other tenants.">
              <p>Add someone above with the email of their account in their own tenant.</p>
            </Empty>
          ) : (
            <table className="compact">
              <TableHead columns={['Email', 'Role', 'Added', 'Added by', 'Last switched in']} actions />
              <tbody>
                {d.items.map((m) => (
                  <tr key={m.id}>
                    <td>{m.email}</td>
                    <td>
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        disabled={change.isPending}
                        onChange={(e) => isRole(e.target.value) && change.mutate({ id: m.id, role: e.target.value })}
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    </td>
                    <td>{fmtDate(m.createdAt)}</td>
                    <td>{m.createdBy}</td>
                    <td>{m.lastSwitchedAt ? fmtDateTime(m.lastSwitchedAt) : 'never'}</td>
                    <td>
                      <button type="button" onClick={() => remove.mutate(m.id)} aria-label={`Remove ${m.email}`} disabled={remove.isPending}>
                        Remove
                      </button>
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
