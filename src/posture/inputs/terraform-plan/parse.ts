/**
 * `terraform show -json` output (a saved plan, or state) → `tf:*` resources with the same kinds,
 * addresses and attribute shapes as the HCL input, so one rule gives the same finding on `.tf`
 * and on its plan.
 *
 * Resources come from `planned_values.root_module` and its `child_modules` (state: `values`).
 * attrs = `values` with nulls left out (as the HCL input leaves out unset attributes); values the
 * plan does not know yet (`after_unknown` in `resource_changes`) are the string `${unknown}`.
 * refs come from the `references` of the resource's `configuration` expressions. Resources the
 * plan deletes are not returned. Lines come from jsonc-parser offsets into the plan file.
 */
import { getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { InputProblem, Resource } from '../../model.js';
import type { SourceFile } from '../types.js';
import { LIMITS } from '../terraform/limits.js';
import { lineAt, lineFinder, lineStarts, type LineNode } from '../terraform/lines.js';
import { providerOfType, stripResourceIndex } from '../terraform/names.js';
import { configResourceSchema, plannedResourceSchema, resourceChangeSchema, type PlannedResource } from './schema.js';

export const UNKNOWN_VALUE = '${unknown}';

function prop(n: Node | undefined, key: string): Node | undefined {
  if (n?.type !== 'object') return undefined;
  for (const p of n.children ?? []) if (p.children?.[0]?.value === key) return p.children[1];
  return undefined;
}

function items(n: Node | undefined): Node[] {
  return n?.type === 'array' ? (n.children ?? []) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setKey(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}

class TooDeep extends Error {}

/** A JSON node → value (nulls in objects left out) and its line tree. */
function read(n: Node, starts: readonly number[], depth: number): { value: unknown; lines: LineNode } {
  if (depth > LIMITS.maxDepth) throw new TooDeep();
  const lines: LineNode = { l: lineAt(starts, n.offset) };
  if (n.type === 'array') {
    const value: unknown[] = [];
    lines.c = new Map();
    for (const c of n.children ?? []) {
      const r = read(c, starts, depth + 1);
      lines.c.set(value.length, r.lines);
      value.push(r.value);
    }
    return { value, lines };
  }
  if (n.type === 'object') {
    const value: Record<string, unknown> = {};
    lines.c = new Map();
    for (const p of n.children ?? []) {
      const [k, v] = p.children ?? [];
      if (k === undefined || v === undefined || typeof k.value !== 'string' || v.type === 'null') continue;
      const r = read(v, starts, depth + 1);
      setKey(value, k.value, r.value);
      lines.c.set(k.value, { l: lineAt(starts, k.offset), ...(r.lines.c ? { c: r.lines.c } : {}) });
    }
    return { value, lines };
  }
  return { value: n.value as unknown, lines };
}

/** Mark what `after_unknown` says is not known yet. */
function mergeUnknown(v: unknown, u: unknown, depth: number): unknown {
  if (depth > LIMITS.maxDepth) return v;
  if (u === true) return v === undefined ? UNKNOWN_VALUE : v;
  if (Array.isArray(u) && Array.isArray(v)) return v.map((x, i) => mergeUnknown(x, u[i], depth + 1));
  if (isRecord(u) && isRecord(v)) {
    const out: Record<string, unknown> = { ...v };
    for (const [k, spec] of Object.entries(u)) {
      const m = mergeUnknown(v[k], spec, depth + 1);
      if (m !== undefined) setKey(out, k, m);
    }
    return out;
  }
  return v;
}

/** `module.a[0].module.b["x"]` → ['a', 'b']. */
export function moduleNames(prefix: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (prefix.startsWith('module.', i)) {
    i += 7;
    let name = '';
    while (i < prefix.length && prefix[i] !== '.' && prefix[i] !== '[') name += prefix[i++];
    out.push(name);
    if (prefix[i] === '[') {
      let inString = false;
      for (; i < prefix.length; i++) {
        const c = prefix[i];
        if (inString) {
          if (c === '\\') i++;
          else if (c === '"') inString = false;
        } else if (c === '"') inString = true;
        else if (c === ']') {
          i++;
          break;
        }
      }
    }
    if (prefix[i] === '.') i++;
  }
  return out;
}

/** A configuration reference (`aws_kms_key.k.arn`, `data.x.y`, `module.m.out`) → an address. */
export function referenceAddress(ref: string): string | undefined {
  const parts = ref.split('.').map((p) => stripResourceIndex(p));
  const root = parts[0] ?? '';
  if (['var', 'local', 'count', 'each', 'path', 'terraform', 'self'].includes(root)) return undefined;
  if (root === 'data') return parts.length >= 3 ? parts.slice(0, 3).join('.') : undefined;
  if (root === 'module') return parts.length >= 2 ? parts.slice(0, 2).join('.') : undefined;
  return root.includes('_') && parts.length >= 2 ? parts.slice(0, 2).join('.') : undefined;
}

function collectReferences(v: unknown, out: Set<string>, depth: number): void {
  if (depth > LIMITS.maxDepth) return;
  if (Array.isArray(v)) for (const x of v) collectReferences(x, out, depth + 1);
  else if (isRecord(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (k === 'references' && Array.isArray(x)) {
        for (const r of x) {
          const a = typeof r === 'string' ? referenceAddress(r) : undefined;
          if (a !== undefined) out.add(a);
        }
      } else collectReferences(x, out, depth + 1);
    }
  }
}

interface ConfigEntry {
  readonly refs: Set<string>;
  readonly providerKey: string | undefined;
}

/** configuration.root_module (and module_calls) → `names|address` → refs and provider key. */
function configIndex(mod: unknown, names: string, out: Map<string, ConfigEntry>, depth: number): void {
  if (!isRecord(mod) || depth > LIMITS.maxModuleDepth) return;
  for (const r of Array.isArray(mod['resources']) ? mod['resources'] : []) {
    const parsed = configResourceSchema.safeParse(r);
    if (!parsed.success) continue;
    const refs = new Set<string>();
    collectReferences(parsed.data.expressions, refs, 0);
    collectReferences(parsed.data['count_expression'], refs, 0);
    collectReferences(parsed.data['for_each_expression'], refs, 0);
    out.set(`${names}|${parsed.data.address}`, { refs, providerKey: parsed.data.provider_config_key });
  }
  const calls = mod['module_calls'];
  if (isRecord(calls)) {
    for (const [name, call] of Object.entries(calls)) {
      if (isRecord(call)) configIndex(call['module'], names === '' ? name : `${names}.${name}`, out, depth + 1);
    }
  }
}

function providerRegions(config: unknown): Map<string, string> {
  const out = new Map<string, string>();
  const pc = isRecord(config) ? config['provider_config'] : undefined;
  if (!isRecord(pc)) return out;
  for (const [key, p] of Object.entries(pc)) {
    const region = isRecord(p) && isRecord(p['expressions']) && isRecord(p['expressions']['region']) ? p['expressions']['region']['constant_value'] : undefined;
    if (typeof region === 'string') out.set(key, region);
  }
  return out;
}

export function parsePlan(file: SourceFile): { resources: Resource[]; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const resources: Resource[] = [];
  if (file.text.length > LIMITS.maxFileChars * 16) {
    return { resources, problems: [{ path: file.path, reason: `plan larger than ${LIMITS.maxFileChars * 16} characters; not read` }] };
  }
  const starts = lineStarts(file.text);
  const errors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(file.text, errors, { allowTrailingComma: false, disallowComments: true });
  } catch (err: unknown) {
    if (!(err instanceof RangeError)) throw err;
    return { resources, problems: [{ path: file.path, reason: 'JSON nested too deeply to read' }] };
  }
  for (const e of errors.slice(0, LIMITS.maxProblemsPerFile)) problems.push({ path: file.path, line: lineAt(starts, e.offset), reason: `invalid JSON: ${printParseErrorCode(e.error)}` });
  if (errors.length > 0) return { resources, problems };
  const top = prop(root, 'planned_values') ?? prop(root, 'values');
  const rootModule = prop(top, 'root_module');
  if (rootModule === undefined) {
    problems.push({ path: file.path, line: 1, reason: 'not a Terraform plan or state: no planned_values.root_module (expected `terraform show -json` output)' });
    return { resources, problems };
  }
  const safeValue = (n: Node | undefined): unknown => {
    try {
      return n === undefined ? undefined : (getNodeValue(n) as unknown);
    } catch {
      return undefined;
    }
  };
  const unknowns = new Map<string, unknown>();
  const deleted = new Set<string>();
  for (const rc of items(prop(root, 'resource_changes'))) {
    const parsed = resourceChangeSchema.safeParse(safeValue(rc));
    if (!parsed.success) continue;
    const actions = parsed.data.change.actions ?? [];
    if (actions.length === 1 && actions[0] === 'delete') deleted.add(parsed.data.address);
    if (parsed.data.change.after_unknown !== undefined) unknowns.set(parsed.data.address, parsed.data.change.after_unknown);
  }
  const configuration = safeValue(prop(root, 'configuration'));
  const config = new Map<string, ConfigEntry>();
  configIndex(isRecord(configuration) ? configuration['root_module'] : undefined, '', config, 0);
  const regions = providerRegions(configuration);

  const visit = (mod: Node, prefix: string, depth: number): void => {
    if (depth > LIMITS.maxModuleDepth) {
      problems.push({ path: file.path, line: lineAt(starts, mod.offset), reason: `modules nested more than ${LIMITS.maxModuleDepth} deep; ${prefix.slice(0, -1)} not read` });
      return;
    }
    for (const rn of items(prop(mod, 'resources'))) {
      if (resources.length >= LIMITS.maxResources) {
        problems.push({ path: file.path, line: lineAt(starts, rn.offset), reason: `more than ${LIMITS.maxResources} resources; the rest are not read` });
        return;
      }
      const line = lineAt(starts, rn.offset);
      const head: Record<string, unknown> = {};
      for (const key of ['address', 'mode', 'type', 'name', 'index', 'provider_name']) {
        const v = prop(rn, key);
        if (v !== undefined) head[key] = v.value;
      }
      const parsed = plannedResourceSchema.safeParse(head);
      if (!parsed.success) {
        problems.push({ path: file.path, line, reason: `planned resource: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
        continue;
      }
      if (deleted.has(parsed.data.address)) continue;
      try {
        resources.push(toResource(file, parsed.data, rn, prefix, starts, line, { unknowns, config, regions }));
      } catch (err: unknown) {
        if (!(err instanceof TooDeep)) throw err;
        problems.push({ path: file.path, line, reason: `values of ${parsed.data.address} nested deeper than ${LIMITS.maxDepth} levels; resource not read` });
      }
    }
    for (const child of items(prop(mod, 'child_modules'))) {
      const address = prop(child, 'address')?.value as unknown;
      if (typeof address === 'string') visit(child, `${address}.`, depth + 1);
    }
  };
  visit(rootModule, '', 0);
  return { resources, problems };
}

function toResource(
  file: SourceFile,
  r: PlannedResource,
  rn: Node,
  prefix: string,
  starts: readonly number[],
  line: number,
  idx: { unknowns: Map<string, unknown>; config: Map<string, ConfigEntry>; regions: Map<string, string> },
): Resource {
  const valuesNode = prop(rn, 'values');
  const read0 = valuesNode === undefined ? { value: {}, lines: { l: line } } : read(valuesNode, starts, 0);
  const merged = mergeUnknown(isRecord(read0.value) ? read0.value : {}, idx.unknowns.get(r.address), 0);
  const attrs = isRecord(merged) ? merged : {};
  const lines: LineNode = { l: line, ...(read0.lines.c ? { c: read0.lines.c } : {}) };
  const data = r.mode === 'data';
  const names = moduleNames(prefix).join('.');
  const entry = idx.config.get(`${names}|${data ? 'data.' : ''}${r.type}.${r.name}`);
  const self = `${prefix}${data ? 'data.' : ''}${r.type}.${r.name}`;
  const refs = [...(entry?.refs ?? [])].map((a) => prefix + a).filter((a) => a !== self);
  const own = [attrs['region'], attrs['location']].find((v): v is string => typeof v === 'string' && !v.includes('${'));
  // A module's key (`users:aws`) falls back to the inherited default provider (`aws`).
  const pk = entry?.providerKey;
  const region = own ?? (pk === undefined ? undefined : (idx.regions.get(pk) ?? idx.regions.get(pk.slice(pk.lastIndexOf(':') + 1))));
  return {
    kind: `tf:${data ? 'data.' : ''}${r.type}`,
    input: 'terraform-plan',
    provider: providerOfType(r.type),
    type: r.type,
    id: r.address,
    name: r.name,
    region,
    file: file.path,
    line,
    endLine: lineAt(starts, rn.offset + Math.max(0, rn.length - 1)),
    attrs,
    lineOf: lineFinder(attrs, lines),
    refs,
    suppressions: [],
    meta: { address: self, module: prefix.slice(0, -1), mode: data ? 'data' : 'managed', ...(r.index === undefined ? {} : { key: r.index }), plan: true },
  };
}
