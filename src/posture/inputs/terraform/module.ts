/**
 * One module instance (the root module of a directory, or a local child module called with
 * arguments): its variables, locals, resources, data sources, providers and module calls,
 * evaluated into Resources. Child modules in the same scan are evaluated recursively with the
 * module block's arguments as variables and `module.NAME[KEY].` prefixed to every address.
 */
import type { Resource } from '../../model.js';
import { suppressionsFor } from '../../suppress/inline.js';
import type { Attribute, Block, Expr, ParsedFile } from './ast.js';
import { evalBody, type BodyContext } from './body.js';
import { lineFinder } from './lines.js';
import { Evaluator, type Frame, type Meter, type Namespace } from './eval.js';
import { LIMITS } from './limits.js';
import { instanceKey, providerOfType } from './names.js';
import { syntacticRefs } from './refs.js';
import { asBool, asNumber, asString, EvalError, hasUnknown, isList, isObj, sortedKeys, Unknown, UnknownPart, type Val } from './value.js';

export interface ModuleDef {
  /** Directory relative to the scan root, `/`-separated, '' for the root. */
  readonly dir: string;
  readonly files: readonly ParsedFile[];
}

export interface ScanContext {
  readonly meter: Meter;
  readonly out: Resource[];
  module(dir: string): ModuleDef | undefined;
  problem(path: string, line: number | undefined, reason: string): void;
  /** Resources still allowed in this parse (LIMITS.maxResources). */
  remaining: number;
}

interface Def<T> {
  readonly file: string;
  readonly node: T;
}

const MODULE_META = new Set(['source', 'version', 'count', 'for_each', 'providers', 'depends_on']);
const INSTANCE_META = new Set(['count', 'for_each']);

function pick<T>(defs: readonly Def<T>[] | undefined, file: string): Def<T> | undefined {
  return defs?.find((d) => d.file === file) ?? defs?.[0];
}

function push<T>(m: Map<string, Def<T>[]>, name: string, def: Def<T>): void {
  const list = m.get(name);
  if (list === undefined) m.set(name, [def]);
  else list.push(def);
}

/** Resolve `./x` / `../x` against `dir`; undefined when it leaves the scan root. */
export function resolveSource(dir: string, source: string): string | undefined {
  const parts = dir === '' ? [] : dir.split('/');
  for (const seg of source.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  return parts.join('/');
}

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../') || source === '.' || source === '..';
}

interface Instance {
  readonly key: string | number | undefined;
  readonly frame: Frame;
}

export class ModuleInstance implements Namespace {
  private readonly vars = new Map<string, Def<Block>[]>();
  private readonly locals = new Map<string, Def<Attribute>[]>();
  private readonly localMemo = new Map<Attribute, Val>();
  private readonly inProgress = new Set<Attribute>();
  private readonly varMemo = new Map<Block, Val>();
  private readonly declared = new Set<string>();
  private readonly filesByPath: Map<string, ParsedFile>;
  private readonly ev: Evaluator;
  readonly modulePath: string;

  constructor(
    private readonly scan: ScanContext,
    private readonly def: ModuleDef,
    readonly prefix: string,
    private readonly inputs: ReadonlyMap<string, Val>,
    private readonly regions: Map<string, string>,
    private readonly stack: readonly string[],
  ) {
    this.ev = new Evaluator(this, scan.meter);
    this.modulePath = def.dir === '' ? '.' : def.dir;
    this.filesByPath = new Map(def.files.map((f) => [f.path, f]));
    for (const file of def.files) {
      for (const item of file.body) {
        if (item.k !== 'block') continue;
        const [a, b] = item.labels;
        if (item.type === 'variable' && a !== undefined) push(this.vars, a, { file: file.path, node: item });
        else if (item.type === 'locals') for (const l of item.body) if (l.k === 'attr') push(this.locals, l.name, { file: file.path, node: l });
        if (item.type === 'resource' && b !== undefined) this.declared.add(`${a}.${b}`);
        if (item.type === 'data' && b !== undefined) this.declared.add(`data.${a}.${b}`);
        if (item.type === 'module' && a !== undefined) this.declared.add(`module.${a}`);
      }
    }
  }

