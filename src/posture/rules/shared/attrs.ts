/**
 * Reading Terraform attributes in cloud rules: nested blocks with the attribute path of each
 * (`[key, i]` for a block list, `[key]` for an object written as `key = { … }`), and the common
 * checks "this boolean must be X (the provider default is Y)" and "this value must not be one
 * of these". Unresolved expressions are unknown and never fail.
 */
import { at, blocks, bool, isObject, isUnresolved, str } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import { violation } from '../../rule.js';

export interface Located {
  readonly block: Record<string, unknown>;
  readonly path: AttrPath;
}

/** The blocks under `key` of `parent` (whose own path is `base`), each with its path. */
export function blocksAt(parent: unknown, key: string, base: AttrPath = []): Located[] {
  const v = isObject(parent) ? parent[key] : undefined;
  if (Array.isArray(v)) {
    const out: Located[] = [];
    v.forEach((b, i) => {
      if (isObject(b)) out.push({ block: b, path: [...base, key, i] });
    });
    return out;
  }
  return blocks(v).map((block) => ({ block, path: [...base, key] }));
}

/** The first block under `key`, or undefined. */
export function firstBlock(parent: unknown, key: string, base: AttrPath = []): Located | undefined {
  return blocksAt(parent, key, base)[0];
}

/** A value as written, undefined when absent; unresolved expressions stay as they are. */
export function attr(r: Resource, path: AttrPath): unknown {
  return at(r.attrs, path);
}

export const known = (v: unknown): boolean => v !== undefined && v !== null && !isUnresolved(v);

/** A string value lower-cased, undefined when absent or unresolved. */
export function lower(v: unknown): string | undefined {
  if (!known(v)) return undefined;
  return str(v)?.trim().toLowerCase();
}

/**
 * The boolean at `path` must equal `want`. When the key is absent the provider default
 * `fallback` applies (pass when it equals `want`, else a violation naming the missing key).
 */
export function requireBool(
  r: Resource,
  path: AttrPath,
  want: boolean,
  fallback: boolean | undefined,
  what: string,
): Violation[] {
  const v = at(r.attrs, path);
  const key = String(path[path.length - 1]);
  if (v === undefined || v === null) {
    return fallback === undefined || fallback === want ? [] : [violation(path, `${key} is not set and defaults to ${String(fallback)}: ${what}`)];
  }
  if (isUnresolved(v)) return [];
  const b = bool(v);
  return b === undefined || b === want ? [] : [violation(path, `${key} is ${String(b)}: ${what}`)];
}

/** The string at `path` (case-insensitive) must not be one of `bad`. */
export function forbidValues(r: Resource, path: AttrPath, bad: readonly string[], what: string): Violation[] {
  const v = lower(at(r.attrs, path));
  if (v === undefined || !bad.includes(v)) return [];
  return [violation(path, `${String(path[path.length - 1])} is "${str(at(r.attrs, path)) ?? ''}": ${what}`)];
}

/** True when any value in a list attribute (or a single value) is one of `values`. */
export function listHas(v: unknown, values: readonly string[]): boolean {
  const items = Array.isArray(v) ? v : [v];
  return items.some((x) => typeof x === 'string' && values.includes(x.trim()));
}

/** A value for a message: strings, numbers and booleans as written, anything else as JSON. */
export function show(v: unknown): string {
  return str(v) ?? JSON.stringify(v) ?? 'undefined';
}
