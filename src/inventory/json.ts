import { moreOpenersThan, type JsonLimits, type JsonResult } from '../core/json-input.js';

/**
 * JSON input for the inventory readers, with the core `readJson` guards (size, nesting depth,
 * UTF-8) and the same results, but cheaper on large lockfiles and SBOMs:
 *
 * - text the walker already decoded is parsed as it is (the readers used to re-encode it only
 *   for readJson to decode it again);
 * - nesting is checked on the parsed value, by an iterative walk over its arrays and objects,
 *   instead of a character-by-character scan of the whole text before parsing. V8's
 *   JSON.parse does not recurse, so a deeply nested document is parsed without risk (its size
 *   is already bounded) and refused right after, before any reader code recurses into it.
 *   A text with no more `[`/`{` than the limit (counted with indexOf) skips the walk.
 */

const fail = (reason: string): JsonResult => ({ ok: false, problem: { reason } });

/** Whether a parsed JSON value nests arrays/objects deeper than `maxDepth` (the top level is 1). */
export function jsonDeeperThan(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth > maxDepth) return true;
    if (Array.isArray(node)) {
      for (const v of node as unknown[]) {
        if (typeof v === 'object' && v !== null) {
          nodes.push(v);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const k in node) {
        const v = (node as Record<string, unknown>)[k];
        if (typeof v === 'object' && v !== null) {
          nodes.push(v);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

/** Parses JSON text within `limits` (maxBytes counts the UTF-8 bytes of the text). */
export function readJsonText(text: string, limits: JsonLimits): JsonResult {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return fail(`input is ${bytes} bytes, over the ${limits.maxBytes}-byte limit`);
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return fail('input is empty');
  let value: unknown;
  try {
    value = JSON.parse(body) as unknown;
  } catch (err) {
    return fail(`malformed JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (moreOpenersThan(body, limits.maxDepth) && jsonDeeperThan(value, limits.maxDepth)) return fail(`JSON nested deeper than ${limits.maxDepth} levels`);
  return { ok: true, value };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes (an SBOM, an image manifest) → value, and the decoded text for line lookups. */
export function readJsonBytes(bytes: Uint8Array, limits: JsonLimits): (JsonResult & { readonly ok: false }) | { readonly ok: true; readonly value: unknown; readonly text: string } {
  if (bytes.length > limits.maxBytes) return { ok: false, problem: { reason: `input is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit` } };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { ok: false, problem: { reason: 'input is not valid UTF-8' } };
  }
  const r = readJsonText(text, { ...limits, maxBytes: Number.MAX_SAFE_INTEGER });
  return r.ok ? { ok: true, value: r.value, text } : r;
}