  variable(name: string, frame: Frame): Val | undefined {
    const d = pick(this.vars.get(name), frame.file);
    if (d === undefined) return undefined;
    const memo = this.varMemo.get(d.node);
    if (memo !== undefined) return memo;
    const attr = (n: string): Attribute | undefined => d.node.body.find((x): x is Attribute => x.k === 'attr' && x.name === n);
    let v = this.inputs.get(name);
    this.varMemo.set(d.node, new Unknown('${var.' + name + '}')); // a default that refers to itself
    // An explicit null overrides the default unless the variable says `nullable = false`.
    const nullable = attr('nullable')?.e;
    if (v === null && nullable?.k === 'lit' && nullable.v === false) v = undefined;
    if (v === undefined) {
      const dflt = attr('default');
      v = dflt === undefined ? new Unknown('${var.' + name + '}') : this.safeEval(dflt.e, { file: d.file }, 'var.' + name);
    }
    v = convertType(v, attr('type')?.e);
    this.varMemo.set(d.node, v);
    return v;
  }

  local(name: string, frame: Frame): Val | undefined {
    const d = pick(this.locals.get(name), frame.file);
    if (d === undefined) return undefined;
    const memo = this.localMemo.get(d.node);
    if (memo !== undefined) return memo;
    if (this.inProgress.has(d.node)) return new Unknown('${local.' + name + '}');
    this.inProgress.add(d.node);
    try {
      const v = this.safeEval(d.node.e, { file: d.file }, 'local.' + name);
      this.localMemo.set(d.node, v);
      return v;
    } finally {
      this.inProgress.delete(d.node);
    }
  }

  /** Evaluate inside another evaluation: Terraform-level errors make the value unknown. */
  private safeEval(e: Expr, frame: Frame, name: string): Val {
    try {
      return this.ev.eval(e, frame);
    } catch (err: unknown) {
      if (!(err instanceof EvalError || err instanceof UnknownPart)) throw err;
      return new Unknown('${' + name + '}');
    }
  }

  /** Evaluate every block of the module into scan.out. */
  build(): void {
    const blocks: Def<Block>[] = [];
    for (const file of this.def.files) for (const item of file.body) if (item.k === 'block') blocks.push({ file: file.path, node: item });
    for (const b of blocks) if (b.node.type === 'provider') this.provider(b);
    for (const b of blocks) {
      if (this.scan.remaining <= 0) return;
      const { type, labels } = b.node;
      if ((type === 'resource' || type === 'data') && labels.length === 2) this.resource(b, type === 'data');
      else if (type === 'module' && labels.length === 1) this.moduleCall(b);
    }
  }

  private problem(file: string, line: number, reason: string): void {
    this.scan.problem(file, line, reason);
  }

  private ctx(file: string, refs: Set<string>): BodyContext {
    return { ev: this.ev, refs, problem: (line, reason) => this.problem(file, line, reason) };
  }

  private attr(block: Block, name: string): Attribute | undefined {
    return block.body.find((x): x is Attribute => x.k === 'attr' && x.name === name);
  }

  private provider(b: Def<Block>): void {
    const name = b.node.labels[0]!;
    const frame: Frame = { file: b.file };
    const refs = new Set<string>();
    const body = evalBody(this.ctx(b.file, refs), b.node.body, frame, INSTANCE_META, b.node.line);
    const alias = typeof body.attrs['alias'] === 'string' ? body.attrs['alias'] : undefined;
    const region = knownString(body.attrs['region']);
    const key = alias === undefined ? name : `${name}.${alias}`;
    if (region !== undefined) this.regions.set(key, region);
    this.emit({
      b, kind: `tf:provider.${name}`, type: `provider.${name}`, name, id: `${this.prefix}provider.${key}`,
      attrs: body.attrs, lines: body.lines, refs, region, meta: { module: this.prefix.slice(0, -1) },
    });
  }

