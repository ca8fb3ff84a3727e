import type { z } from 'zod';

/**
 * Reading an untrusted JSON feed file: bytes → value, within explicit limits. Pure: the
 * walker did the I/O. Expected failures are values, never exceptions.
 */
export interface JsonLimits {
  /** Largest input accepted, in bytes (checked before decoding). */
  readonly maxBytes: number;
  /** Deepest array/object nesting accepted (checked before JSON.parse). */
  readonly maxDepth: number;
}

/** Why an input or a value inside it was refused: a reason and, when known, a JSON pointer. */
export interface JsonProblem {
  readonly reason: string;
  readonly pointer?: string | undefined;
}

export type JsonResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem };

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes UTF-8 (a BOM is dropped), refuses input over `maxBytes` or nested deeper than
 * `maxDepth`, then parses. `JSON.parse` creates `__proto__` keys as plain own properties,
 * so the value can be kept verbatim without polluting any prototype.
 */
export function readJson(bytes: Uint8Array, limits: JsonLimits): JsonResult {
  if (bytes.length > limits.maxBytes) return fail(`input is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail('input is not valid UTF-8');
  }
  if (text.trim() === '') return fail('input is empty');
  const depth = nestingDepthExceeds(text, limits.maxDepth);
  if (depth !== null) return fail(`JSON nested deeper than ${limits.maxDepth} levels (at character ${depth})`);
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return fail(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function fail(reason: string, pointer?: string): JsonResult {
  return { ok: false, problem: { reason, pointer } };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * One linear pass over the text, outside strings, counting `[`/`{` nesting. Returns the
 * offset where `maxDepth` is first exceeded, or null. Malformed text is left to JSON.parse.
 */
export function nestingDepthExceeds(text: string, maxDepth: number): number | null {
  // Nesting needs an opener per level: a text with no more `[` and `{` than maxDepth cannot
  // exceed it. Counting them with indexOf is an order of magnitude faster than the scan below.
  if (!moreOpenersThan(text, maxDepth)) return null;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > maxDepth) return i;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--;
    }
  }
  return null;
}

/** Whether the text holds more than `n` `[` and `{` characters (stops counting there): a cheap bound on nesting. */
export function moreOpenersThan(text: string, n: number): boolean {
  let count = 0;
  for (const opener of ['{', '[']) {
    for (let i = text.indexOf(opener); i !== -1; i = text.indexOf(opener, i + 1)) if (++count > n) return true;
  }
  return false;
}

/** RFC 6901 JSON pointer for a path of keys and indices (`''` is the whole document). */
export function jsonPointer(path: readonly PropertyKey[]): string {
  return path.map((p) => `/${String(p).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** The first zod issue as a reason and pointer (issues come in document order). */
export function firstIssue(error: z.ZodError, prefix: readonly PropertyKey[] = []): JsonProblem {
  const issue = error.issues[0];
  if (!issue) return { reason: 'invalid value', pointer: jsonPointer(prefix) };
  const pointer = jsonPointer([...prefix, ...issue.path]);
  return { reason: `${pointer || '/'}: ${issue.message}`, pointer };
}

/** A string field read without validation, for naming a record that failed validation. */
export function readString(value: unknown, ...path: string[]): string | null {
  let v = value;
  for (const key of path) {
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !Object.hasOwn(v, key)) return null;
    v = (v as Record<string, unknown>)[key];
  }
  return typeof v === 'string' && v.length > 0 && v.length <= 64 ? v : null;
}
