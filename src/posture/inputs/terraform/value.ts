/**
 * Values of the static Terraform evaluator: JSON-like data in which any part may be `Unknown`
 * (a resource attribute, an unset variable, a function we do not evaluate). An Unknown keeps the
 * text it is shown as in `Resource.attrs` (`${aws_kms_key.k.arn}`, or a template with its known
 * parts filled in) and the addresses it depends on.
 *
 * Every collection is built through `list()` / `obj()`, which record its size (nodes of its
 * tree) so that doubling bombs (`concat(local.a, local.a)` …) stop at LIMITS.maxValueNodes
 * instead of exhausting memory, and deep walks of a value stay bounded.
 */
import { LIMITS } from './limits.js';

export class Unknown {
  constructor(
    readonly text: string,
    readonly refs: readonly string[] = [],
  ) {}
}

export type Val = null | boolean | number | string | Unknown | readonly Val[] | ValObject;
export interface ValObject {
  readonly [key: string]: Val;
}

/** A Terraform-level error (wrong type, missing key): `try()` / `can()` catch it. */
export class EvalError extends Error {}
/** A part needed to compute a result is unknown: the result is unknown (never an error). */
export class UnknownPart extends Error {}
/** A limit was reached (size, steps): never caught by `try()`, the attribute becomes unresolved. */
export class LimitError extends Error {}

/** Size (nodes) and depth of every collection built here, packed as size * 512 + depth. */
const SIZES = new WeakMap<object, number>();
const DEPTH_BITS = 512;

export function isList(v: Val): v is readonly Val[] {
  return Array.isArray(v);
}

export function isObj(v: Val): v is ValObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Unknown);
}

function measure(v: Val): number {
  if (typeof v === 'string') return (1 + (v.length >> 10)) * DEPTH_BITS;
  if (v === null || typeof v !== 'object' || v instanceof Unknown) return DEPTH_BITS;
  const known = SIZES.get(v);
  if (known !== undefined) return known;
  // Only reached for values not built by list() / obj(); they are shallow by construction.
  return register(v, Array.isArray(v) ? (v as readonly Val[]) : Object.values(v), true);
}

export function sizeOf(v: Val): number {
  return Math.floor(measure(v) / DEPTH_BITS);
}

function register(v: object, children: Iterable<Val>, lenient = false): number {
  let n = 1;
  let d = 0;
  for (const x of children) {
    const m = measure(x);
    n += Math.floor(m / DEPTH_BITS);
    d = Math.max(d, m % DEPTH_BITS);
    if (!lenient && n > LIMITS.maxValueNodes) throw new LimitError(`value larger than ${LIMITS.maxValueNodes} nodes`);
  }
  if (!lenient && d >= LIMITS.maxDepth) throw new LimitError(`value nested deeper than ${LIMITS.maxDepth} levels`);
  const packed = n * DEPTH_BITS + Math.min(d + 1, DEPTH_BITS - 1);
  SIZES.set(v, packed);
  return packed;
}

export function list(items: Val[]): readonly Val[] {
  register(items, items);
  return items;
}

/** Set a key without ever touching the prototype (`__proto__` is a plain key here). */
export function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

export function obj(entries: Iterable<readonly [string, Val]>): ValObject {
  const o: Record<string, Val> = {};
  for (const [k, v] of entries) setKey(o, k, v);
  register(o, Object.values(o));
  return o;
}

export function str(s: string): string {
  if (s.length > LIMITS.maxString) throw new LimitError(`string longer than ${LIMITS.maxString} characters`);
  return s;
}

/** Whether any part of `v` is unknown. */
export function hasUnknown(v: Val): boolean {
  if (v instanceof Unknown) return true;
  if (v === null || typeof v !== 'object') return false;
  for (const x of Array.isArray(v) ? (v as readonly Val[]) : Object.values(v)) if (hasUnknown(x)) return true;
  return false;
}

