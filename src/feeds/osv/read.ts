import { jsonPointer, readJson, type JsonLimits, type JsonProblem } from '../../core/json-input.js';
import { readYaml as readYamlBytes } from '../../core/yaml-input.js';

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


export function readOsvValue(name: string, bytes: Uint8Array, limits: OsvLimits): ReadResult {
  const read = isYamlName(name)
    ? readYamlBytes(bytes, { maxBytes: limits.maxYamlBytes, maxDepth: limits.maxDepth, maxAliases: limits.maxYamlAliases })
    : readJson(bytes, limits);
  if (!read.ok) return read;
  const problem = inspectValue(read.value, limits.maxDepth);
  return problem ? { ok: false, problem } : read;
}

interface Frame {
  readonly value: unknown;
  /** The frame of the containing array or object (null for the root), and the key there. */
  readonly parent: Frame | null;
  readonly key: string | number;
  readonly depth: number;
}

/** The JSON pointer of a frame, built only when a problem is reported. */
function pointerOf(frame: Frame): string {
  const path: (string | number)[] = [];
  for (let f: Frame | null = frame; f !== null && f.parent !== null; f = f.parent) path.push(f.key);
  return jsonPointer(path.reverse());
}

const problemAt = (frame: Frame, what: string): JsonProblem => {
  const pointer = pointerOf(frame);
  return { reason: `${pointer || '/'}: ${what}`, pointer };
};

/**
 * One iterative pass (no recursion, whatever the depth) refusing values that are not plain
 * JSON or that PostgreSQL's jsonb cannot store (`\u0000`). Returns the first problem with
 * its JSON pointer, or null. Paths are kept as links to the parent frame and spelt out only
 * for a problem: most values have none.
 */
export function inspectValue(root: unknown, maxDepth: number): JsonProblem | null {
  const stack: Frame[] = [{ value: root, parent: null, key: '', depth: 0 }];
  for (let frame = stack.pop(); frame !== undefined; frame = stack.pop()) {
    const { value, depth } = frame;
    switch (typeof value) {
      case 'string':
        if (value.includes('\u0000')) return problemAt(frame, 'a string holds a NUL character');
        continue;
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(value)) return problemAt(frame, `${value} is not a JSON number`);
        continue;
      case 'object':
        break;
      case 'bigint':
      case 'function':
      case 'symbol':
      case 'undefined':
        return problemAt(frame, `${typeof value} is not a JSON value`);
    }
    if (value === null) continue;
    if (depth >= maxDepth) return { reason: `nested deeper than ${maxDepth} levels (or a circular alias)`, pointer: pointerOf(frame) };
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i] as unknown, parent: frame, key: i, depth: depth + 1 });
      continue;
    }
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) return problemAt(frame, `not a JSON value (${describe(value)})`);
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      if (key.includes('\u0000')) return problemAt(frame, 'a key holds a NUL character');
      stack.push({ value: obj[key], parent: frame, key, depth: depth + 1 });
    }
  }
  return null;
}

function describe(value: object): string {
  const ctor: unknown = (value as { constructor?: unknown }).constructor;
  return typeof ctor === 'function' && ctor.name ? ctor.name : 'object';
}
