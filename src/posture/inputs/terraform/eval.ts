/**
 * Static evaluation of Terraform expressions (written by hand: no maintained JS library
 * evaluates HCL; @cdktf/hcl2json only converts syntax). What can be known from the source is
 * computed (literals, templates, operators, conditionals, `for`, splats, `var.*`, `local.*`,
 * `count.*`, `each.*`, the functions in functions.ts); anything else becomes an Unknown shown as
 * the source text in `${…}` (the hcl2json / Checkov convention), carrying the addresses of the
 * resources, data sources and modules it refers to.
 *
 * Every evaluation step is metered (Meter) and every value is size-checked (value.ts), so
 * hostile input (template bombs, deep chains of locals) ends as an unresolved value.
 */
import type { Expr, ForExpr, SplatOp, TemplatePart, VarExpr } from './ast.js';
import { callFunction } from './functions.js';
import { LIMITS } from './limits.js';
import {
  asBool,
  asNumber,
  asString,
  equal,
  EvalError,
  hasUnknown,
  isList,
  isObj,
  LimitError,
  list,
  obj,
  refsOf,
  sortedKeys,
  str,
  Unknown,
  unknown,
  UnknownPart,
  type Val,
} from './value.js';

/** Names bound by `for` expressions, template `for` directives and dynamic block iterators. */
export interface Binding {
  readonly name: string;
  readonly value: Val;
  readonly next: Binding | undefined;
}

/** Where an expression is evaluated: its file (same-file definitions win) and instance keys. */
export interface Frame {
  readonly file: string;
  readonly count?: Val;
  readonly each?: { readonly key: Val; readonly value: Val };
  readonly bindings?: Binding;
}

/** What a module instance provides to expressions. */
export interface Namespace {
  /** Address prefix of the module instance (`module.net.` or ''), for refs. */
  readonly prefix: string;
  /** `path.module`. */
  readonly modulePath: string;
  /** The value of `var.name`; undefined when no such variable is declared. */
  variable(name: string, frame: Frame): Val | undefined;
  /** The value of `local.name`; undefined when no such local is defined. */
  local(name: string, frame: Frame): Val | undefined;
}

/** Step counters for one parse and one attribute. */
export class Meter {
  private total = 0;
  private attr = 0;
  exhausted = false;

  startAttribute(): void {
    this.attr = 0;
  }

  step(n = 1): void {
    this.total += n;
    this.attr += n;
    if (this.attr > LIMITS.maxStepsPerAttribute) throw new LimitError('evaluation step limit for one attribute reached');
    if (this.total > LIMITS.maxStepsPerParse) {
      this.exhausted = true;
      throw new LimitError('evaluation step limit for the scan reached');
    }
  }
}

const REFLESS_ROOTS = new Set(['var', 'local', 'count', 'each', 'path', 'terraform', 'self']);

type Op = SplatOp | { readonly k: 'splat'; readonly ops: readonly SplatOp[] };

function unk(e: Expr, ...from: Val[]): Unknown {
  return unknown('${' + e.t + '}', ...from);
}

function bind(f: Frame, names: readonly (string | undefined)[], vals: readonly Val[]): Frame {
  let b = f.bindings;
  names.forEach((n, i) => {
    if (n !== undefined) b = { name: n, value: vals[i]!, next: b };
  });
  return { ...f, bindings: b };
}

function lookupBinding(f: Frame, name: string): { value: Val } | undefined {
  for (let b = f.bindings; b !== undefined; b = b.next) if (b.name === name) return b;
  return undefined;
}

/** Entries of a collection being iterated (`for`, for_each, dynamic): maps in key order. */
export function entriesOf(v: Val): [Val, Val][] | undefined {
  if (isList(v)) return v.map((x, i) => [i, x]);
  if (isObj(v)) return sortedKeys(v).map((k) => [k, v[k]!]);
  return undefined;
}

export class Evaluator {
  constructor(
    readonly ns: Namespace,
    readonly meter: Meter,
  ) {}

