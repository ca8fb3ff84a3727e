import jsyaml from 'js-yaml';
import { Lexer, parseDocument } from 'yaml';
import { moreOpenersThan, type JsonProblem } from './json-input.js';

/**
 * Reading untrusted YAML (OSV's PyPA files, pnpm-lock.yaml, pubspec.lock, Kubernetes
 * manifests …) into a plain value with the guards `yaml` needs: a size cap (the library
 * takes about 2 µs per character), a flow-nesting check with the library's own lexer before
 * composing (deep `[[[[…` makes the composer recurse until it runs out of stack or memory),
 * an alias budget against "billion laughs", unique keys, one document only. Pure.
 *
 * Two parsers: `js-yaml` (YAML 1.2 core schema), about ten times faster, for documents
 * without anchors or aliases; `yaml` with its alias budget for the rest. js-yaml shares an
 * aliased node instead of copying it, so an alias bomb would cost nothing to load but
 * explode in every later walk over the value: documents that might hold an anchor or an
 * alias (any `&` or `*` starting a token) never reach it. Both refuse duplicate keys and
 * several documents, neither applies `<<` merge keys, and they give the same value for every
 * OSV YAML file in the shared corpus (checked when it was introduced).
 */
export interface YamlLimits {
  /** Largest input accepted, in bytes. */
  readonly maxBytes: number;
  /** Deepest flow-collection nesting accepted. */
  readonly maxDepth: number;
  /** `yaml`'s `maxAliasCount`: how much aliasing a document may use before it is refused. */
  readonly maxAliases: number;
}

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem };

const decoder = new TextDecoder('utf-8', { fatal: true });
const fail = (reason: string, pointer?: string): YamlResult => ({ ok: false, problem: { reason, pointer } });
const firstLine = (s: string): string => (s.split('\n', 1)[0] ?? '').slice(0, 200);

export function readYaml(bytes: Uint8Array, limits: YamlLimits): YamlResult {
  if (bytes.length > limits.maxBytes) return fail(`YAML input is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail('input is not valid UTF-8');
  }
  return readYamlText(text, limits);
}

/** As {@link readYaml}, for text already decoded (the byte limit applies to its length). */
export function readYamlText(text: string, limits: YamlLimits): YamlResult {
  if (text.length > limits.maxBytes) return fail(`YAML input is ${text.length} characters, over the ${limits.maxBytes} limit`);
  if (text.trim() === '') return fail('input is empty');
  const deep = flowDepthExceeds(text, limits.maxDepth);
  if (deep !== null) return fail(`YAML flow collections nested deeper than ${limits.maxDepth} levels (token ${deep})`);
  if (!mayHoldAnchors(text)) {
    try {
      return { ok: true, value: jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: false }) };
    } catch (err) {
      return fail(`malformed YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`);
    }
  }
  try {
    const doc = parseDocument(text, { version: '1.2', schema: 'core', uniqueKeys: true, merge: false, prettyErrors: true });
    const err = doc.errors[0];
    if (err) return fail(`malformed YAML: ${firstLine(err.message)}`);
    return { ok: true, value: doc.toJS({ maxAliasCount: limits.maxAliases }) as unknown };
  } catch (err) {
    // toJS throws a ReferenceError when the alias budget is exhausted.
    return fail(`YAML refused: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
}

/**
 * Whether a `&` (anchor) or `*` (alias) may start a token: after a line start, a space or a
 * flow indicator, followed by a non-space. Conservative (a `*` in prose also counts), linear.
 */
export function mayHoldAnchors(text: string): boolean {
  return ANCHOR_OR_ALIAS.test(text);
}

const ANCHOR_OR_ALIAS = /(?:^|[\s[{,:?-])[&*]\S/m;

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