/** Addresses the unknown parts of the values depend on. */
export function refsOf(vals: readonly Val[]): string[] {
  const out = new Set<string>();
  const walk = (v: Val): void => {
    if (v instanceof Unknown) {
      for (const r of v.refs) out.add(r);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    for (const x of Array.isArray(v) ? (v as readonly Val[]) : Object.values(v)) walk(x);
  };
  for (const v of vals) walk(v);
  return [...out];
}

export function unknown(text: string, ...from: Val[]): Unknown {
  return new Unknown(text, from.length === 0 ? [] : refsOf(from));
}

export function typeName(v: Val): string {
  if (v === null) return 'null';
  if (v instanceof Unknown) return 'unknown';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'object' : typeof v;
}

export function fmtNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return n.toFixed(0);
  return String(n);
}

/** A primitive as a string (template interpolation, tostring, string functions). */
export function asString(v: Val): string {
  if (v instanceof Unknown) throw new UnknownPart();
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return fmtNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  throw new EvalError(`a string is required, got ${typeName(v)}`);
}

export function asNumber(v: Val): number {
  if (v instanceof Unknown) throw new UnknownPart();
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v.trim())) return Number(v);
  throw new EvalError(`a number is required, got ${typeName(v)}`);
}

export function asBool(v: Val): boolean {
  if (v instanceof Unknown) throw new UnknownPart();
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new EvalError(`a bool is required, got ${typeName(v)}`);
}

/** Deep equality as `==`: types must match (`1 == "1"` is false); undefined when unknown. */
export function equal(a: Val, b: Val): boolean | undefined {
  if (a instanceof Unknown || b instanceof Unknown) return undefined;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bl = b as readonly Val[];
    if (a.length !== bl.length) return false;
    let unsure = false;
    for (let i = 0; i < a.length; i++) {
      const r = equal((a as readonly Val[])[i]!, bl[i]!);
      if (r === false) return false;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : true;
  }
  const ao = a as ValObject;
  const bo = b as ValObject;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  let unsure = false;
  for (const k of ak) {
    if (!Object.hasOwn(bo, k)) return false;
    const r = equal(ao[k]!, bo[k]!);
    if (r === false) return false;
    if (r === undefined) unsure = true;
  }
  return unsure ? undefined : true;
}

/** The value as it appears in `Resource.attrs`: plain JSON, unknown parts as their text. */
export function materialize(v: Val): unknown {
  if (v instanceof Unknown) return v.text;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return (v as readonly Val[]).map(materialize);
  const o: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) setKey(o, k, materialize(x));
  return o;
}

/** Plain JSON (tfvars.json, jsondecode) → a value, with sizes recorded and depth bounded. */
export function fromJson(v: unknown, depth = 0): Val {
  if (depth > LIMITS.maxDepth) throw new LimitError(`JSON nested deeper than ${LIMITS.maxDepth} levels`);
  if (v === null || typeof v === 'boolean' || typeof v === 'number') return v;
  if (typeof v === 'string') return str(v);
  if (Array.isArray(v)) return list(v.map((x) => fromJson(x, depth + 1)));
  if (typeof v === 'object') return obj(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, fromJson(x, depth + 1)] as const));
  return null;
}

export function sortedKeys(o: ValObject): string[] {
  return Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** jsonencode with sorted keys; unknown parts are written as the JSON string of their text. */
export function jsonEncode(v: Val): { text: string; partial: boolean } {
  let partial = false;
  const parts: string[] = [];
  const enc = (x: Val): void => {
    if (x instanceof Unknown) {
      partial = true;
      parts.push(JSON.stringify(x.text));
    } else if (x === null) parts.push('null');
    else if (typeof x === 'string') parts.push(JSON.stringify(x));
    else if (typeof x === 'number') parts.push(Number.isFinite(x) ? fmtNumber(x) : 'null');
    else if (typeof x === 'boolean') parts.push(x ? 'true' : 'false');
    else if (isList(x)) {
      parts.push('[');
      x.forEach((y, i) => {
        if (i > 0) parts.push(',');
        enc(y);
      });
      parts.push(']');
    } else {
      parts.push('{');
      sortedKeys(x).forEach((k, i) => {
        if (i > 0) parts.push(',');
        parts.push(JSON.stringify(k), ':');
        enc(x[k]!);
      });
      parts.push('}');
    }
  };
  enc(v);
  return { text: str(parts.join('')), partial };
}