  /** Evaluate an attribute's expression; never throws except on the scan-wide step limit. */
  attribute(e: Expr, f: Frame, onLimit: (reason: string) => void): Val {
    this.meter.startAttribute();
    try {
      return this.eval(e, f);
    } catch (err: unknown) {
      if (err instanceof LimitError) onLimit(err.message);
      else if (err instanceof RangeError) onLimit('expression too deeply nested to evaluate');
      else if (!(err instanceof EvalError || err instanceof UnknownPart)) throw err;
      return unk(e);
    }
  }

  eval(e: Expr, f: Frame): Val {
    this.meter.step();
    try {
      return this.dispatch(e, f);
    } catch (err: unknown) {
      if (err instanceof UnknownPart) return unk(e);
      throw err;
    }
  }

  private dispatch(e: Expr, f: Frame): Val {
    switch (e.k) {
      case 'lit':
        return typeof e.v === 'string' ? str(e.v) : e.v;
      case 'tpl':
        return this.template(e.parts, e, f);
      case 'tuple':
        return list(e.items.map((x) => this.eval(x, f)));
      case 'object': {
        const entries: [string, Val][] = [];
        for (const item of e.items) {
          const key = item.name ?? this.eval(item.keyExpr, f);
          if (key instanceof Unknown) return unk(e, key);
          entries.push([asString(key), this.eval(item.val, f)]);
        }
        return obj(entries);
      }
      case 'var':
        return this.root(e, [], e, f);
      case 'get':
      case 'index':
      case 'splat':
        return this.traversal(e, f);
      case 'call':
        return this.call(e, f);
      case 'for':
        return this.forExpr(e, f);
      case 'unary': {
        const v = this.eval(e.e, f);
        if (v instanceof Unknown) return unk(e, v);
        return e.op === '-' ? -asNumber(v) : !asBool(v);
      }
      case 'binary':
        return this.binary(e, f);
      case 'cond': {
        const t = this.eval(e.test, f);
        if (t instanceof Unknown) return unk(e, t);
        return asBool(t) ? this.eval(e.then, f) : this.eval(e.else, f);
      }
      case 'bad':
        return unk(e);
    }
  }

  private binary(e: Extract<Expr, { k: 'binary' }>, f: Frame): Val {
    const l = this.eval(e.l, f);
    const r = this.eval(e.r, f);
    if (e.op === '&&' || e.op === '||') {
      const lb = l instanceof Unknown ? undefined : asBool(l);
      const rb = r instanceof Unknown ? undefined : asBool(r);
      const decisive = e.op === '||';
      if (lb === decisive || rb === decisive) return decisive;
      if (lb === undefined || rb === undefined) return unk(e, l, r);
      return !decisive;
    }
    if (e.op === '==' || e.op === '!=') {
      const eq = equal(l, r);
      if (eq === undefined) return unk(e, l, r);
      return e.op === '==' ? eq : !eq;
    }
    if (l instanceof Unknown || r instanceof Unknown) return unk(e, l, r);
    const a = asNumber(l);
    const b = asNumber(r);
    let out: number | boolean;
    switch (e.op) {
      case '+': out = a + b; break;
      case '-': out = a - b; break;
      case '*': out = a * b; break;
      case '/': out = a / b; break;
      case '%': out = a % b; break;
      case '>': out = a > b; break;
      case '>=': out = a >= b; break;
      case '<': out = a < b; break;
      case '<=': out = a <= b; break;
    }
    if (typeof out === 'number' && !Number.isFinite(out)) throw new EvalError('arithmetic result is not a finite number');
    return out;
  }

  private traversal(e: Expr, f: Frame): Val {
    const ops: Op[] = [];
    let cur = e;
    while (cur.k === 'get' || cur.k === 'index' || cur.k === 'splat') {
      if (cur.k === 'get') ops.push({ k: 'get', name: cur.name });
      else if (cur.k === 'index') ops.push({ k: 'index', index: cur.index });
      else ops.push({ k: 'splat', ops: cur.ops });
      cur = cur.obj;
    }
    ops.reverse();
    if (cur.k === 'var') return this.root(cur, ops, e, f);
    return this.apply(this.eval(cur, f), ops, e, f);
  }

