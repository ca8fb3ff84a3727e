/**
 * Display names of the actors recorded in finding history (`finding_events.actor`,
 * `findings.triage_by`): `user:<uuid>` is a user of the tenant (its name and email),
 * `api-key:<uuid>` an API key (its name), `system:<what>` the server itself. A user whose home
 * is another tenant shows the email of their membership here (tenant_memberships, when present). An actor that is
 * not (or no longer) found shows as recorded. Tenant transactions only: RLS keeps other
 * tenants' users and keys out.
 */
import type { Queryable } from '../db.js';

export type ActorKind = 'user' | 'apikey' | 'system' | 'unknown';

export interface ParsedActor {
  readonly kind: ActorKind;
  /** The user's or key's id, or the system part (`match`, `sla`). */
  readonly id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits a recorded actor. Pure; anything unexpected is `unknown` with the whole string. */
export function parseActor(actor: string): ParsedActor {
  const i = actor.indexOf(':');
  const prefix = i < 0 ? '' : actor.slice(0, i);
  const rest = i < 0 ? actor : actor.slice(i + 1);
  if (prefix === 'user' && UUID.test(rest)) return { kind: 'user', id: rest.toLowerCase() };
  if (prefix === 'api-key' && UUID.test(rest)) return { kind: 'apikey', id: rest.toLowerCase() };
  if (prefix === 'system' && rest.length > 0) return { kind: 'system', id: rest };
  return { kind: 'unknown', id: actor };
}

export interface ActorName {
  readonly kind: ActorKind;
  /** `Ada Lovelace <ada@example.com>`, `API key "ci"`, `Vigil (match)`, or the id as recorded. */
  readonly name: string;
}

/** A user's label: name and email, or the email alone. Pure. */
export const userLabel = (name: string, email: string): string => (name.trim() ? `${name.trim()} <${email}>` : email);

/** Names of the given recorded actors (each distinct actor looked up once). */
export async function actorNames(q: Queryable, actors: readonly string[]): Promise<Map<string, ActorName>> {
  const parsed = new Map([...new Set(actors)].map((a) => [a, parseActor(a)]));
  const userIds = [...new Set([...parsed.values()].filter((p) => p.kind === 'user').map((p) => p.id))];
  const keyIds = [...new Set([...parsed.values()].filter((p) => p.kind === 'apikey').map((p) => p.id))];
  const users = new Map<string, string>();
  const keys = new Map<string, string>();
  if (userIds.length > 0) {
    const { rows } = await q.query<{ id: string; name: string; email: string }>('SELECT id, name, email FROM users WHERE id = ANY($1::uuid[])', [userIds]);
    for (const r of rows) users.set(r.id, userLabel(r.name, r.email));
    // Members whose home is another tenant (migration 015): the email they were granted by.
    const missing = userIds.filter((id) => !users.has(id));
    if (missing.length > 0) {
      const { rows: t } = await q.query<{ ok: boolean }>(`SELECT to_regclass('tenant_memberships') IS NOT NULL AS ok`);
      if (t[0]?.ok) {
        const { rows: members } = await q.query<{ user_id: string; email: string }>('SELECT user_id, email FROM tenant_memberships WHERE user_id = ANY($1::uuid[])', [missing]);
        for (const m of members) users.set(m.user_id, m.email);
      }
    }
  }
  if (keyIds.length > 0) {
    const { rows } = await q.query<{ id: string; name: string }>('SELECT id, name FROM api_keys WHERE id = ANY($1::uuid[])', [keyIds]);
    for (const r of rows) keys.set(r.id, `API key "${r.name}"`);
  }
  const out = new Map<string, ActorName>();
  for (const [actor, p] of parsed) {
    const name = p.kind === 'user' ? users.get(p.id) : p.kind === 'apikey' ? keys.get(p.id) : p.kind === 'system' ? `Vigil (${p.id})` : undefined;
    out.set(actor, { kind: p.kind, name: name ?? actor });
  }
  return out;
}
