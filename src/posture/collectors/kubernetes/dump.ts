/**
 * Reading a cluster dump (pure: text in, objects out, never throws): the output of
 * `kubectl get … -A -o json` (a `List`), several of them concatenated (`kubectl get pods -o
 * json; kubectl get svc -o json`), a JSON array, a raw API list (`PodList`, whose items carry
 * no kind), single objects, or the same as YAML (`-o yaml`, `---`-separated documents). The
 * `/version` answer or `kubectl version -o json` may sit among them and gives the server
 * version. Concatenated JSON is split by one linear scan that also bounds nesting depth before
 * JSON.parse; YAML documents go through the shared reader (src/core/yaml-input.ts: size,
 * depth and alias limits). A document that cannot be read is a problem with its line, the rest
 * are still read.
 */
import { isObject } from '../../attrs.js';
import { readYamlText } from '../../../core/yaml-input.js';

export const DUMP_LIMITS = { maxBytes: 256 * 1024 * 1024, maxDepth: 200, maxAliases: 1000, maxObjects: 2_000_000 } as const;

export interface DumpProblem {
  readonly path: string;
  readonly line?: number | undefined;
  readonly reason: string;
}

export interface DumpContent {
  readonly objects: Record<string, unknown>[];
  /** A `/version` answer (or `kubectl version -o json`) found in the dump. */
  readonly version?: Record<string, unknown> | undefined;
  readonly problems: DumpProblem[];
}

export function parseDump(path: string, text: string): DumpContent {
  const out: { objects: Record<string, unknown>[]; version?: Record<string, unknown>; problems: DumpProblem[] } = { objects: [], problems: [] };
  if (text.length > DUMP_LIMITS.maxBytes) {
    out.problems.push({ path, reason: `file is ${text.length} characters, over the ${DUMP_LIMITS.maxBytes} limit` });
    return out;
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const first = firstNonSpace(body);
  if (first === -1) return out;
  const c = body[first];
  const docs = c === '{' || c === '[' ? jsonValues(path, body, out.problems) : yamlValues(path, body, out.problems);
  for (const d of docs) addValue(path, d.value, d.line, out);
  return out;
}

interface Doc {
  readonly value: unknown;
  readonly line: number;
}

function firstNonSpace(s: string): number {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return i;
  }
  return -1;
}

/** 1-based line of `offset`, counted only when a problem needs it. */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Top-level JSON values one after another, each checked for depth, then parsed. */
function jsonValues(path: string, text: string, problems: DumpProblem[]): Doc[] {
  const docs: Doc[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) {
      i++;
      continue;
    }
    if (c !== 0x7b && c !== 0x5b) {
      problems.push({ path, line: lineAt(text, i), reason: `expected a JSON object or array, found ${JSON.stringify(text[i])}; the rest of the file was not read` });
      return docs;
    }
    const start = i;
    let depth = 0;
    let inString = false;
    let tooDeep = false;
    for (; i < n; i++) {
      const ch = text.charCodeAt(i);
      if (inString) {
        if (ch === 0x5c) i++;
        else if (ch === 0x22) inString = false;
      } else if (ch === 0x22) inString = true;
      else if (ch === 0x7b || ch === 0x5b) {
        if (++depth > DUMP_LIMITS.maxDepth) tooDeep = true;
      } else if (ch === 0x7d || ch === 0x5d) {
        if (--depth === 0) {
          i++;
          break;
        }
      }
    }
    if (depth !== 0) {
      problems.push({ path, line: lineAt(text, start), reason: 'JSON value not closed before the end of the file' });
      return docs;
    }
    if (tooDeep) {
      problems.push({ path, line: lineAt(text, start), reason: `JSON nested deeper than ${DUMP_LIMITS.maxDepth} levels; value not read` });
      continue;
    }
    try {
      docs.push({ value: JSON.parse(text.slice(start, i)) as unknown, line: lineAt(text, start) });
    } catch (err) {
      problems.push({ path, line: lineAt(text, start), reason: `malformed JSON: ${(err as Error).message}` });
    }
  }
  return docs;
}

/** `---`-separated YAML documents, each read with the shared limits. */
function yamlValues(path: string, text: string, problems: DumpProblem[]): Doc[] {
  const docs: Doc[] = [];
  let docStart = 0;
  let docLine = 1;
  let line = 1;
  const flush = (end: number): void => {
    const chunk = text.slice(docStart, end);
    if (chunk.trim() === '') return;
    const r = readYamlText(chunk, { maxBytes: DUMP_LIMITS.maxBytes, maxDepth: DUMP_LIMITS.maxDepth, maxAliases: DUMP_LIMITS.maxAliases });
    if (r.ok) docs.push({ value: r.value, line: docLine });
    else problems.push({ path, line: docLine, reason: `YAML: ${r.problem.reason}` });
  };
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    const l = text.slice(pos, Math.min(end, pos + 4)).replace(/\r$/, '');
    const marker = l.startsWith('---') && (l.length === 3 || l[3] === ' ' || l[3] === '\t' || l[3] === '\r');
    const docEnd = l.startsWith('...') && (l.length === 3 || l[3] === ' ' || l[3] === '\r');
    if (marker || docEnd) {
      flush(pos);
      // Content after `--- ` on the marker line belongs to the next document.
      docStart = marker ? pos + 3 : end;
      docLine = line;
    }
    if (nl === -1) break;
    pos = nl + 1;
    line++;
  }
  flush(text.length);
  return docs;
}

function isVersionInfo(v: Record<string, unknown>): boolean {
  return isObject(v['serverVersion']) || (typeof v['gitVersion'] === 'string' && typeof v['major'] === 'string' && v['kind'] === undefined);
}

function addValue(path: string, value: unknown, line: number, out: { objects: Record<string, unknown>[]; version?: Record<string, unknown>; problems: DumpProblem[] }): void {
  const push = (o: Record<string, unknown>): void => {
    if (out.objects.length >= DUMP_LIMITS.maxObjects) {
      if (out.objects.length === DUMP_LIMITS.maxObjects) out.problems.push({ path, line, reason: `more than ${DUMP_LIMITS.maxObjects} objects; the rest were not read` });
      return;
    }
    out.objects.push(o);
  };
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) addValue(path, v, line, out);
    return;
  }
  if (!isObject(value)) {
    out.problems.push({ path, line, reason: 'expected a Kubernetes object or list' });
    return;
  }
  if (isVersionInfo(value)) {
    out.version = value;
    return;
  }
  const kind = value['kind'];
  const items = value['items'];
  if (Array.isArray(items) && (typeof kind !== 'string' || kind.endsWith('List'))) {
    // A raw API list (`PodList`) leaves kind and apiVersion off its items.
    const itemKind = typeof kind === 'string' && kind !== 'List' ? kind.slice(0, -4) : undefined;
    const apiVersion = typeof value['apiVersion'] === 'string' ? value['apiVersion'] : undefined;
    for (const item of items) {
      if (isObject(item) && itemKind !== undefined && item['kind'] === undefined) push({ ...item, kind: itemKind, ...(apiVersion && item['apiVersion'] === undefined ? { apiVersion } : {}) });
      else if (isObject(item)) push(item);
      else out.problems.push({ path, line, reason: 'a list item is not an object' });
    }
    return;
  }
  if (typeof kind !== 'string' || typeof value['apiVersion'] !== 'string') {
    out.problems.push({ path, line, reason: 'expected a Kubernetes object with string apiVersion and kind' });
    return;
  }
  push(value);
}
