/**
 * Resolving CloudFormation intrinsic functions as far as the template alone allows, on the
 * located tree (tree.ts), so resolved values keep a line inside the resource that uses them.
 * Written by hand: no maintained JavaScript library evaluates templates offline (cfn-lint and
 * Checkov do it in Python).
 *
 * Resolved: `Ref` to a parameter with a `Default` (a `CommaDelimitedList` / `List<…>` default
 * becomes a list; SSM parameter types are not resolved, their default is a parameter name),
 * `Ref: AWS::NoValue` (the key or item is removed), `Fn::Sub` with known parameters and local
 * variables, `Fn::If` whose condition can be evaluated from parameter defaults (`Fn::Equals`,
 * `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`), `Fn::FindInMap` on literal `Mappings` (with the
 * language-extension `DefaultValue`), and `Fn::Join` / `Fn::Select` / `Fn::Split` on known
 * values. Everything else stays in long form with its arguments resolved; pseudo parameters
 * (`AWS::Region`, `AWS::AccountId`, …) are never resolved. Pure; bounded by a node budget and
 * a depth cap on condition chains.
 */
import { CFN_LIMITS } from './limits.js';
import { map, relocate, scalar, scalarString, seq, soleKey, text, type LEntry, type LNode } from './tree.js';

export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
export type Resolved = LNode | typeof NO_VALUE;

export interface ParameterInfo {
  readonly type: string | undefined;
  readonly default: LNode | undefined;
}

export interface TemplateContext {
  readonly parameters: ReadonlyMap<string, ParameterInfo>;
  readonly conditions: ReadonlyMap<string, LNode>;
  readonly mappings: LNode | undefined;
  readonly resources: ReadonlySet<string>;
}

const MAX_CONDITION_DEPTH = 64;

export class Resolver {
  private readonly memo = new Map<string, boolean | undefined>();
  private readonly evaluating = new Set<string>();
  private budget: number = CFN_LIMITS.maxNodes;
  private conditionDepth = 0;

  constructor(private readonly ctx: TemplateContext) {}

  /** The node with every intrinsic resolved as far as possible; NO_VALUE for `Ref: AWS::NoValue`. */
  resolve(node: LNode): Resolved {
    if (--this.budget < 0) return node;
    switch (node.t) {
      case 'scalar':
        return node;
      case 'seq': {
        const items: LNode[] = [];
        for (const i of node.items) {
          const r = this.resolve(i);
          if (r !== NO_VALUE) items.push(r);
        }
        return seq(items, node.line, node.end);
      }
      case 'map': {
        const key = soleKey(node);
        if (key !== undefined && (key === 'Ref' || key.startsWith('Fn::'))) return this.intrinsic(key, node.entries[0]!, node);
        const entries: LEntry[] = [];
        for (const e of node.entries) {
          const r = this.resolve(e.value);
          if (r !== NO_VALUE) entries.push({ key: e.key, line: e.line, value: r });
        }
        return map(entries, node.line, node.end);
      }
    }
  }

  /** A condition by name: true / false, or undefined when it depends on something unknown. */
  condition(name: string): boolean | undefined {
    if (this.memo.has(name)) return this.memo.get(name);
    const def = this.ctx.conditions.get(name);
    if (def === undefined || this.evaluating.has(name) || this.conditionDepth >= MAX_CONDITION_DEPTH) return undefined;
    this.evaluating.add(name);
    this.conditionDepth++;
    const value = this.evaluate(def);
    this.conditionDepth--;
    this.evaluating.delete(name);
    this.memo.set(name, value);
    return value;
  }

