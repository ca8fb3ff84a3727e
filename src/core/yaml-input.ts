import jsyaml from 'js-yaml';
import { isScalar, Lexer, parseDocument, visit, type Document, type Scalar } from 'yaml';
import { moreOpenersThan, type JsonProblem } from './json-input.js';

/**
 * Reading untrusted YAML (OSV's PyPA files, pnpm-lock.yaml, pubspec.lock, Kubernetes
 * manifests …) into a plain value with the guards `yaml` needs: a size cap (the library
 * takes about 2 µs per character), a flow-nesting check with the library's own lexer before
 * composing (deep `[[[[…` makes the composer recurse until it runs out of stack or memory),
 * an alias budget against "billion laughs", unique keys, one document only. Pure.
 *
 * Two parsers: `js-yaml`, about ten times faster, for documents without anchors or aliases;
 * `yaml` with its alias budget for the rest. js-yaml shares an aliased node instead of
 * copying it, so an alias bomb would cost nothing to load but explode in every later walk
 * over the value: its value is used only for documents with no anchor, which therefore hold
 * no alias (a quick scan for any `&` or `*` starting a token; where that scan is unsure, the
 * anchors js-yaml itself saw: loadWithoutAnchors). Both refuse duplicate keys and several
 * documents, neither applies `<<` merge keys, and they give the same value for every OSV YAML
 * file in the shared corpus (checked when it was introduced) and for every scalar under either
 * schema (tested).
 *
 * Nesting: js-yaml counts it itself (its `maxDepth`, every block and flow collection on the
 * path), so its path needs no pre-pass; the `yaml` path keeps the lexer check of flow nesting
 * before composing (its block nesting is bounded by the byte cap: each level costs indentation).
 */
export interface YamlLimits {
  /** Largest input accepted, in bytes. */
  readonly maxBytes: number;
  /**
   * Deepest collection nesting accepted: block and flow collections for js-yaml, flow
   * collections for the `yaml` path (see above).
   */
  readonly maxDepth: number;
  /** `yaml`'s `maxAliasCount`: how much aliasing a document may use before it is refused. */
  readonly maxAliases: number;
}

export interface YamlOptions {
  /**
   * `core` (default): YAML 1.2 core schema, `1.10` → 1.1, `true` → true, `~` → null.
   * `failsafe`: every scalar is the string as written (`1.10`, `true`, `~`, `2024-01-02` stay
   * strings), which lockfiles need (pnpm `version: 1.10`). An empty node is null under both
   * schemas, on both paths (YAML's failsafe would make it '', js-yaml makes it null).
   */
  readonly schema?: 'core' | 'failsafe' | undefined;
}

export type YamlResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problem: JsonProblem };

const decoder = new TextDecoder('utf-8', { fatal: true });
const fail = (reason: string, pointer?: string): YamlResult => ({ ok: false, problem: { reason, pointer } });
const firstLine = (s: string): string => (s.split('\n', 1)[0] ?? '').slice(0, 200);

