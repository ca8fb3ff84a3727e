/**
 * The grants an IAM resource makes, whatever its shape: `*_iam_member` (role + member),
 * `*_iam_binding` (role + members), `*_iam_policy` (policy_data: JSON text in a plan, or a
 * reference to a `data "google_iam_policy"` whose binding blocks hold the grants). Each grant
 * carries the attribute path a finding should point at. Unresolved members are skipped.
 */
import { blocks, isObject, isUnresolved } from '../../../attrs.js';
import type { AttrPath, Resource } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';

export interface Grant {
  readonly role: unknown;
  readonly member: string;
  /** Where to report a finding about this grant. */
  readonly path: AttrPath;
  /** Where to report a finding about the role of this grant. */
  readonly rolePath: AttrPath;
}

/** Principals meaning "anyone" (anonymous) and "anyone with a Google account". */
export const PUBLIC_MEMBERS = new Set(['allusers', 'allauthenticatedusers']);

export const isPublicMember = (m: string): boolean => PUBLIC_MEMBERS.has(m.trim().toLowerCase());

function membersOf(v: unknown, path: AttrPath): { member: string; path: AttrPath }[] {
  if (typeof v === 'string') return isUnresolved(v) ? [] : [{ member: v, path }];
  if (!Array.isArray(v)) return [];
  return v.flatMap((m, i) => (typeof m === 'string' && !isUnresolved(m) ? [{ member: m, path: [...path, i] }] : []));
}

/** Grants in a policy document's bindings (`[{role, members}]`), all reported at `at`. */
function bindingGrants(bindings: unknown, at: AttrPath): Grant[] {
  return blocks(bindings).flatMap((b) =>
    [...membersOf(b['members'], at), ...membersOf(b['member'], at)].map(({ member }) => ({ role: b['role'], member, path: at, rolePath: at })),
  );
}

function parsePolicy(text: string): unknown {
  try {
    const doc: unknown = JSON.parse(text);
    return isObject(doc) ? doc['bindings'] : undefined;
  } catch {
    return undefined;
  }
}

/** Every grant `r` makes; `ctx` resolves policy_data references to `data.google_iam_policy`. */
export function grantsOf(r: Resource, ctx: RuleContext): Grant[] {
  const a = r.attrs;
  const direct = [...membersOf(a['member'], ['member']), ...membersOf(a['members'], ['members'])].map(({ member, path }) => ({
    role: a['role'],
    member,
    path,
    rolePath: ['role'] as AttrPath,
  }));
  const policy = a['policy_data'];
  if (policy === undefined || policy === null) return direct;
  if (typeof policy === 'string' && !isUnresolved(policy)) return [...direct, ...bindingGrants(parsePolicy(policy), ['policy_data'])];
  // A reference to a google_iam_policy data source: read its binding blocks (or its JSON in a plan).
  const fromData = r.refs
    .filter((ref) => ref.startsWith('data.google_iam_policy.') || ref.includes('.data.google_iam_policy.'))
    .flatMap((ref) => {
      const d = ctx.byId(ref);
      if (d === undefined) return [];
      const text = d.attrs['policy_data'];
      const bindings = typeof text === 'string' && !isUnresolved(text) ? parsePolicy(text) : d.attrs['binding'];
      return bindingGrants(bindings, ['policy_data']);
    });
  return [...direct, ...fromData];
}

/** The IAM resource types of a service: `<prefix>_iam_member`, `_iam_binding`, `_iam_policy`. */
export const iamTypes = (...prefixes: string[]): string[] => prefixes.flatMap((p) => [`${p}_iam_member`, `${p}_iam_binding`, `${p}_iam_policy`]);