  /** A condition expression (`Fn::Equals`, `Fn::Not`, `Fn::And`, `Fn::Or`, `Condition`). */
  evaluate(node: LNode): boolean | undefined {
    const key = soleKey(node);
    if (key === undefined || node.t !== 'map') return undefined;
    const arg = node.entries[0]!.value;
    switch (key) {
      case 'Condition': {
        const name = text(arg);
        return name === undefined ? undefined : this.condition(name);
      }
      case 'Fn::Equals': {
        if (arg.t !== 'seq' || arg.items.length !== 2) return undefined;
        const [a, b] = arg.items.map((i) => this.resolve(i));
        const sa = a === NO_VALUE ? undefined : scalarString(a);
        const sb = b === NO_VALUE ? undefined : scalarString(b);
        return sa === undefined || sb === undefined ? undefined : sa === sb;
      }
      case 'Fn::Not': {
        const inner = arg.t === 'seq' && arg.items.length === 1 ? arg.items[0]! : undefined;
        const v = inner === undefined ? undefined : this.evaluate(inner);
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        if (arg.t !== 'seq') return undefined;
        const decisive = key === 'Fn::Or';
        let unknown = false;
        for (const item of arg.items) {
          const v = this.evaluate(item);
          if (v === decisive) return decisive;
          if (v === undefined) unknown = true;
        }
        return unknown ? undefined : !decisive;
      }
      default:
        return undefined;
    }
  }

  private intrinsic(key: string, e: LEntry, node: LNode): Resolved {
    const arg = e.value;
    switch (key) {
      case 'Ref':
        return this.ref(arg, node);
      case 'Fn::If':
        return this.fnIf(arg, node);
      case 'Fn::Sub':
        return this.sub(arg, node);
      case 'Fn::Join':
        return this.join(this.resolveOrKeep(arg), node);
      case 'Fn::Select':
        return this.select(this.resolveOrKeep(arg), node);
      case 'Fn::Split':
        return this.split(this.resolveOrKeep(arg), node);
      case 'Fn::FindInMap':
        return this.findInMap(this.resolveOrKeep(arg), node);
      default:
        return wrap(key, e, this.resolveOrKeep(arg), node);
    }
  }

  /** Arguments of a function that stays unresolved: a NO_VALUE argument stays as written. */
  private resolveOrKeep(node: LNode): LNode {
    const r = this.resolve(node);
    return r === NO_VALUE ? node : r;
  }

  private ref(arg: LNode, node: LNode): Resolved {
    const name = text(arg);
    if (name === undefined) return node;
    if (name === 'AWS::NoValue') return NO_VALUE;
    const p = this.ctx.parameters.get(name);
    if (p?.default === undefined || p.type?.startsWith('AWS::SSM::') === true) return node;
    const d = p.default;
    const isList = p.type === 'CommaDelimitedList' || p.type?.startsWith('List<') === true;
    if (isList && d.t === 'scalar' && d.v !== null) {
      const parts = String(d.v)
        .split(',')
        .slice(0, CFN_LIMITS.maxSplit)
        .map((s) => scalar(s.trim(), node.line));
      return { ...seq(parts, node.line), from: [name] };
    }
    return { ...relocate(d, node.line), from: [name] };
  }

  private fnIf(arg: LNode, node: LNode): Resolved {
    if (arg.t !== 'seq' || arg.items.length !== 3) return node;
    const [cond, whenTrue, whenFalse] = arg.items as [LNode, LNode, LNode];
    const name = text(cond);
    const v = name === undefined ? undefined : this.condition(name);
    if (v === true) return this.resolve(whenTrue);
    if (v === false) return this.resolve(whenFalse);
    return map(
      [{ key: 'Fn::If', line: node.line, value: seq([cond, this.resolveOrKeep(whenTrue), this.resolveOrKeep(whenFalse)], arg.line, arg.end) }],
      node.line,
      node.end,
    );
  }