  private resource(b: Def<Block>, data: boolean): void {
    const [type, name] = b.node.labels as [string, string];
    const base = `${this.prefix}${data ? 'data.' : ''}${type}.${name}`;
    const providerExpr = this.attr(b.node, 'provider')?.e.t;
    const written = syntacticRefs(b.node.body, this.declared);
    for (const inst of this.instances(b)) {
      if (this.scan.remaining <= 0) return;
      const refs = new Set<string>();
      const body = evalBody(this.ctx(b.file, refs), b.node.body, inst.frame, INSTANCE_META, b.node.line);
      for (const r of written) refs.add(this.prefix + r);
      const region = knownString(body.attrs['region']) ?? knownString(body.attrs['location']) ?? this.regions.get(providerExpr ?? type.split('_')[0]!);
      this.emit({
        b, kind: `tf:${data ? 'data.' : ''}${type}`, type, name, id: base + instanceKey(inst.key),
        attrs: body.attrs, lines: body.lines, refs, region,
        meta: { address: base, module: this.prefix.slice(0, -1), mode: data ? 'data' : 'managed', ...(inst.key === undefined ? {} : { key: inst.key }) },
      });
    }
  }

  private moduleCall(b: Def<Block>): void {
    const name = b.node.labels[0]!;
    const srcAttr = this.attr(b.node, 'source');
    const source = srcAttr === undefined ? undefined : knownString(this.ev.attribute(srcAttr.e, { file: b.file }, () => undefined));
    const local = source !== undefined && isLocalSource(source);
    const dir = local ? resolveSource(this.def.dir, source) : undefined;
    const child = dir === undefined ? undefined : this.scan.module(dir);
    for (const inst of this.instances(b)) {
      if (this.scan.remaining <= 0) return;
      const refs = new Set<string>();
      const body = evalBody(this.ctx(b.file, refs), b.node.body, inst.frame, INSTANCE_META, b.node.line);
      for (const r of syntacticRefs(b.node.body, this.declared)) refs.add(this.prefix + r);
      const prefix = `${this.prefix}module.${name}${instanceKey(inst.key)}.`;
      this.emit({
        b, kind: 'tf:module', type: 'module', name, id: prefix.slice(0, -1), attrs: body.attrs, lines: body.lines, refs, region: undefined,
        meta: { source: source ?? null, local, resolved: child !== undefined, module: this.prefix.slice(0, -1) },
      });
      if (child === undefined || dir === undefined) {
        if (local) this.problem(b.file, b.node.line, `module "${name}": source ${JSON.stringify(source)} is not in the scanned files`);
        continue;
      }
      if (this.stack.includes(dir) || this.stack.length >= LIMITS.maxModuleDepth) {
        this.problem(b.file, b.node.line, `module "${name}": ${this.stack.includes(dir) ? 'calls itself' : `nested more than ${LIMITS.maxModuleDepth} deep`}; not evaluated`);
        continue;
      }
      const inputs = new Map<string, Val>();
      for (const item of b.node.body) {
        if (item.k !== 'attr' || MODULE_META.has(item.name)) continue;
        inputs.set(item.name, this.ev.attribute(item.e, inst.frame, (r) => this.problem(b.file, item.line, r)));
      }
      new ModuleInstance(this.scan, child, prefix, inputs, new Map(this.regions), [...this.stack, dir]).build();
    }
  }

