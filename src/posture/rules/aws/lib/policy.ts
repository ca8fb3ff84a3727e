/**
 * IAM policy documents, read the same way wherever they are written: a JSON string (Terraform
 * heredoc, `jsonencode()`, plan JSON), an object (CloudFormation `PolicyDocument`, a plan), or a
 * `data "aws_iam_policy_document"` that a `policy = data.….json` refers to. Statements come out
 * normalised (lists everywhere, principals as type/id pairs, conditions as operator/key/values)
 * with the attribute path a violation about them should name. Pure; an unreadable document is
 * `undefined` (unknown, so rules pass it, as with any unresolved value).
 *
 * Matching of action globs (`s3:Get*`) is written by hand (IAM's `*` / `?` wildcards,
 * case-insensitive): a greedy two-pointer match, linear in practice, no regular expressions.
 */
import { parse as parseJsonc, type ParseError } from 'jsonc-parser';
import { blocks, isObject, isUnresolved, list } from '../../../attrs.js';
import type { AttrPath, Resource } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';
import { baseAddress } from './links.js';

export interface Principal {
  /** `*` for `"Principal": "*"`, else `AWS`, `Service`, `Federated`, `CanonicalUser`. */
  readonly type: string;
  readonly id: string;
}

export interface Condition {
  readonly operator: string;
  readonly key: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly effect: string;
  /** Undefined when the statement has no Principal element (identity-based policies). */
  readonly principals: readonly Principal[] | undefined;
  readonly actions: readonly string[];
  /** Undefined when absent. */
  readonly notActions: readonly string[] | undefined;
  readonly resources: readonly string[];
  readonly notResources: readonly string[] | undefined;
  readonly conditions: readonly Condition[];
  /** Where a violation about this statement points. */
  readonly path: AttrPath;
  /** Where a violation about its principal points. */
  readonly principalPath: AttrPath;
}

const MAX_POLICY_CHARS = 256 * 1024;

function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === 'string');
}

function principalsOf(v: unknown): Principal[] {
  if (typeof v === 'string') return [{ type: v === '*' ? '*' : 'AWS', id: v }];
  if (Array.isArray(v)) return strings(v).map((id) => ({ type: id === '*' ? '*' : 'AWS', id }));
  if (!isObject(v)) return [];
  return Object.entries(v).flatMap(([type, ids]) => strings(ids).map((id) => ({ type, id })));
}

function conditionsOf(v: unknown): Condition[] {
  if (!isObject(v)) return [];
  const out: Condition[] = [];
  for (const [operator, keys] of Object.entries(v)) {
    if (!isObject(keys)) continue;
    for (const [key, values] of Object.entries(keys)) out.push({ operator, key, values: list(values).map((x) => String(x)) });
  }
  return out;
}

/** Statements of a JSON-shaped document; `at(i)` gives the path to report for statement i. */
function jsonStatements(doc: unknown, at: (i: number | undefined, principal: boolean) => AttrPath): Statement[] | undefined {
  if (!isObject(doc) || isUnresolved(doc)) return undefined;
  const raw = doc['Statement'];
  if (raw === undefined) return [];
  if (isUnresolved(raw)) return undefined;
  const many = Array.isArray(raw);
  const out: Statement[] = [];
  for (const [i, s] of (many ? raw : [raw]).entries()) {
    if (!isObject(s) || isUnresolved(s)) continue;
    const index = many ? i : undefined;
    const principal = s['Principal'] !== undefined;
    out.push({
      effect: typeof s['Effect'] === 'string' ? s['Effect'] : '',
      principals: principal ? principalsOf(s['Principal']) : undefined,
      actions: strings(s['Action']),
      notActions: s['NotAction'] === undefined ? undefined : strings(s['NotAction']),
      resources: strings(s['Resource']),
      notResources: s['NotResource'] === undefined ? undefined : strings(s['NotResource']),
      conditions: conditionsOf(s['Condition']),
      path: at(index, false),
      principalPath: at(index, principal),
    });
  }
  return out;
}

/** Statements of a `data "aws_iam_policy_document"`, all reported at `path` of the resource using it. */
function dataStatements(doc: Resource, path: AttrPath): Statement[] {
  return blocks(doc.attrs['statement']).map((s) => {
    const principals = blocks(s['principals']);
    return {
      effect: typeof s['effect'] === 'string' ? s['effect'] : 'Allow',
      principals:
        principals.length === 0
          ? undefined
          : principals.flatMap((p) => strings(p['identifiers']).map((id) => ({ type: typeof p['type'] === 'string' ? p['type'] : '', id }))),
      actions: strings(s['actions']),
      notActions: s['not_actions'] === undefined ? undefined : strings(s['not_actions']),
      resources: strings(s['resources']),
      notResources: s['not_resources'] === undefined ? undefined : strings(s['not_resources']),
      conditions: blocks(s['condition']).map((c) => ({
        operator: typeof c['test'] === 'string' ? c['test'] : '',
        key: typeof c['variable'] === 'string' ? c['variable'] : '',
        values: list(c['values']).map((x) => String(x)),
      })),
      path,
      principalPath: path,
    };
  });
}

