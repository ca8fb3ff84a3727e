import { readYamlText } from '../../../core/yaml-input.js';
import { LOCK_YAML_LIMITS } from './input.js';

/**
 * YAML lockfiles (pnpm-lock.yaml, yarn Berry's yarn.lock) are machine-written in a small
 * block-style subset: `key: value` mappings, `- item` sequences, one-line flow collections
 * (`{integrity: sha512-…, tarball: …}`, `[x64]`), plain and quoted scalars, comments. The
 * `yaml` library composes about 1.5 MB/s; a 20 MB monorepo lockfile would take seconds.
 *
 * `readLockYaml` first tries a linear, line-by-line reader for exactly that subset, which
 * keeps every scalar as the string written (no `1.10` → 1.1 coercion, the same as YAML's
 * failsafe schema) and notes the line of each key. The moment it meets anything else
 * (anchors, tags, block scalars, multi-line scalars, explicit keys, several documents, a
 * duplicate key …) it gives up and the real parser, behind the core guards, reads the
 * whole text instead: the subset reader never guesses.
 */

export type LockYaml =
  | { readonly ok: true; readonly value: unknown; readonly lineOf: (map: object, key: string) => number | undefined }
  | { readonly ok: false; readonly reason: string };

const NO_LINES = (): undefined => undefined;

export function readLockYaml(text: string): LockYaml {
  const fast = readSubset(text);
  if (fast !== undefined) return { ok: true, value: fast.value, lineOf: (map, key) => fast.lines.get(map)?.get(key) };
  const slow = readYamlText(text, LOCK_YAML_LIMITS);
  return slow.ok ? { ok: true, value: slow.value, lineOf: NO_LINES } : { ok: false, reason: slow.problem.reason };
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

type Container = Record<string, unknown> | unknown[];
interface Level {
  readonly indent: number;
  readonly node: Container;
  /** Key lines, kept for the top two levels only (lockfile sections and their entries). */
  readonly lines: Map<string, number> | undefined;
}

const MAX_FLOW_DEPTH = 32;

/** The subset reader: the value and key lines, or undefined to hand over to the real parser. */
export function readSubset(text: string): { value: unknown; lines: WeakMap<object, Map<string, number>> } | undefined {
  if (text.length > LOCK_YAML_LIMITS.maxBytes) return undefined;
  const root: Record<string, unknown> = {};
  const lines = new WeakMap<object, Map<string, number>>();
  const stack: Level[] = [];
  let pending: { key: string; map: Record<string, unknown>; indent: number } | undefined;
  let lineNo = 0;
  let any = false;
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const lineStart = start;
    start = end + 1;
    let indent = 0;
    while (lineStart + indent < lineEnd && text.charCodeAt(lineStart + indent) === 32) indent++;
    const first = text.charCodeAt(lineStart + indent);
    if (lineStart + indent === lineEnd || first === 35) continue;
    if (first === 9) return undefined;
    const content = text.slice(lineStart + indent, lineEnd);
    if (indent === 0 && (content.startsWith('---') || content.startsWith('...') || content.startsWith('%'))) {
      // A leading document marker is harmless; anything later means several documents.
      if (content.trimEnd() === '---' && !any) continue;
      return undefined;
    }
    if (!any) stack.push({ indent, node: root, lines: linesFor(lines, root) });
    any = true;
    const isItem = content === '-' || content.startsWith('- ');
    if (pending) {
      if (indent > pending.indent || (indent === pending.indent && isItem)) {
        const node: Container = isItem ? [] : {};
        pending.map[pending.key] = node;
        stack.push({ indent, node, lines: stack.length < 2 && !isItem ? linesFor(lines, node) : undefined });
      } else pending.map[pending.key] = null;
      pending = undefined;
    }
    while (stack.length > 1 && stack[stack.length - 1]!.indent > indent) stack.pop();
    let top = stack[stack.length - 1]!;
    // `key:` followed by `- item` lines at the key's own indent: the sequence ends at the next key.
    if (Array.isArray(top.node) && !isItem && top.indent === indent) {
      stack.pop();
      top = stack[stack.length - 1]!;
    }
    if (top.indent !== indent) return undefined;
    if (isItem) {
      if (!Array.isArray(top.node)) return undefined;
      const item = scalarOrFlow(content.slice(1).trimStart());
      if (item === undefined || (typeof item === 'string' && item !== '' && looksLikeKey(content.slice(2)))) return undefined;
      top.node.push(item);
      continue;
    }
    if (Array.isArray(top.node)) return undefined;
    const map = top.node;
    const key = readKey(content);
    if (key === undefined || Object.hasOwn(map, key.key) || key.key === '__proto__') return undefined;
    top.lines?.set(key.key, lineNo);
    const rest = stripComment(content.slice(key.next)).trim();
    if (rest === '') {
      pending = { key: key.key, map, indent };
      continue;
    }
    const value = scalarOrFlow(rest);
    if (value === undefined) return undefined;
    map[key.key] = value;
  }
  if (pending) pending.map[pending.key] = null;
  return { value: any ? root : null, lines };
}

function linesFor(lines: WeakMap<object, Map<string, number>>, node: object): Map<string, number> {
  const m = new Map<string, number>();
  lines.set(node, m);
  return m;
}

/** A `- key: value` item would be a mapping inside a sequence: outside the subset. */
function looksLikeKey(s: string): boolean {
  const k = readKey(s);
  return k !== undefined && (k.next >= s.length || s.charCodeAt(k.next) === 32);
}

