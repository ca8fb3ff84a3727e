/**
 * Kubernetes label selectors (matchLabels + matchExpressions), evaluated against a label map
 * as the API server does: every requirement must hold; an empty selector matches everything.
 */
import { isObject } from '../../../attrs.js';

export type Labels = Readonly<Record<string, unknown>>;

function requirement(expr: unknown, labels: Labels): boolean {
  if (!isObject(expr)) return false;
  const key = expr['key'];
  if (typeof key !== 'string') return false;
  const values = Array.isArray(expr['values']) ? expr['values'].map(String) : [];
  const has = Object.hasOwn(labels, key);
  const value = has ? String(labels[key]) : undefined;
  switch (expr['operator']) {
    case 'In':
      return has && values.includes(value!);
    case 'NotIn':
      return !has || !values.includes(value!);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/**
 * Whether `selector` (a LabelSelector) selects `labels`. `undefined` for a missing selector lets
 * callers choose (a NetworkPolicy without podSelector is invalid; treat as no match).
 */
export function selects(selector: unknown, labels: Labels): boolean {
  if (!isObject(selector)) return false;
  const matchLabels = selector['matchLabels'];
  if (isObject(matchLabels)) {
    for (const [k, v] of Object.entries(matchLabels)) {
      if (!Object.hasOwn(labels, k) || String(labels[k]) !== String(v)) return false;
    }
  }
  const exprs = selector['matchExpressions'];
  if (Array.isArray(exprs) && !exprs.every((e) => requirement(e, labels))) return false;
  return true;
}

/** A Service-style selector (a plain label map): selects when every pair is in `labels`. */
export function mapSelects(selector: unknown, labels: Labels): boolean {
  if (!isObject(selector) || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && String(labels[k]) === String(v));
}