  /** The instances of a block from its `count` / `for_each` (best effort). */
  private instances(b: Def<Block>): Instance[] {
    const file = b.file;
    const count = this.attr(b.node, 'count');
    const forEach = this.attr(b.node, 'for_each');
    // As written: a counted block is still addressed `[0]` (as Terraform would with count 1).
    const asWritten = (): Instance[] => [{
      key: count !== undefined ? 0 : undefined,
      frame: { file, ...(count ? { count: new Unknown('${count.index}') } : {}), ...(forEach ? { each: { key: new Unknown('${each.key}'), value: new Unknown('${each.value}') } } : {}) },
    }];
    const tooMany = (n: number, what: string): Instance[] => {
      this.problem(file, b.node.line, `${what} gives ${n} instances, more than ${LIMITS.maxInstances}; evaluated as one instance as written`);
      return asWritten();
    };
    if (count !== undefined) {
      const v = this.ev.attribute(count.e, { file }, (r) => this.problem(file, count.line, r));
      if (v === null) return asWritten();
      const n = numberOrUndefined(v);
      if (n === undefined || !Number.isInteger(n) || n < 0) return asWritten();
      if (n > LIMITS.maxInstances) return tooMany(n, 'count');
      return Array.from({ length: n }, (_, i) => ({ key: i, frame: { file, count: i } }));
    }
    if (forEach !== undefined) {
      const v = this.ev.attribute(forEach.e, { file }, (r) => this.problem(file, forEach.line, r));
      if (v instanceof Unknown || v === null) return asWritten();
      if (isObj(v)) {
        const keys = sortedKeys(v);
        if (keys.length > LIMITS.maxInstances) return tooMany(keys.length, 'for_each');
        return keys.map((k) => ({ key: k, frame: { file, each: { key: k, value: v[k]! } } }));
      }
      if (isList(v)) {
        if (v.some((x) => typeof x !== 'string')) return asWritten();
        const keys = [...new Set(v as readonly string[])].sort();
        if (keys.length > LIMITS.maxInstances) return tooMany(keys.length, 'for_each');
        return keys.map((k) => ({ key: k, frame: { file, each: { key: k, value: k } } }));
      }
      return asWritten();
    }
    return [{ key: undefined, frame: { file } }];
  }

  private emit(r: {
    b: Def<Block>;
    kind: Resource['kind'];
    type: string;
    name: string;
    id: string;
    attrs: Record<string, unknown>;
    lines: Parameters<typeof lineFinder>[1];
    refs: Set<string>;
    region: string | undefined;
    meta: Record<string, unknown>;
  }): void {
    if (this.scan.remaining <= 0) return;
    this.scan.remaining--;
    if (this.scan.remaining === 0) this.problem(r.b.file, r.b.node.line, `more than ${LIMITS.maxResources} resources; the rest are not read`);
    const file = this.filesByPath.get(r.b.file);
    this.scan.out.push({
      kind: r.kind,
      input: 'terraform',
      provider: r.kind.startsWith('tf:provider.') ? providerOfType(`${r.name}_`) : providerOfType(r.type),
      type: r.type,
      id: r.id,
      name: r.name,
      region: r.region,
      file: r.b.file,
      line: r.b.node.line,
      endLine: r.b.node.endLine,
      attrs: r.attrs,
      lineOf: lineFinder(r.attrs, r.lines),
      refs: [...r.refs].filter((x) => x !== r.id),
      suppressions: suppressionsFor(file?.comments ?? [], r.b.node.line, r.b.node.endLine),
      meta: r.meta,
    });
  }
}

function knownString(v: unknown): string | undefined {
  return typeof v === 'string' && !v.includes('${') ? v : undefined;
}

function numberOrUndefined(v: Val): number | undefined {
  if (hasUnknown(v)) return undefined;
  try {
    return asNumber(v);
  } catch {
    return undefined;
  }
}

/** Primitive type constraints convert input values as Terraform does (`"true"` → true for bool). */
function convertType(v: Val, type: Expr | undefined): Val {
  if (type?.k !== 'var' || v === null || v instanceof Unknown) return v;
  try {
    if (type.name === 'bool') return asBool(v);
    if (type.name === 'number') return asNumber(v);
    if (type.name === 'string') return asString(v);
  } catch {
    return v;
  }
  return v;
}
