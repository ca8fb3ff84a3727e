/**
 * The few shapes most AWS service checks take, written once: a flag that must be on (or off),
 * a setting that must be present, a nested block. Values the input could not resolve
 * (`${…}`, CloudFormation intrinsics) are unknown and never reported.
 */
import { at, blocks, bool, isObject, isUnresolved, num } from '../../../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../../../model.js';
import { violation } from '../../../../rule.js';

export type Attrs = Readonly<Record<string, unknown>>;

export const isAbsent = (v: unknown): boolean => v === undefined || v === null;

/** Absent, null, an empty string, list or object. */
export function isEmpty(v: unknown): boolean {
  if (isAbsent(v)) return true;
  if (typeof v === 'string') return v.trim() === '';
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

/** A boolean as written, YAML 1.1 spellings (`Yes`, `off`) included as CloudFormation reads them. */
export function flag(v: unknown): boolean | undefined {
  const b = bool(v);
  if (b !== undefined || typeof v !== 'string') return b;
  const s = v.trim().toLowerCase();
  return s === 'yes' || s === 'on' ? true : s === 'no' || s === 'off' ? false : undefined;
}

/** `path` must be true; an absent value is the service default `whenAbsent`. */
export function requireTrue(attrs: Attrs, path: AttrPath, message: string, whenAbsent = false): Violation[] {
  const v = at(attrs, path);
  if (isAbsent(v)) return whenAbsent ? [] : [violation(path, message)];
  if (isUnresolved(v)) return [];
  return flag(v) === false ? [violation(path, message)] : [];
}

/** `path` must not be true; an absent value is the service default `whenAbsent`. */
export function forbidTrue(attrs: Attrs, path: AttrPath, message: string, whenAbsent = false): Violation[] {
  const v = at(attrs, path);
  if (isAbsent(v)) return whenAbsent ? [violation(path, message)] : [];
  return flag(v) === true ? [violation(path, message)] : [];
}

/** `path` must hold a value (a reference counts: it is set, just not known). */
export function requireSet(attrs: Attrs, path: AttrPath, message: string): Violation[] {
  return isEmpty(at(attrs, path)) ? [violation(path, message)] : [];
}

/** A number at `path` must be at least `min`; absent is `whenAbsent` (undefined: not checked). */
export function requireAtLeast(attrs: Attrs, path: AttrPath, min: number, message: string, whenAbsent?: number): Violation[] {
  const v = at(attrs, path);
  if (isAbsent(v)) return whenAbsent !== undefined && whenAbsent < min ? [violation(path, message)] : [];
  const n = num(v);
  return n !== undefined && n < min ? [violation(path, message)] : [];
}

/** A string at `path`, compared case-insensitively; undefined when absent or unresolved. */
export function lower(attrs: Attrs, path: AttrPath): string | undefined {
  const v = at(attrs, path);
  return typeof v === 'string' && !isUnresolved(v) ? v.trim().toLowerCase() : undefined;
}

/** Path of the first instance of nested block `name` (`[name, 0]`, or `[name]` for a plan's object). */
export function blockPath(attrs: Attrs, name: string): AttrPath {
  return Array.isArray(attrs[name]) ? [name, 0] : [name];
}

/** The first instance of nested block `name` and its path, or undefined when absent. */
export function firstBlock(attrs: Attrs, name: string): { block: Attrs; path: AttrPath } | undefined {
  const b = blocks(attrs[name])[0];
  return b === undefined ? undefined : { block: b, path: blockPath(attrs, name) };
}

/** Every instance of nested block `name` with its path. */
export function eachBlock(attrs: Attrs, name: string): { block: Attrs; path: AttrPath }[] {
  const v = attrs[name];
  if (Array.isArray(v)) return v.flatMap((b, i) => (isObject(b) ? [{ block: b, path: [name, i] }] : []));
  return isObject(v) ? [{ block: v, path: [name] }] : [];
}

/** `[...base, ...rest]`, typed. */
export const join = (base: AttrPath, ...rest: (string | number)[]): AttrPath => [...base, ...rest];

/** The other resource a Terraform reference string (`aws_x.y.id`) or CloudFormation Ref names. */
export function referenced(r: Resource, value: unknown, kinds: readonly string[], byId: (id: string) => Resource | undefined): Resource | undefined {
  if (typeof value === 'string') {
    const prefix = /^(?:module\.[\w-]+(?:\[[^\]]{0,200}\])?\.)*/.exec(r.id)?.[0] ?? '';
    for (const ref of r.refs) {
      const target = byId(ref);
      const local = ref.startsWith(prefix) ? ref.slice(prefix.length) : ref;
      if (target !== undefined && kinds.includes(target.kind) && value.includes(`${local}.`)) return target;
    }
    return undefined;
  }
  if (isObject(value)) {
    const ref = value['Ref'] ?? (Array.isArray(value['Fn::GetAtt']) ? (value['Fn::GetAtt'] as unknown[])[0] : undefined);
    const target = typeof ref === 'string' ? byId(ref) : undefined;
    return target !== undefined && kinds.includes(target.kind) ? target : undefined;
  }
  return undefined;
}