  /** A traversal that starts at a name: a binding, var/local/count/each/path, or a reference. */
  private root(v: VarExpr, ops: readonly Op[], whole: Expr, f: Frame): Val {
    const bound = lookupBinding(f, v.name);
    if (bound !== undefined) return this.apply(bound.value, ops, whole, f);
    const first = ops[0]?.k === 'get' ? ops[0].name : undefined;
    const rest = ops.slice(1);
    switch (v.name) {
      case 'var':
      case 'local': {
        if (first === undefined) return unk(whole);
        const depth = v.name === 'local' ? ++this.localDepth : 0;
        try {
          if (depth > LIMITS.maxLocalDepth) throw new LimitError(`locals refer to each other more than ${LIMITS.maxLocalDepth} deep`);
          const val = v.name === 'var' ? this.ns.variable(first, f) : this.ns.local(first, f);
          return val === undefined ? unk(whole) : this.apply(val, rest, whole, f);
        } finally {
          if (v.name === 'local') this.localDepth--;
        }
      }
      case 'count':
        return first === 'index' && f.count !== undefined ? this.apply(f.count, rest, whole, f) : unk(whole);
      case 'each':
        if (f.each === undefined || (first !== 'key' && first !== 'value')) return unk(whole);
        return this.apply(first === 'key' ? f.each.key : f.each.value, rest, whole, f);
      case 'path':
        return first === 'module' ? this.ns.modulePath : first === 'root' || first === 'cwd' ? '.' : unk(whole);
      case 'terraform':
        return first === 'workspace' ? 'default' : unk(whole);
      default:
        return new Unknown('${' + whole.t + '}', this.refOf(v.name, ops));
    }
  }

  private localDepth = 0;

  /** The address a reference names: `T.N`, `data.T.N`, `module.M` (with the module prefix). */
  refOf(root: string, ops: readonly Op[]): string[] {
    if (REFLESS_ROOTS.has(root)) return [];
    const names: string[] = [];
    for (const op of ops) {
      if (op.k !== 'get') break;
      names.push(op.name);
    }
    if (root === 'data') return names.length >= 2 ? [`${this.ns.prefix}data.${names[0]!}.${names[1]!}`] : [];
    if (root === 'module') return names.length >= 1 ? [`${this.ns.prefix}module.${names[0]!}`] : [];
    if (!root.includes('_') || names.length === 0) return [];
    return [`${this.ns.prefix}${root}.${names[0]!}`];
  }