export function readYaml(bytes: Uint8Array, limits: YamlLimits, options: YamlOptions = {}): YamlResult {
  if (bytes.length > limits.maxBytes) return fail(`YAML input is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return fail('input is not valid UTF-8');
  }
  return readYamlText(text, limits, options);
}

/** js-yaml ≥ 4.2 takes `maxDepth` (nodes on one path, the leaf scalar included); its typings predate it. */
interface JsYamlLoadOptions extends jsyaml.LoadOptions {
  readonly maxDepth: number;
}

/** As {@link readYaml}, for text already decoded (the byte limit applies to its length). */
export function readYamlText(text: string, limits: YamlLimits, options: YamlOptions = {}): YamlResult {
  if (text.length > limits.maxBytes) return fail(`YAML input is ${text.length} characters, over the ${limits.maxBytes} limit`);
  if (text.trim() === '') return fail('input is empty');
  const failsafe = options.schema === 'failsafe';
  const jsOptions: JsYamlLoadOptions = { schema: failsafe ? jsyaml.FAILSAFE_SCHEMA : jsyaml.CORE_SCHEMA, json: false, maxDepth: limits.maxDepth + 1 };
  if (!mayHoldAnchors(text)) {
    try {
      return { ok: true, value: jsyaml.load(text, jsOptions) };
    } catch (err) {
      if (err instanceof jsyaml.YAMLException && err.reason.startsWith('nesting exceeded maxDepth')) {
        // Name flow nesting as the `yaml` path does (the lexer stops at the first token too deep).
        const deep = flowDepthExceeds(text, limits.maxDepth);
        if (deep !== null) return fail(`YAML flow collections nested deeper than ${limits.maxDepth} levels (token ${deep})`);
        return fail(`YAML collections nested deeper than ${limits.maxDepth} levels (line ${err.mark.line + 1})`);
      }
      return fail(`malformed YAML: ${firstLine(err instanceof Error ? err.message : String(err))}`);
    }
  }
  const plain = loadWithoutAnchors(text, jsOptions);
  if (plain) return { ok: true, value: plain.value };
  const deep = flowDepthExceeds(text, limits.maxDepth);
  if (deep !== null) return fail(`YAML flow collections nested deeper than ${limits.maxDepth} levels (token ${deep})`);
  try {
    // `uniqueKeys: true` compares each key with every earlier key of its map (50 s for a
    // 20,000-entry lockfile): duplicates are found with a set instead, the same equality.
    const doc = parseDocument(text, { version: '1.2', schema: failsafe ? 'failsafe' : 'core', uniqueKeys: false, merge: false, prettyErrors: true });
    const err = doc.errors[0];
    if (err) return fail(`malformed YAML: ${firstLine(err.message)}`);
    const duplicate = firstDuplicateKey(doc);
    if (duplicate !== undefined) return fail(`malformed YAML: Map keys must be unique (line ${lineAt(text, duplicate)})`);
    if (failsafe) visit(doc, { Scalar: emptyAsNull });
    return { ok: true, value: doc.toJS({ maxAliasCount: limits.maxAliases }) as unknown };
  } catch (err) {
    // toJS throws a ReferenceError when the alias budget is exhausted.
    return fail(`YAML refused: ${firstLine(err instanceof Error ? err.message : String(err))}`);
  }
}

/** What js-yaml's parse events show of its state: the anchors of the document read so far (js-yaml ≥ 4). */
interface AnchorState {
  readonly anchorMap?: object;
}

/**
 * Text that mayHoldAnchors flags (a `*` in prose is enough: 2 % of OSV's PyPA files) still
 * goes to js-yaml first, watching its parse events: a document that defines no anchor can hold
 * no alias either (js-yaml refuses an alias to an undefined anchor), so its value is as plain
 * as on the path without anchors. A document with an anchor, or one js-yaml refuses, is left
 * for `yaml` (undefined), with its alias budget and its error messages, as before.
 */
function loadWithoutAnchors(text: string, options: JsYamlLoadOptions): { readonly value: unknown } | undefined {
  let state: AnchorState | undefined;
  let value: unknown;
  try {
    value = jsyaml.load(text, {
      ...options,
      listener(_event, s) {
        state ??= s as AnchorState;
      },
    });
  } catch {
    return undefined;
  }
  // No parse event at all: an empty document, which has no node to anchor.
  if (state === undefined) return { value };
  const anchors = state.anchorMap;
  return anchors !== undefined && Object.keys(anchors).length === 0 ? { value } : undefined;
}

/** Offset of the first map key equal (same scalar value, as `yaml` compares them) to an earlier key of its map. */
function firstDuplicateKey(doc: Document): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Map(_key, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) {
          found = pair.key.range?.[0] ?? 0;
          return visit.BREAK;
        }
        seen.add(pair.key.value);
      }
      return undefined;
    },
  });
  return found;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** An empty node (a plain scalar with no source) is null, as js-yaml makes it, not ''. */
function emptyAsNull(_key: unknown, node: Scalar): void {
  if (node.type === 'PLAIN' && node.source === '') node.value = null;
}

/**
 * Whether a `&` (anchor) or `*` (alias) may start a token: after a line start, a space or a
 * flow indicator (or a `:` right after one of those, a quote or a bracket), followed by a
 * non-space. Conservative (a `*` in prose or inside quotes also counts), linear.
 */
export function mayHoldAnchors(text: string): boolean {
  return ANCHOR_OR_ALIAS.test(text);
}

// A `:` counts only where a value may follow it directly: after a separator, a quoted key or
// a flow collection (`{"a":*x}`, `{a :*x}`); in `lodash@npm:*` it is inside a plain scalar.
const ANCHOR_OR_ALIAS = /(?:(?:^|[\s[{,?-]):?|["'\]}]:)[&*]\S/m;

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

