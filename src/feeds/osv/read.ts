import { Lexer, parseDocument } from 'yaml';
import { jsonPointer, moreOpenersThan, readJson, type JsonLimits, type JsonProblem } from '../json-input.js';

/**
 * OSV bytes → one plain JSON value, within explicit limits. JSON goes through the shared
 * bounded reader; YAML (PyPA's advisory database) through `yaml` with the guards it needs:
 * a size cap (the library takes about 2 µs per character), a flow-nesting check with the
 * library's own lexer before composing (deep `[[[[…` makes the composer recurse until it
 * runs out of stack or memory), an alias budget against "billion laughs", unique keys, one
 * document only. Every value then gets one iterative pass that refuses what PostgreSQL or
 * JSON cannot hold: NUL characters, non-finite numbers, binary and other non-JSON values,
 * nesting deeper than the limit (which also catches circular aliases).
 */
export interface OsvLimits extends JsonLimits {
  /** Largest YAML input accepted, in bytes. */
  readonly maxYamlBytes: number;
  /** `yaml`'s `maxAliasCount`: how much aliasing a document may use before it is refused. */
  readonly maxYamlAliases: number;
}

export const DEFAULT_OSV_LIMITS: OsvLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxDepth: 64,
  maxYamlBytes: 1024 * 1024,
  maxYamlAliases: 100,
};

export type ReadResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem };

const YAML_NAME = /\.ya?ml$/i;
export const isYamlName = (name: string): boolean => YAML_NAME.test(name);

const decoder = new TextDecoder('utf-8', { fatal: true });

const fail = (reason: string, pointer?: string): ReadResult => ({ ok: false, problem: { reason, pointer } });
const firstLine = (s: string): string => (s.split('\n', 1)[0] ?? '').slice(0, 200);

export function readOsvValue(name: string, bytes: Uint8Array, limits: OsvLimits): ReadResult {
  const read = isYamlName(name) ? readYaml(bytes, limits) : readJson(bytes, limits);
  if (!read.ok) return read;
  const problem = inspectValue(read.value, limits.maxDepth);
  return problem ? { ok: false, problem } : read;
}

function readYaml(bytes: Uint8Array, limits: OsvLimits): ReadResult {
  if (bytes.length > limits.maxYamlBytes) return fail(`YAML input is ${bytes.length} bytes, over the ${limits.maxYamlBytes}-byte limit`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail('input is not valid UTF-8');
  }
  if (text.trim() === '') return fail('input is empty');
  const deep = flowDepthExceeds(text, limits.maxDepth);
  if (deep !== null) return fail(`YAML flow collections nested deeper than ${limits.maxDepth} levels (token ${deep})`);
  try {
    const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true });
    const err = doc.errors[0];
    if (err) return fail(`malformed YAML: ${firstLine(err.message)}`);
    return { ok: true, value: doc.toJS({ maxAliasCount: limits.maxYamlAliases }) as unknown };
  } catch (err) {
    // toJS throws a ReferenceError when the alias budget is exhausted.
    return fail(`YAML refused: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
}

/**
 * Flow-collection nesting as the `yaml` lexer itself tokenises it (so quoting, comments and
 * block scalars are read exactly as the parser will read them). Returns the index of the
 * token where `maxDepth` is first exceeded, or null. Stops early, so hostile input costs
 * only as much as its first `maxDepth` openers.
 */
export function flowDepthExceeds(text: string, maxDepth: number): number | null {
  // Each flow opener is a `[` or `{` character: a text with no more of them than maxDepth
  // cannot exceed it, and lexing it twice (here and in parseDocument) would be wasted.
  if (!moreOpenersThan(text, maxDepth)) return null;
  let depth = 0;
  let n = 0;
  for (const token of new Lexer().lex(text)) {
    n++;
    if (token === '[' || token === '{') {
      if (++depth > maxDepth) return n;
    } else if ((token === ']' || token === '}') && depth > 0) {
      depth--;
    }
  }
  return null;
}

interface Frame {
  readonly value: unknown;
  readonly path: readonly (string | number)[];
}

/**
 * One iterative pass (no recursion, whatever the depth) refusing values that are not plain
 * JSON or that PostgreSQL's jsonb cannot store (`\u0000`). Returns the first problem with
 * its JSON pointer, or null.
 */
export function inspectValue(root: unknown, maxDepth: number): JsonProblem | null {
  const stack: Frame[] = [{ value: root, path: [] }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, path } = frame;
    switch (typeof value) {
      case 'string':
        if (value.includes('\u0000')) return { reason: `${jsonPointer(path) || '/'}: a string holds a NUL character`, pointer: jsonPointer(path) };
        continue;
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(value)) return { reason: `${jsonPointer(path) || '/'}: ${value} is not a JSON number`, pointer: jsonPointer(path) };
        continue;
      case 'object':
        break;
      case 'bigint':
      case 'function':
      case 'symbol':
      case 'undefined':
        return { reason: `${jsonPointer(path) || '/'}: ${typeof value} is not a JSON value`, pointer: jsonPointer(path) };
    }
    if (value === null) continue;
    if (path.length >= maxDepth) return { reason: `nested deeper than ${maxDepth} levels (or a circular alias)`, pointer: jsonPointer(path) };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, path: [...path, i] });
      continue;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      return { reason: `${jsonPointer(path) || '/'}: not a JSON value (${describe(value)})`, pointer: jsonPointer(path) };
    }
    const entries = Object.entries(value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, child] = entries[i]!;
      if (key.includes('\u0000')) return { reason: `${jsonPointer(path) || '/'}: a key holds a NUL character`, pointer: jsonPointer(path) };
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}

function describe(value: object): string {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'object';
}
