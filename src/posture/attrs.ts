/**
 * Reading resource attributes the same way across inputs. Terraform HCL keeps expressions it
 * could not resolve as `${…}` strings (the hcl2json / Checkov convention); nested blocks are
 * arrays of objects in HCL and plan JSON alike (a single-nested block may be an object in a
 * plan, so `blocks` accepts both). CloudFormation intrinsics that could not be resolved stay as
 * their `{ "Ref": … }` / `{ "Fn::…": … }` objects.
 */
import type { AttrPath } from './model.js';

export function at(value: unknown, path: AttrPath): unknown {
  let cur: unknown = value;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur)) {
      if (typeof key !== 'number') return undefined;
      cur = cur[key];
    } else {
      if (typeof key !== 'string' || !Object.hasOwn(cur, key)) return undefined;
      cur = (cur as Record<string, unknown>)[key];
    }
  }
  return cur;
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Nested blocks as an array of objects (with their index), whatever the input's shape. */
export function blocks(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

/** An expression the adapter could not resolve (`${var.x}`, a CloudFormation intrinsic). */
export function isUnresolved(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('${');
  if (isObject(v)) {
    const keys = Object.keys(v);
    return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::'));
  }
  return false;
}

/** A boolean as written (`true`, `"true"`, `"True"`); undefined when absent or not boolean. */
export function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'true') return true;
    if (s === 'false') return false;
  }
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

/** A list attribute as an array (a scalar is a one-element list, absent is empty). */
export function list(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}