  private sub(arg: LNode, node: LNode): Resolved {
    let template: LNode | undefined = arg;
    let locals: LEntry[] = [];
    if (arg.t === 'seq') {
      template = arg.items[0];
      const vars = arg.items[1];
      if (arg.items.length !== 2 || vars?.t !== 'map') return wrapAll('Fn::Sub', this.resolveOrKeep(arg), node);
      locals = vars.entries.map((v) => ({ key: v.key, line: v.line, value: this.resolveOrKeep(v.value) }));
    }
    const source = text(template);
    if (source === undefined) return wrapAll('Fn::Sub', this.resolveOrKeep(arg), node);
    const used = new Set<string>();
    const params = new Set<string>();
    let unresolved = false;
    const lookup = (name: string): string | undefined => {
      const local = locals.find((l) => l.key === name);
      const value = local !== undefined ? local.value : this.parameterValue(name);
      const s = value === undefined || value.t !== 'scalar' ? undefined : scalarString(value);
      if (s === undefined || s.includes('${')) {
        unresolved = true;
        if (local !== undefined) used.add(name);
        return undefined;
      }
      for (const p of local === undefined ? [name] : (value?.from ?? [])) params.add(p);
      return s;
    };
    const parts = subParts(source);
    const resolved = parts.map((p) => (p.name === undefined ? p : { ...p, value: lookup(p.name) }));
    if (!unresolved) {
      const out = resolved.map((p) => (p.name === undefined ? p.literal : p.value!)).join('');
      if (out.length > CFN_LIMITS.maxString) return node;
      return params.size === 0 ? scalar(out, node.line, node.end) : { ...scalar(out, node.line, node.end), from: [...params] };
    }
    // Partly known: substitute what is known, keep the rest (and `${!Literal}` escapes) as written.
    const partial = resolved.map((p) => (p.name === undefined ? p.raw : (p.value ?? p.raw))).join('');
    if (partial.length > CFN_LIMITS.maxString) return node;
    const str = scalar(partial, template!.line, template!.end);
    const keep = locals.filter((l) => used.has(l.key));
    const value = keep.length === 0 ? str : seq([str, map(keep, keep[0]!.line)], arg.line, arg.end);
    const sub = map([{ key: 'Fn::Sub', line: node.line, value }], node.line, node.end);
    return params.size === 0 ? sub : { ...sub, from: [...params] };
  }

  /** A parameter's default as a node, when it can be used (not an SSM name). */
  private parameterValue(name: string): LNode | undefined {
    const p = this.ctx.parameters.get(name);
    if (p?.default === undefined || p.type?.startsWith('AWS::SSM::') === true) return undefined;
    return p.default;
  }

  private join(arg: LNode, node: LNode): Resolved {
    if (arg.t === 'seq' && arg.items.length === 2) {
      const delim = scalarString(arg.items[0]) ?? (arg.items[0]?.t === 'scalar' && arg.items[0].v === null ? '' : undefined);
      const list = arg.items[1]!;
      if (delim !== undefined && list.t === 'seq') {
        const strings = list.items.map(scalarString);
        if (strings.every((s): s is string => s !== undefined)) {
          const out = strings.join(delim);
          if (out.length <= CFN_LIMITS.maxString) return withOrigins(scalar(out, node.line, node.end), [list, ...list.items]);
        }
      }
    }
    return wrapAll('Fn::Join', arg, node);
  }

  private select(arg: LNode, node: LNode): Resolved {
    if (arg.t === 'seq' && arg.items.length === 2) {
      const index = scalarString(arg.items[0]);
      const list = arg.items[1]!;
      if (index !== undefined && /^\d{1,9}$/.test(index) && list.t === 'seq') {
        const item = list.items[Number(index)];
        if (item !== undefined) return withOrigins(relocate(item, node.line), [list, item]);
      }
    }
    return wrapAll('Fn::Select', arg, node);
  }

  private split(arg: LNode, node: LNode): Resolved {
    if (arg.t === 'seq' && arg.items.length === 2) {
      const delim = scalarString(arg.items[0]);
      const source = scalarString(arg.items[1]);
      if (delim !== undefined && delim !== '' && source !== undefined) {
        const parts = source.split(delim);
        if (parts.length <= CFN_LIMITS.maxSplit) {
          return seq(
            parts.map((p) => scalar(p, node.line)),
            node.line,
            node.end,
          );
        }
      }
    }
    return wrapAll('Fn::Split', arg, node);
  }

