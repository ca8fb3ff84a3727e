/**
 * Terraform built-in functions evaluated statically (written by hand: no maintained JS library
 * evaluates Terraform's function set). A function returns `undefined` when it cannot give a
 * value statically (file access, regular expressions, time, an unknown argument where the
 * result depends on it); the evaluator then keeps the call as written (`${…}`).
 *
 * `try` and `can` evaluate their arguments lazily and live in eval.ts.
 */
import { cidrhost, cidrsubnet } from './cidr.js';
import {
  asBool,
  asNumber,
  asString,
  equal,
  EvalError,
  fromJson,
  hasUnknown,
  isList,
  isObj,
  jsonEncode,
  sortedKeys,
  LimitError,
  list,
  obj,
  str,
  Unknown,
  unknown,
  UnknownPart,
  type Val,
  type ValObject,
} from './value.js';
import { LIMITS } from './limits.js';
import { formatString } from './format.js';

type Fn = (args: readonly Val[]) => Val | undefined;

interface FnDef {
  readonly fn: Fn;
  /** Works on collections whose elements are unknown (only a wholly unknown argument stops it). */
  readonly structural?: boolean;
  readonly min?: number;
}

function listArg(v: Val, name: string): readonly Val[] {
  if (isList(v)) return v;
  throw new EvalError(`${name}: a list is required`);
}

function objArg(v: Val, name: string): ValObject {
  if (isObj(v)) return v;
  throw new EvalError(`${name}: a map is required`);
}

/** A stable key for deduplication (sets, distinct). */
function keyOf(v: Val): string {
  return jsonEncode(v).text;
}

function dedupe(items: readonly Val[]): Val[] {
  const seen = new Set<string>();
  const out: Val[] = [];
  for (const x of items) {
    const k = keyOf(x);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(x);
  }
  return out;
}

function flatten(items: readonly Val[], out: Val[]): void {
  for (const x of items) {
    if (isList(x)) flatten(x, out);
    else if (x instanceof Unknown) throw new UnknownPart();
    else out.push(x);
  }
}

function strFn(f: (s: string) => string): FnDef {
  return { fn: ([s]) => str(f(asString(s ?? null))), min: 1 };
}