/** The key at the start of `content` and the offset just after its `:`. */
function readKey(content: string): { key: string; next: number } | undefined {
  const c = content.charCodeAt(0);
  if (c === 39 || c === 34) {
    const q = quoted(content, 0);
    if (q === undefined || content.charCodeAt(q.end) !== 58) return undefined;
    return { key: q.value, next: q.end + 1 };
  }
  if (!plainStart(content)) return undefined;
  for (let i = content.indexOf(':'); i !== -1; i = content.indexOf(':', i + 1)) {
    const after = content.charCodeAt(i + 1);
    if (i + 1 === content.length || after === 32) {
      const key = content.slice(0, i).trimEnd();
      if (key.includes(' #')) return undefined;
      return { key, next: i + 1 };
    }
  }
  return undefined;
}

const INDICATORS = new Set(['[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '?', '#', "'", '"']);

function plainStart(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (INDICATORS.has(c)) return false;
  return !((c === '-' || c === ':') && (s.length === 1 || s[1] === ' '));
}

function stripComment(s: string): string {
  if (s.startsWith('#')) return '';
  const i = s.indexOf(' #');
  return i === -1 ? s : s.slice(0, i);
}

/** A value on the rest of a line: a quoted or plain scalar, or a one-line flow collection. */
function scalarOrFlow(rest: string): unknown {
  if (rest === '') return null;
  const c = rest[0]!;
  if (c === '{' || c === '[') {
    const r = flow(rest, 0, 0);
    if (r === undefined || stripComment(rest.slice(r.end)).trim() !== '') return undefined;
    return r.value;
  }
  if (c === "'" || c === '"') {
    const q = quoted(rest, 0);
    if (q === undefined || stripComment(rest.slice(q.end)).trim() !== '') return undefined;
    return q.value;
  }
  if (!plainStart(rest)) return undefined;
  const value = stripComment(rest).trimEnd();
  // `a: b` inside a plain scalar is not valid YAML; let the real parser say so.
  if (value.includes(': ') || value.endsWith(':')) return undefined;
  return value;
}

/** A quoted scalar starting at `at`; undefined when it does not end on this line. */
function quoted(s: string, at: number): { value: string; end: number } | undefined {
  const q = s[at]!;
  if (q === "'") {
    let out = '';
    let from = at + 1;
    for (;;) {
      const close = s.indexOf("'", from);
      if (close === -1) return undefined;
      out += s.slice(from, close);
      if (s[close + 1] === "'") {
        out += "'";
        from = close + 2;
      } else return { value: out, end: close + 1 };
    }
  }
  for (let i = at + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) {
      const body = s.slice(at, i + 1);
      if (!body.includes('\\')) return { value: body.slice(1, -1), end: i + 1 };
      // JSON escapes are a subset of YAML's; other escapes (\x, \e, \N …) go to the real parser.
      try {
        return { value: JSON.parse(body) as string, end: i + 1 };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A one-line flow collection (`{a: b, c: [d]}`) starting at `at`. */
function flow(s: string, at: number, depth: number): { value: unknown; end: number } | undefined {
  if (depth > MAX_FLOW_DEPTH) return undefined;
  const isMap = s[at] === '{';
  const close = isMap ? '}' : ']';
  const map: Record<string, unknown> = {};
  const seq: unknown[] = [];
  let i = skipSpaces(s, at + 1);
  if (s[i] === close) return { value: isMap ? map : seq, end: i + 1 };
  for (;;) {
    let key: string | undefined;
    if (isMap) {
      const k = flowScalar(s, i, true);
      if (k === undefined || typeof k.value !== 'string' || s[k.end] !== ':') return undefined;
      key = k.value;
      if (Object.hasOwn(map, key) || key === '__proto__') return undefined;
      i = skipSpaces(s, k.end + 1);
    }
    const v = s[i] === '{' || s[i] === '[' ? flow(s, i, depth + 1) : flowScalar(s, i, false);
    if (v === undefined) return undefined;
    if (key !== undefined) map[key] = v.value;
    else seq.push(v.value);
    i = skipSpaces(s, v.end);
    if (s[i] === ',') {
      i = skipSpaces(s, i + 1);
      if (s[i] === close) return { value: isMap ? map : seq, end: i + 1 };
      continue;
    }
    if (s[i] === close) return { value: isMap ? map : seq, end: i + 1 };
    return undefined;
  }
}

function skipSpaces(s: string, i: number): number {
  while (s[i] === ' ') i++;
  return i;
}

/** A scalar inside a flow collection: quoted, or plain up to `,` `]` `}` (and `: ` for keys). */
function flowScalar(s: string, at: number, isKey: boolean): { value: unknown; end: number } | undefined {
  const c = s[at];
  if (c === undefined) return undefined;
  if (c === "'" || c === '"') return quoted(s, at);
  if (INDICATORS.has(c) || (c === '-' && s[at + 1] === ' ')) return undefined;
  let i = at;
  for (; i < s.length; i++) {
    const ch = s[i]!;
    if (ch === ',' || ch === ']' || ch === '}' || ch === '[' || ch === '{') break;
    if (ch === ':' && (s[i + 1] === ' ' || s[i + 1] === ',' || s[i + 1] === '}' || s[i + 1] === ']' || i + 1 === s.length)) {
      if (isKey) break;
      return undefined;
    }
    if (ch === '#' && s[i - 1] === ' ') return undefined;
  }
  if (s[i] === '[' || s[i] === '{') return undefined;
  const value = s.slice(at, i).trimEnd();
  return value === '' ? undefined : { value, end: i };
}