  private findInMap(arg: LNode, node: LNode): Resolved {
    if (arg.t === 'seq' && (arg.items.length === 3 || arg.items.length === 4)) {
      const [m, top, second] = arg.items.slice(0, 3).map(scalarString);
      if (m !== undefined && top !== undefined && second !== undefined) {
        const found = lookupMapping(this.ctx.mappings, m, top, second);
        if (found !== undefined) return relocate(found, node.line);
        const options = arg.items[3];
        const fallback = options?.t === 'map' ? options.entries.find((x) => x.key === 'DefaultValue')?.value : undefined;
        if (fallback !== undefined) return fallback;
      }
    }
    return wrapAll('Fn::FindInMap', arg, node);
  }
}

function lookupMapping(mappings: LNode | undefined, name: string, top: string, second: string): LNode | undefined {
  const find = (n: LNode | undefined, key: string): LNode | undefined =>
    n?.t === 'map' ? n.entries.find((e) => e.key === key)?.value : undefined;
  return find(find(find(mappings, name), top), second);
}

/** `node` marked as resolved from the parameters the `sources` were resolved from. */
function withOrigins(node: LNode, sources: readonly LNode[]): LNode {
  const from = new Set(sources.flatMap((n) => n.from ?? []));
  return from.size === 0 ? node : { ...node, from: [...from] };
}

function wrap(key: string, e: LEntry, value: LNode, node: LNode): LNode {
  return map([{ key, line: e.line, value }], node.line, node.end);
}

function wrapAll(key: string, value: LNode, node: LNode): LNode {
  return map([{ key, line: node.line, value }], node.line, node.end);
}

export interface SubPart {
  /** Literal text (`${!X}` escapes already turned into `${X}`). */
  readonly literal: string;
  /** The text as written. */
  readonly raw: string;
  /** A variable name (`Param`, `Resource.Attr`, `AWS::Region`); undefined for literal text. */
  readonly name?: string;
  readonly value?: string | undefined;
}

/** Splits an `Fn::Sub` string into literal text and `${Name}` variables. Linear. */
export function subParts(s: string): SubPart[] {
  const out: SubPart[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('${', i);
    const close = open === -1 ? -1 : s.indexOf('}', open + 2);
    if (open === -1 || close === -1) {
      out.push({ literal: s.slice(i), raw: s.slice(i) });
      break;
    }
    if (open > i) out.push({ literal: s.slice(i, open), raw: s.slice(i, open) });
    const inner = s.slice(open + 2, close);
    const raw = s.slice(open, close + 1);
    if (inner.startsWith('!')) out.push({ literal: `\${${inner.slice(1)}}`, raw });
    else out.push({ literal: raw, raw, name: inner.trim() });
    i = close + 1;
  }
  return out;
}

/**
 * Logical ids of other resources a (resolved) value names: `Ref`, `Fn::GetAtt` (list or
 * `A.B` string) and `${Name}` / `${Name.Attr}` inside `Fn::Sub` (local variables excluded).
 */
export function collectRefs(node: LNode, resources: ReadonlySet<string>, self: string): string[] {
  const found = new Set<string>();
  const add = (id: string | undefined): void => {
    if (id !== undefined && id !== self && resources.has(id)) found.add(id);
  };
  const stack: LNode[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.t === 'seq') {
      stack.push(...n.items);
      continue;
    }
    if (n.t !== 'map') continue;
    const key = soleKey(n);
    const arg = n.entries[0]?.value;
    if (key === 'Ref') add(text(arg));
    else if (key === 'Fn::GetAtt' && arg !== undefined) {
      const first = arg.t === 'seq' ? text(arg.items[0]) : text(arg)?.split('.', 1)[0];
      add(first);
    } else if (key === 'Fn::Sub' && arg !== undefined) {
      const tpl = arg.t === 'seq' ? text(arg.items[0]) : text(arg);
      const vars = arg.t === 'seq' ? arg.items[1] : undefined;
      const locals = new Set(vars?.t === 'map' ? vars.entries.map((v) => v.key) : []);
      for (const p of subParts(tpl ?? '')) {
        if (p.name !== undefined && !locals.has(p.name)) add(p.name.split('.', 1)[0]);
      }
    }
    for (const e of n.entries) stack.push(e.value);
  }
  return [...found];
}