const FUNCTIONS = new Map<string, FnDef>([
  ['jsonencode', { structural: true, min: 1, fn: ([v]) => {
    const r = jsonEncode(v ?? null);
    return r.partial ? unknown(r.text, v ?? null) : r.text;
  } }],
  ['jsondecode', { min: 1, fn: ([s]) => {
    const text = asString(s ?? null);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new EvalError('jsondecode: invalid JSON');
    }
    return fromJson(parsed);
  } }],
  ['merge', { structural: true, fn: (args) => {
    const entries: [string, Val][] = [];
    for (const a of args) {
      if (a === null) continue;
      if (a instanceof Unknown) return undefined;
      for (const [k, v] of Object.entries(objArg(a, 'merge'))) entries.push([k, v]);
    }
    return obj(entries);
  } }],
  ['concat', { structural: true, fn: (args) => {
    const out: Val[] = [];
    for (const a of args) {
      if (a instanceof Unknown) return undefined;
      for (const x of listArg(a, 'concat')) out.push(x);
    }
    return list(out);
  } }],
  ['lookup', { structural: true, min: 2, fn: ([m, k, d]) => {
    if (m instanceof Unknown || k instanceof Unknown) return undefined;
    const o = objArg(m!, 'lookup');
    const key = asString(k!);
    if (Object.hasOwn(o, key)) return o[key]!;
    if (d === undefined) throw new EvalError(`lookup: no key ${JSON.stringify(key)}`);
    return d;
  } }],
  ['element', { structural: true, min: 2, fn: ([l, i]) => {
    if (l instanceof Unknown || i instanceof Unknown) return undefined;
    const items = listArg(l!, 'element');
    const n = Math.floor(asNumber(i!));
    if (items.length === 0 || n < 0) throw new EvalError('element: no element');
    return items[n % items.length]!;
  } }],
  ['length', { structural: true, min: 1, fn: ([v]) => {
    if (typeof v === 'string') return [...v].length;
    if (isList(v!)) return v.length;
    if (isObj(v!)) return Object.keys(v).length;
    if (v instanceof Unknown) return undefined;
    throw new EvalError('length: a collection or string is required');
  } }],
  ['keys', { structural: true, min: 1, fn: ([v]) => (v instanceof Unknown ? undefined : list(sortedKeys(objArg(v!, 'keys')))) }],
  ['values', { structural: true, min: 1, fn: ([v]) => {
    if (v instanceof Unknown) return undefined;
    const o = objArg(v!, 'values');
    return list(sortedKeys(o).map((k) => o[k]!));
  } }],
  ['tolist', { structural: true, min: 1, fn: ([v]) => (v instanceof Unknown ? undefined : v === null ? null : listArg(v!, 'tolist')) }],
  ['toset', { min: 1, fn: ([v]) => {
    if (v === null || v === undefined) return null;
    const items = dedupe(listArg(v, 'toset'));
    if (items.every((x) => typeof x === 'string')) items.sort((a, b) => ((a) < (b) ? -1 : (a) > (b) ? 1 : 0));
    return list(items);
  } }],
  ['tomap', { structural: true, min: 1, fn: ([v]) => (v instanceof Unknown ? undefined : v === null ? null : objArg(v!, 'tomap')) }],
  ['tostring', { min: 1, fn: ([v]) => (v === null ? null : asString(v!)) }],
  ['tonumber', { min: 1, fn: ([v]) => (v === null ? null : asNumber(v!)) }],
  ['tobool', { min: 1, fn: ([v]) => (v === null ? null : asBool(v!)) }],
  ['contains', { structural: true, min: 2, fn: ([l, v]) => {
    if (l instanceof Unknown || hasUnknown(v!)) return undefined;
    let unsure = false;
    for (const x of listArg(l!, 'contains')) {
      const r = equal(x, v!);
      if (r === true) return true;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : false;
  } }],
  ['flatten', { min: 1, fn: ([l]) => {
    const out: Val[] = [];
    flatten(listArg(l!, 'flatten'), out);
    return list(out);
  } }],
  ['distinct', { min: 1, fn: ([l]) => list(dedupe(listArg(l!, 'distinct'))) }],
  ['compact', { min: 1, fn: ([l]) => list(listArg(l!, 'compact').filter((x) => x !== null && x !== '')) }],
  ['coalesce', { structural: true, fn: (args) => {
    for (const a of args) {
      if (a instanceof Unknown) return undefined;
      if (a !== null && a !== '') return a;
    }
    throw new EvalError('coalesce: no non-null argument');
  } }],
  ['coalescelist', { structural: true, fn: (args) => {
    for (const a of args) {
      if (a instanceof Unknown) return undefined;
      if (isList(a) && a.length > 0) return a;
    }
    throw new EvalError('coalescelist: no non-empty list');
  } }],
  ['join', { min: 2, fn: ([sep, l]) => str(listArg(l!, 'join').map(asString).join(asString(sep!))) }],
  ['split', { min: 2, fn: ([sep, s]) => list(asString(s!).split(asString(sep!))) }],
  ['format', { min: 1, fn: ([f, ...rest]) => formatString(asString(f!), rest) }],
  ['lower', strFn((s) => s.toLowerCase())],
  ['upper', strFn((s) => s.toUpperCase())],
  ['title', strFn((s) => s.replace(/\b\p{L}/gu, (c) => c.toUpperCase()))],
  ['trimspace', strFn((s) => s.trim())],
  ['chomp', strFn((s) => {
    let end = s.length;
    while (end > 0 && (s[end - 1] === '\n' || s[end - 1] === '\r')) end--;
    return s.slice(0, end);
  })],
  ['base64encode', strFn((s) => Buffer.from(s, 'utf8').toString('base64'))],
  ['base64decode', strFn((s) => Buffer.from(s, 'base64').toString('utf8'))],
  ['replace', { min: 3, fn: ([s, sub, rep]) => {
    const needle = asString(sub!);
    if (needle.length >= 2 && needle.startsWith('/') && needle.endsWith('/')) return undefined; // regex: not evaluated
    return str(asString(s!).split(needle).join(asString(rep!)));
  } }],
  ['trimprefix', { min: 2, fn: ([s, p]) => { const a = asString(s!); const b = asString(p!); return a.startsWith(b) ? a.slice(b.length) : a; } }],
  ['trimsuffix', { min: 2, fn: ([s, p]) => { const a = asString(s!); const b = asString(p!); return b !== '' && a.endsWith(b) ? a.slice(0, -b.length) : a; } }],
  ['trim', { min: 2, fn: ([s, cut]) => {
    const chars = new Set(asString(cut!));
    const a = [...asString(s!)];
    let i = 0;
    let j = a.length;
    while (i < j && chars.has(a[i]!)) i++;
    while (j > i && chars.has(a[j - 1]!)) j--;
    return a.slice(i, j).join('');
  } }],
  ['substr', { min: 3, fn: ([s, o, l]) => {
    const a = [...asString(s!)];
    let off = asNumber(o!);
    if (off < 0) off = Math.max(0, a.length + off);
    const len = asNumber(l!);
    return a.slice(off, len < 0 ? undefined : off + len).join('');
  } }],
  ['startswith', { min: 2, fn: ([s, p]) => asString(s!).startsWith(asString(p!)) }],
  ['endswith', { min: 2, fn: ([s, p]) => asString(s!).endsWith(asString(p!)) }],
  ['strcontains', { min: 2, fn: ([s, p]) => asString(s!).includes(asString(p!)) }],
  ['abs', { min: 1, fn: ([n]) => Math.abs(asNumber(n!)) }],
  ['ceil', { min: 1, fn: ([n]) => Math.ceil(asNumber(n!)) }],
  ['floor', { min: 1, fn: ([n]) => Math.floor(asNumber(n!)) }],
  ['max', { min: 1, fn: (args) => args.map(asNumber).reduce((a, b) => Math.max(a, b), -Infinity) }],
  ['min', { min: 1, fn: (args) => args.map(asNumber).reduce((a, b) => Math.min(a, b), Infinity) }],
  ['sum', { min: 1, fn: ([l]) => listArg(l!, 'sum').reduce<number>((a, x) => a + asNumber(x), 0) }],
  ['alltrue', { min: 1, fn: ([l]) => listArg(l!, 'alltrue').every((x) => asBool(x)) }],
  ['anytrue', { min: 1, fn: ([l]) => listArg(l!, 'anytrue').some((x) => asBool(x)) }],
  ['range', { min: 1, fn: (args) => {
    const n = args.map(asNumber);
    const [start, end, step] = n.length === 1 ? [0, n[0]!, 1] : [n[0]!, n[1]!, n[2] ?? (n[1]! >= n[0]! ? 1 : -1)];
    if (step === 0) throw new EvalError('range: step must not be zero');
    const count = Math.ceil((end - start) / step);
    if (count > LIMITS.maxValueNodes) throw new LimitError('range too large');
    const out: Val[] = [];
    for (let i = 0; i < count; i++) out.push(start + i * step);
    return list(out);
  } }],
  ['zipmap', { structural: true, min: 2, fn: ([k, v]) => {
    if (k instanceof Unknown || v instanceof Unknown) return undefined;
    const ks = listArg(k!, 'zipmap');
    const vs = listArg(v!, 'zipmap');
    if (ks.some((x) => x instanceof Unknown)) return undefined;
    return obj(ks.map((x, i) => [asString(x), vs[i] ?? null] as const));
  } }],
  ['slice', { structural: true, min: 3, fn: ([l, a, b]) => {
    if (l instanceof Unknown) return undefined;
    return list(listArg(l!, 'slice').slice(asNumber(a!), asNumber(b!)));
  } }],
  ['reverse', { structural: true, min: 1, fn: ([l]) => (l instanceof Unknown ? undefined : list([...listArg(l!, 'reverse')].reverse())) }],
  ['sort', { min: 1, fn: ([l]) => list(listArg(l!, 'sort').map(asString).sort()) }],
  ['index', { min: 2, fn: ([l, v]) => {
    const i = listArg(l!, 'index').findIndex((x) => equal(x, v!) === true);
    if (i < 0) throw new EvalError('index: not found');
    return i;
  } }],
  ['one', { structural: true, min: 1, fn: ([l]) => {
    if (l instanceof Unknown) return undefined;
    if (l === null) return null;
    const items = listArg(l!, 'one');
    if (items.length > 1) throw new EvalError('one: more than one element');
    return items[0] ?? null;
  } }],
  ['cidrsubnet', { min: 3, fn: ([p, b, n]) => cidrsubnet(asString(p!), asNumber(b!), asNumber(n!)) }],
  ['cidrhost', { min: 2, fn: ([p, h]) => cidrhost(asString(p!), asNumber(h!)) }],
]);

/**
 * Call a built-in: the result, or undefined when it cannot be known statically (unknown
 * function, unknown argument). Throws EvalError on a Terraform-level error.
 */
export function callFunction(name: string, args: readonly Val[]): Val | undefined {
  const def = FUNCTIONS.get(name);
  if (def === undefined) return undefined;
  if (args.length < (def.min ?? 0)) throw new EvalError(`${name}: not enough arguments`);
  // Structural functions look at unknown parts themselves; the others need fully known input.
  if (def.structural !== true && args.some(hasUnknown)) return undefined;
  try {
    return def.fn(args);
  } catch (err: unknown) {
    if (err instanceof UnknownPart) return undefined;
    throw err;
  }
}
