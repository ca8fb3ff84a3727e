import { readYamlText } from '../../../core/yaml-input.js';
import { LOCK_YAML_LIMITS } from './input.js';

/**
 * YAML lockfiles (pnpm-lock.yaml, yarn Berry's yarn.lock), read with the core `readYamlText`
 * (js-yaml, or `yaml` when the text may hold anchors, behind the size/nesting/alias guards)
 * under the failsafe schema: every scalar stays the string written (pnpm `version: 1.10` is
 * "1.10", never 1.1), an empty value is null.
 *
 * The parsers give values, not positions, so {@link keyLines} notes where the keys of the top
 * two levels start (lockfile sections and their entries): a linear pass over line starts that
 * only locates keys, never reads values. A key it cannot place simply has no line.
 */
export type LockYaml =
  | { readonly ok: true; readonly value: unknown; readonly lineOf: (map: object, key: string) => number | undefined }
  | { readonly ok: false; readonly reason: string };

export function readLockYaml(text: string): LockYaml {
  // An empty file (or one holding only comments) is an empty document, not an error.
  if (text.trim() === '') return { ok: true, value: null, lineOf: () => undefined };
  const parsed = readYamlText(text, LOCK_YAML_LIMITS, { schema: 'failsafe' });
  if (!parsed.ok) return { ok: false, reason: parsed.problem.reason };
  const value = parsed.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: true, value, lineOf: () => undefined };
  const root = value as Record<string, unknown>;
  const lines = keyLines(text);
  const byMap = new WeakMap<object, ReadonlyMap<string, number>>([[root, lines.top]]);
  for (const [section, entries] of lines.nested) {
    const node = Object.hasOwn(root, section) ? root[section] : undefined;
    if (node !== null && typeof node === 'object') byMap.set(node, entries);
  }
  return { ok: true, value, lineOf: (map, key) => byMap.get(map)?.get(key) };
}

/**
 * The 1-based lines of the top-level keys and of the keys one level below each of them
 * (at the indent of the first key under it). Comment, blank and `---` lines are skipped;
 * `- item` lines are not keys.
 */
export function keyLines(text: string): { top: Map<string, number>; nested: Map<string, Map<string, number>> } {
  const top = new Map<string, number>();
  const nested = new Map<string, Map<string, number>>();
  let section: Map<string, number> | undefined;
  let sectionIndent = -1;
  let lineNo = 0;
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const lineStart = start;
    start = end + 1;
    let indent = 0;
    while (text.charCodeAt(lineStart + indent) === 32) indent++;
    const first = text.charCodeAt(lineStart + indent);
    if (lineStart + indent >= end || first === 35 /* # */ || first === 13 /* \r */) continue;
    if (indent === 0) {
      const key = keyAt(text, lineStart, end);
      section = undefined;
      if (key === undefined) continue;
      if (!top.has(key)) top.set(key, lineNo);
      section = new Map();
      nested.set(key, section);
      sectionIndent = -1;
      continue;
    }
    if (!section) continue;
    if (sectionIndent === -1) sectionIndent = indent;
    if (indent !== sectionIndent) continue;
    const key = keyAt(text, lineStart + indent, end);
    if (key !== undefined && !section.has(key)) section.set(key, lineNo);
  }
  return { top, nested };
}

/** `[ { & * ! | > % @ `` */
const NOT_PLAIN = new Set([91, 123, 38, 42, 33, 124, 62, 37, 64, 96]);

/** The mapping key starting at `at` on a line ending at `end`: quoted, or plain up to `: ` / a final `:`. */
function keyAt(text: string, at: number, end: number): string | undefined {
  const c = text.charCodeAt(at);
  if (c === 39 /* ' */) {
    let out = '';
    for (let from = at + 1; ; ) {
      const close = text.indexOf("'", from);
      if (close === -1 || close >= end) return undefined;
      out += text.slice(from, close);
      if (text.charCodeAt(close + 1) !== 39) return text.charCodeAt(close + 1) === 58 ? out : undefined;
      out += "'";
      from = close + 2;
    }
  }
  if (c === 34 /* " */) {
    for (let i = at + 1; i < end; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 92) i++;
      else if (ch === 34) {
        if (text.charCodeAt(i + 1) !== 58) return undefined;
        try {
          return JSON.parse(text.slice(at, i + 1)) as string;
        } catch {
          return undefined;
        }
      }
    }
    return undefined;
  }
  // Flow collections, anchors, aliases, tags and block scalars do not start a plain key; nor
  // do `- item` and `? key` (a `-` or `?` followed by a space or the line end).
  if (NOT_PLAIN.has(c)) return undefined;
  if (c === 45 || c === 63) {
    const next = text.charCodeAt(at + 1);
    if (at + 1 >= end || next === 32 || next === 13) return undefined;
  }
  for (let i = text.indexOf(':', at); i !== -1 && i < end; i = text.indexOf(':', i + 1)) {
    const after = text.charCodeAt(i + 1);
    if (i + 1 >= end || after === 32 || after === 13) return text.slice(at, i).trimEnd();
  }
  return undefined;
}

/**
 * The last YAML document of a multi-document file (pnpm 10 puts its own "env" lockfile
 * first, then the project's), with the number of lines before it; the text itself when it
 * holds one document.
 */
export function lastDocument(text: string): { text: string; lineOffset: number } {
  let start = 0;
  for (let at = text.indexOf('\n---', 0); at !== -1; at = text.indexOf('\n---', at + 1)) {
    const after = text.charCodeAt(at + 4);
    if (Number.isNaN(after) || after === 10 || after === 13 || after === 32) start = at + 1;
  }
  if (start === 0 || text.slice(0, start).trim().replace(/^---/, '').trim() === '') return { text, lineOffset: 0 };
  let lineOffset = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < start; i = text.indexOf('\n', i + 1)) lineOffset++;
  return { text: text.slice(start), lineOffset };
}
