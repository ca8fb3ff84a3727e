/**
 * CloudWatch Logs JSON filter patterns (`{ ($.eventName = ConsoleLogin) && ($.errorMessage =
 * "Failed authentication") }`) reduced to the set of their comparisons, so a collected metric
 * filter can be matched against a CIS AWS Foundations section 4 pattern semantically enough:
 *
 * - whitespace, parentheses, braces and the quoting of values do not matter (`$.eventName=X`,
 *   `( $.eventName = "X" )`), nor does the order of the comparisons;
 * - field names compare case-insensitively, values exactly (CloudTrail values are case-sensitive);
 * - operators `=`, `!=`, `>`, `<`, `>=`, `<=`, `IS` (`IS NULL`, `IS TRUE`…) and `NOT EXISTS`;
 * - a filter matches a CIS pattern when it contains every comparison of it; extra comparisons
 *   (the CIS 3.0 variants that also exclude `delivery.logs.amazonaws.com` or HeadBucket) are
 *   allowed. This is what Prowler's regular expressions check, without depending on order.
 *
 * The `&&` / `||` structure is not evaluated: a filter that joins the eventName alternatives
 * with `&&` (which can never match) would pass. Written by hand (no parser for this syntax
 * exists on npm): one linear scan, bounded input.
 */

export const MAX_PATTERN_CHARS = 8192;

const FIELD_CHAR = /[A-Za-z0-9_.[\]-]/;
const STOP = new Set([' ', '\t', '\n', '\r', ')', '(', '&', '|', '}', '{']);

/** One comparison, as a canonical key: `eventname|=|ConsoleLogin`. */
export function termKey(field: string, op: string, value: string): string {
  return `${field.toLowerCase()}|${op}|${value}`;
}

function skipSpace(p: string, i: number): number {
  while (i < p.length && (p[i] === ' ' || p[i] === '\t' || p[i] === '\n' || p[i] === '\r')) i++;
  return i;
}

/** Reads an operator at `i`: the operator and where the value starts, or undefined. */
function operator(p: string, i: number): { op: string; next: number } | undefined {
  for (const op of ['!=', '>=', '<=', '=', '>', '<']) if (p.startsWith(op, i)) return { op, next: i + op.length };
  const upper = p.slice(i, i + 10).toUpperCase();
  if (upper.startsWith('NOT EXISTS')) return { op: 'NOT EXISTS', next: i + 10 };
  if (upper.startsWith('IS ')) return { op: 'IS', next: i + 3 };
  return undefined;
}

/** Reads a value at `i` (quoted or bare): the value and the index after it. */
function value(p: string, i: number): { value: string; next: number } {
  if (p[i] === '"') {
    const end = p.indexOf('"', i + 1);
    return end < 0 ? { value: p.slice(i + 1), next: p.length } : { value: p.slice(i + 1, end), next: end + 1 };
  }
  let j = i;
  while (j < p.length && !STOP.has(p[j]!)) j++;
  return { value: p.slice(i, j), next: j };
}

/** The comparisons of a filter pattern, as term keys; empty for a pattern that is not JSON-style. */
export function filterTerms(pattern: string): Set<string> {
  const out = new Set<string>();
  const p = pattern.length > MAX_PATTERN_CHARS ? pattern.slice(0, MAX_PATTERN_CHARS) : pattern;
  let i = p.indexOf('$.');
  while (i >= 0 && i < p.length) {
    let j = i + 2;
    while (j < p.length && FIELD_CHAR.test(p[j]!)) j++;
    const field = p.slice(i + 2, j);
    const op = operator(p, skipSpace(p, j));
    if (field !== '' && op !== undefined) {
      if (op.op === 'NOT EXISTS') {
        out.add(termKey(field, op.op, ''));
        j = op.next;
      } else {
        const v = value(p, skipSpace(p, op.next));
        out.add(termKey(field, op.op, op.op === 'IS' ? v.value.toUpperCase() : v.value));
        j = v.next;
      }
    }
    i = p.indexOf('$.', Math.max(j, i + 2));
  }
  return out;
}

/** Does the filter contain every comparison of the wanted pattern? */
export function patternCovers(actual: string, wanted: ReadonlySet<string>): boolean {
  if (wanted.size === 0) return false;
  const have = filterTerms(actual);
  for (const t of wanted) if (!have.has(t)) return false;
  return true;
}
