import type { YarnEntry } from './entry.js';

/**
 * yarn.lock v1: yarn's own line format, hand-tokenised in one pass (no YAML: it is not YAML).
 *
 *     "@babel/code-frame@^7.0.0", "@babel/code-frame@^7.10.4":
 *       version "7.12.13"
 *       resolved "https://registry.yarnpkg.com/…"
 *       integrity sha512-…
 *       dependencies:
 *         "@babel/highlight" "^7.12.13"
 *
 * Top-level lines list the specifiers an entry satisfies (quoted or bare, comma-separated,
 * ending with `:`); indented lines are `key value` (yarn also accepts `key: value`) or
 * `key:` opening a nested block. Strings use JSON escapes. Lines that fit none of this are
 * reported with their line number and skipped; the entries around them are kept.
 */
export interface V1Result {
  readonly entries: YarnEntry[];
  readonly bad: { line: number; message: string }[];
}

export function tokenizeV1(text: string): V1Result {
  const entries: YarnEntry[] = [];
  const bad: { line: number; message: string }[] = [];
  let current: YarnEntry | undefined;
  let block: [string, string][] | undefined;
  let blockIndent = -1;
  let lineNo = 0;
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start < text.length; ) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    lineNo++;
    const lineEnd = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const lineStart = start;
    let i = start;
    start = end + 1;
    while (i < lineEnd && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    const line = text.slice(i, lineEnd);
    if (line === '' || line.startsWith('#')) continue;
    const depth = i - lineStart;
    if (depth === 0) {
      const specs = readSpecifiers(line);
      if (specs === undefined) {
        bad.push({ line: lineNo, message: `expected "specifier[, specifier]:" but found ${JSON.stringify(clip(line))}` });
        current = undefined;
        continue;
      }
      current = { specifiers: specs, fields: new Map(), deps: [], optionalDeps: [], line: lineNo };
      entries.push(current);
      block = undefined;
      continue;
    }
    if (!current) {
      bad.push({ line: lineNo, message: `indented line outside any entry: ${JSON.stringify(clip(line))}` });
      continue;
    }
    const pair = readPair(line);
    if (pair === undefined) {
      bad.push({ line: lineNo, message: `expected "key value" but found ${JSON.stringify(clip(line))}` });
      continue;
    }
    if (block && depth > blockIndent) {
      if (pair.value === undefined) bad.push({ line: lineNo, message: `nested block inside "${pair.key}" is not expected in yarn.lock v1` });
      else block.push([pair.key, pair.value]);
      continue;
    }
    block = undefined;
    if (pair.value === undefined) {
      // `dependencies:` / `optionalDependencies:` (other blocks are read and ignored).
      block = pair.key === 'dependencies' ? current.deps : pair.key === 'optionalDependencies' ? current.optionalDeps : [];
      blockIndent = depth;
    } else current.fields.set(pair.key, pair.value);
  }
  return { entries, bad };
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);

/** A quoted string at `at` (JSON escapes) → its value and the offset after it. */
function quotedAt(s: string, at: number): { value: string; end: number } | undefined {
  for (let i = at + 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) {
      const body = s.slice(at, i + 1);
      if (!body.includes('\\')) return { value: body.slice(1, -1), end: i + 1 };
      try {
        return { value: JSON.parse(body) as string, end: i + 1 };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** `a@1, "b@^2":` → ['a@1', 'b@^2']; undefined when the line is not a specifier list. */
function readSpecifiers(line: string): string[] | undefined {
  const trimmed = line.trimEnd();
  if (!trimmed.endsWith(':')) return undefined;
  const body = trimmed.slice(0, -1);
  const out: string[] = [];
  let i = 0;
  while (i < body.length) {
    while (body[i] === ' ') i++;
    let spec: string;
    if (body[i] === '"') {
      const q = quotedAt(body, i);
      if (q === undefined) return undefined;
      spec = q.value;
      i = q.end;
      while (body[i] === ' ') i++;
    } else {
      const comma = body.indexOf(',', i);
      const stop = comma === -1 ? body.length : comma;
      spec = body.slice(i, stop).trim();
      i = stop;
    }
    if (spec === '') return undefined;
    out.push(spec);
    if (i < body.length) {
      if (body[i] !== ',') return undefined;
      i++;
    }
  }
  return out.length > 0 ? out : undefined;
}

/** `key value`, `"key" "value"`, `key: value` → pair; `key:` → pair without value (a block). */
function readPair(line: string): { key: string; value: string | undefined } | undefined {
  let key: string;
  let i: number;
  if (line[0] === '"') {
    const q = quotedAt(line, 0);
    if (q === undefined) return undefined;
    key = q.value;
    i = q.end;
  } else {
    let j = 0;
    while (j < line.length && line[j] !== ' ' && line[j] !== '\t' && !(line[j] === ':' && (j + 1 === line.length || line[j + 1] === ' '))) j++;
    key = line.slice(0, j);
    i = j;
  }
  if (key === '') return undefined;
  let colon = false;
  if (line[i] === ':') {
    colon = true;
    i++;
  }
  while (line[i] === ' ' || line[i] === '\t') i++;
  if (i >= line.length) return colon ? { key, value: undefined } : undefined;
  if (line[i] === '"') {
    const q = quotedAt(line, i);
    if (q === undefined || line.slice(q.end).trim() !== '') return undefined;
    return { key, value: q.value };
  }
  return { key, value: line.slice(i).trimEnd() };
}