const DATA_DOC_REF = /^\$\{(data\.aws_iam_policy_document\.[\w-]+)(?:\[[^\]]*\])?\.(?:minified_)?json\}$/;

/** The `data "aws_iam_policy_document"` a `${data.aws_iam_policy_document.x.json}` names, in the same module. */
function dataDocument(text: string, resource: Resource, ctx: RuleContext): Resource | undefined {
  const m = DATA_DOC_REF.exec(text.trim());
  if (m === null) return undefined;
  const own = baseAddress(resource.id);
  const at = own.lastIndexOf(`${resource.type}.`);
  const wanted = `${at > 0 ? own.slice(0, at) : ''}${m[1]!}`;
  return ctx.byKind('tf:data.aws_iam_policy_document').find((d) => baseAddress(d.id) === wanted);
}

function parseJson(text: string): unknown {
  if (text.length > MAX_POLICY_CHARS) return undefined;
  const errors: ParseError[] = [];
  const value: unknown = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  return errors.length === 0 ? value : undefined;
}

/**
 * The statements of the policy document at `path` of `resource`; `[]` when there is none,
 * `undefined` when it cannot be read (unresolved, not JSON).
 */
export function policyStatements(resource: Resource, path: AttrPath, ctx: RuleContext): Statement[] | undefined {
  let value: unknown = resource.attrs;
  for (const k of path) value = isObject(value) ? value[k as string] : Array.isArray(value) ? value[k as number] : undefined;
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'string') {
    if (value.includes('${') && value.trim().startsWith('${')) {
      const doc = dataDocument(value, resource, ctx);
      return doc === undefined ? undefined : dataStatements(doc, path);
    }
    return jsonStatements(parseJson(value), () => path);
  }
  return jsonStatements(value, (i, principal) => [
    ...path,
    'Statement',
    ...(i === undefined ? [] : [i]),
    ...(principal ? ['Principal'] : []),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Matching

/** IAM glob match (`*` any run, `?` one character), case-insensitive. */
export function globMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < t.length) {
    if (i < p.length && (p[i] === '?' || p[i] === t[j])) {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star >= 0) {
      i = star + 1;
      j = ++mark;
    } else return false;
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** Does an Allow statement grant `action` (its Action globs match, or NotAction leaves it out)? */
export function grantsAction(s: Statement, action: string): boolean {
  if (s.notActions !== undefined) return !s.notActions.some((p) => globMatch(p, action));
  return s.actions.some((p) => globMatch(p, action));
}

export const isAllow = (s: Statement): boolean => s.effect.toLowerCase() === 'allow';

/** Every principal, anonymous included: `"*"`, `{"AWS": "*"}`, Terraform `type = "*"`. */
export function isAnyPrincipal(p: Principal): boolean {
  return p.id === '*' && (p.type === '*' || p.type === 'AWS');
}

/**
 * Condition keys that tie a request to a known identity, organisation or private network
 * (AWS's own test for "not public" in S3 and Access Analyzer). Source IPs are not among them:
 * they narrow where a caller is, not who.
 */
const CALLER_KEYS = new Set([
  'aws:sourcearn',
  'aws:sourceaccount',
  'aws:sourceowner',
  'aws:sourcevpc',
  'aws:sourcevpce',
  'aws:sourceorgid',
  'aws:sourceorgpaths',
  'aws:principalorgid',
  'aws:principalorgpaths',
  'aws:principalaccount',
  'aws:principalarn',
  'aws:userid',
  'kms:calleraccount',
]);

/** Positive operators (no IfExists: an absent key then matches; no negation). */
function restrictingOperator(op: string): boolean {
  const o = op.toLowerCase().replace(/^forAnyValue:/i, '');
  if (o.startsWith('forallvalues:') || o.endsWith('ifexists')) return false;
  return ['stringequals', 'stringequalsignorecase', 'stringlike', 'arnequals', 'arnlike'].includes(o);
}

/** Does a condition of the statement pin the caller to fixed, non-wildcard values? */
export function restrictsCaller(s: Statement): boolean {
  return s.conditions.some(
    (c) => restrictingOperator(c.operator) && CALLER_KEYS.has(c.key.toLowerCase()) && c.values.length > 0 && c.values.every((v) => v !== '*' && v !== ''),
  );
}

/** An Allow statement open to any principal that no condition ties to a known caller. */
export function allowsAnyone(s: Statement): boolean {
  return isAllow(s) && (s.principals ?? []).some(isAnyPrincipal) && !restrictsCaller(s);
}

/** Resource `*` (or NotResource, which is as broad). */
export function onAllResources(s: Statement): boolean {
  return s.notResources !== undefined || s.resources.includes('*');
}