  private apply(base: Val, ops: readonly Op[], whole: Expr, f: Frame): Val {
    let cur = base;
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i]!;
      if (cur instanceof Unknown) return unk(whole, cur);
      if (op.k === 'splat') {
        if (cur === null) return list([]);
        const items = isList(cur) ? cur : [cur];
        const out = items.map((x) => this.apply(x, op.ops, whole, f));
        return this.apply(list(out), ops.slice(i + 1), whole, f);
      }
      cur = this.step(cur, op, whole, f);
    }
    return cur;
  }

  private step(cur: Val, op: SplatOp, whole: Expr, f: Frame): Val {
    if (op.k === 'get') {
      if (isObj(cur) && Object.hasOwn(cur, op.name)) return cur[op.name]!;
      throw new EvalError(`no attribute ${JSON.stringify(op.name)}`);
    }
    const key = this.eval(op.index, f);
    if (key instanceof Unknown) return unk(whole, key, cur);
    if (isList(cur)) {
      const i = asNumber(key);
      if (!Number.isInteger(i) || i < 0 || i >= cur.length) throw new EvalError('index out of range');
      return cur[i]!;
    }
    if (isObj(cur)) {
      const k = asString(key);
      if (Object.hasOwn(cur, k)) return cur[k]!;
    }
    throw new EvalError('no such element');
  }

  private call(e: Extract<Expr, { k: 'call' }>, f: Frame): Val {
    if (e.name === 'try') {
      for (const a of e.args) {
        try {
          const v = this.eval(a, f);
          return v instanceof Unknown ? unk(e, v) : v;
        } catch (err: unknown) {
          if (!(err instanceof EvalError)) throw err;
        }
      }
      throw new EvalError('try: no argument could be evaluated');
    }
    if (e.name === 'can') {
      try {
        const v = this.eval(e.args[0] ?? e, f);
        return hasUnknown(v) ? unk(e, v) : true;
      } catch (err: unknown) {
        if (err instanceof EvalError) return false;
        throw err;
      }
    }
    const args = e.args.map((a) => this.eval(a, f));
    if (e.expand) {
      const last = args.pop();
      if (last instanceof Unknown || last === undefined) return unk(e, ...args, last ?? null);
      if (!isList(last)) throw new EvalError('only a list can be expanded');
      for (const x of last) args.push(x);
    }
    const out = callFunction(e.name, args);
    return out === undefined ? unk(e, ...args) : out;
  }

  private forExpr(e: ForExpr, f: Frame): Val {
    const coll = this.eval(e.coll, f);
    if (coll instanceof Unknown) return unk(e, coll);
    const entries = entriesOf(coll);
    if (entries === undefined) throw new EvalError('for: a collection is required');
    const items: Val[] = [];
    const groups = new Map<string, Val[]>();
    const single = new Map<string, Val>();
    for (const [k, v] of entries) {
      this.meter.step();
      const inner = bind(f, [e.keyVar, e.valVar], [k, v]);
      if (e.cond !== undefined) {
        const c = this.eval(e.cond, inner);
        if (c instanceof Unknown) return unk(e, c);
        if (!asBool(c)) continue;
      }
      if (e.key === undefined) {
        items.push(this.eval(e.val, inner));
        continue;
      }
      const key = this.eval(e.key, inner);
      if (key instanceof Unknown) return unk(e, key);
      const ks = asString(key);
      const val = this.eval(e.val, inner);
      if (e.group) {
        const g = groups.get(ks) ?? [];
        g.push(val);
        groups.set(ks, g);
      } else {
        if (single.has(ks)) throw new EvalError(`for: duplicate key ${JSON.stringify(ks)}`);
        single.set(ks, val);
      }
    }
    if (e.key === undefined) return list(items);
    return e.group ? obj([...groups].map(([k, g]) => [k, list(g)] as const)) : obj(single);
  }

  private template(parts: readonly TemplatePart[], e: Expr, f: Frame): Val {
    // A template that is exactly one interpolation yields the value itself, unconverted.
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only?.k === 'interp') return this.eval(only.e, f);
    const out: string[] = [];
    const unknowns: Val[] = [];
    this.render(parts, f, out, unknowns);
    const text = out.join('');
    if (unknowns.length === 0) return str(text);
    // Known parts filled in, unknown parts as written; too long → the template as written.
    return text.length > LIMITS.maxString / 10 ? unk(e, ...unknowns) : new Unknown(text, refsOf(unknowns));
  }

  private render(parts: readonly TemplatePart[], f: Frame, out: string[], unknowns: Val[]): void {
    let len = 0;
    for (const p of parts) {
      this.meter.step();
      if (p.k === 'str') {
        out.push(p.s);
      } else if (p.k === 'interp') {
        const v = this.eval(p.e, f);
        if (v instanceof Unknown) {
          out.push(v.text);
          unknowns.push(v);
        } else if (v !== null && typeof v === 'object') {
          throw new EvalError('a collection cannot be interpolated');
        } else if (v === null) {
          throw new EvalError('null cannot be interpolated');
        } else {
          out.push(asString(v));
        }
      } else if (p.k === 'if') {
        const c = this.eval(p.cond, f);
        if (c instanceof Unknown) throw new UnknownPart();
        this.render(asBool(c) ? p.then : p.else, f, out, unknowns);
      } else {
        const coll = this.eval(p.coll, f);
        if (coll instanceof Unknown) throw new UnknownPart();
        const entries = entriesOf(coll);
        if (entries === undefined) throw new EvalError('template for: a collection is required');
        for (const [k, v] of entries) this.render(p.body, bind(f, [p.keyVar, p.valVar], [k, v]), out, unknowns);
      }
      len += out[out.length - 1]?.length ?? 0;
      if (len > LIMITS.maxString) throw new LimitError(`string longer than ${LIMITS.maxString} characters`);
    }
  }
}
