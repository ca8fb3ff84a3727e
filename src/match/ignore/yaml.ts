/**
 * The YAML form of the ignore file:
 *
 *   ignore:
 *     - id: CVE-2024-1234
 *       package: pkg:npm/lodash      # optional
 *       expires: 2027-01-31          # optional
 *       reason: only used in tests   # required
 *
 * Read through the core YAML reader (size, nesting and alias limits; failsafe schema, so a
 * date stays the string written), then checked by hand; line numbers come from the `yaml`
 * library's node ranges, read only after the core reader accepted the text. Pure, never throws.
 */
import { isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { readYamlText } from '../../core/yaml-input.js';
import { badDate, badId, badPackage, REASON_REQUIRED } from './fields.js';
import type { IgnoreEntry, IgnoreFile, IgnoreLimits, IgnoreProblem } from './model.js';

const KEYS = new Set(['id', 'package', 'expires', 'reason']);

/** Line of each item of the `ignore` list (1-based), from the `yaml` library's ranges. */
function itemLines(text: string): (index: number) => number | undefined {
  try {
    const lc = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lc, schema: 'failsafe', merge: false, uniqueKeys: false });
    const seq: unknown = doc.get('ignore', true);
    if (!isSeq(seq)) return () => undefined;
    return (i) => {
      const range = (seq.items[i] as Node | undefined)?.range;
      return range ? lc.linePos(range[0]).line : undefined;
    };
  } catch {
    return () => undefined;
  }
}

export function parseIgnoreYaml(text: string, name: string, limits: IgnoreLimits): IgnoreFile {
  const entries: IgnoreEntry[] = [];
  const problems: IgnoreProblem[] = [];
  const fail = (source: string, message: string): IgnoreFile => ({ format: 'yaml', entries: [], problems: [{ source, message, severity: 'error' }] });
  const r = readYamlText(text, { maxBytes: limits.maxChars, maxDepth: 8, maxAliases: 100 }, { schema: 'failsafe' });
  if (!r.ok) return fail(name, r.problem.reason);
  const root = r.value;
  if (typeof root !== 'object' || root === null || Array.isArray(root)) return fail(name, 'expected a mapping with one key, ignore');
  const extra = Object.keys(root).filter((k) => k !== 'ignore');
  if (extra.length > 0) return fail(name, `unknown top-level key ${JSON.stringify(extra[0])}: the file holds only ignore: [ … ]`);
  const list = (root as Record<string, unknown>)['ignore'];
  if (list === null || list === undefined) return { format: 'yaml', entries, problems };
  if (!Array.isArray(list)) return fail(name, 'ignore: must be a list of entries (- id: …)');
  if (list.length > limits.maxEntries) return fail(name, `more than ${limits.maxEntries} entries`);
  const lineOf = itemLines(text);
  list.forEach((item, i) => {
    const line = lineOf(i);
    const source = line !== undefined ? `${name}:${line}` : `${name}#/ignore/${i}`;
    const e = entry(item);
    if (typeof e === 'string') problems.push({ source, message: e, severity: 'error' });
    else entries.push({ ...e, source });
  });
  return { format: 'yaml', entries, problems };
}

function entry(item: unknown): Omit<IgnoreEntry, 'source'> | string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return 'each entry must be a mapping: - id: CVE-… reason: …';
  const o = item as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !KEYS.has(k));
  if (unknown !== undefined) return `unknown key ${JSON.stringify(unknown.slice(0, 40))} (an entry has id, package, expires and reason)`;
  const str = (k: string): string | undefined | null => {
    const v = o[k];
    if (v === undefined || v === null) return undefined;
    return typeof v === 'string' ? v.trim() : null;
  };
  const id = str('id');
  if (id === undefined || id === '') return 'an entry needs an id';
  if (id === null) return 'id must be a string';
  const idProblem = badId(id);
  if (idProblem) return idProblem;
  const pkg = str('package');
  if (pkg === null) return 'package must be a string';
  if (pkg) {
    const bad = badPackage(pkg);
    if (bad) return bad;
  }
  const expires = str('expires');
  if (expires === null) return 'expires must be a date YYYY-MM-DD';
  if (expires !== undefined) {
    const bad = badDate(expires);
    if (bad) return bad;
  }
  const reason = str('reason');
  if (reason === null) return 'reason must be text';
  if (!reason) return REASON_REQUIRED;
  return { id, package: pkg || undefined, expires, reason };
}
