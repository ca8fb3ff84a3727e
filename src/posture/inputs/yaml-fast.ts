/**
 * A fast located YAML reader for posture inputs: js-yaml (about ten times faster than `yaml`
 * composing its AST with ranges) reads the values, and its parse-event listener records where
 * every node starts and ends, so a key's or a list item's line is known without `yaml`.
 * No library gives positions from js-yaml, so the node tree is rebuilt here by hand from the
 * listener's open/close events.
 *
 * It answers only when it can be exact: it declines (returns undefined, and the caller uses
 * the `yaml` path, which has the alias budget and reports per-document errors) for
 *  - any document with an anchor (so no alias), any node with a tag other than the caller's
 *    own, a text that may hold a `%` directive or an explicit `?` key, or a lone carriage
 *    return (js-yaml counts it as a line break, `yaml` does not);
 *  - any text js-yaml refuses (a syntax error, a duplicate key, nesting over `maxDepth`);
 *  - any node whose events do not line up with its value (an empty list item, a flow pair
 *    in a sequence, a key that is not a plain scalar …).
 * Values follow the YAML 1.2 core schema as `yaml` does (see src/core/yaml-input.ts). Tests:
 * yaml-fast.test.ts against `yaml` on fixtures; the inputs' differential tests
 * (kubernetes/parse.test.ts, cloudformation/fast.test.ts) over every YAML file of the shared
 * corpus. Pure, never throws.
 */
import jsyaml from 'js-yaml';
import type { AttrPath } from '../model.js';
import { lineAt as lineOf, lineStarts } from './lines.js';

/** What a node is: an empty node (no content, a null value), a scalar, a sequence or a mapping. */
export type Kind = 'empty' | 'scalar' | 'seq' | 'map';

/** One node: where it starts and ends in the text, what it is, its value and its children. */
export interface YNode {
  /** Offset where js-yaml began reading the node (the node's first character for keys, list items and roots). */
  readonly pos: number;
  /** Offset just after the node's last character (block collections: after the blank/comment lines that follow). */
  end: number;
  kind: Kind;
  value: unknown;
  /** The node's tag when the caller allowed tags (`!Ref` …), else null. */
  tag: string | null;
  /**
   * Maps: key, value, key, value …; sequences: the items. Undefined for scalars and empty nodes.
   */
  children: YNode[] | undefined;
}

export interface FastDocument {
  readonly value: unknown;
  readonly root: YNode;
}

export interface FastYaml {
  /** The text the offsets refer to (without a leading byte-order mark, which moves no line). */
  readonly text: string;
  readonly documents: readonly FastDocument[];
  /** 1-based line of an offset. */
  readonly lineAt: (offset: number) => number;
}

export interface FastOptions {
  /** Deepest nesting js-yaml reads before refusing (then the caller's `yaml` path decides). */
  readonly maxDepth: number;
  /** Custom tags the text may use (see {@link fastTags}); any other tag declines the fast path. */
  readonly tags?: FastTags;
}

/** A schema with custom tags, and their names for the cheap pre-check. */
export interface FastTags {
  readonly schema: jsyaml.Schema;
  readonly names: ReadonlySet<string>;
}

/** The core schema plus custom tags (`!Ref` …), each for the node kinds it may tag. */
export function fastTags(defs: readonly { readonly tag: string; readonly kind: 'scalar' | 'sequence' | 'mapping'; readonly construct: (data: unknown) => unknown }[]): FastTags {
  const types = defs.map((d) => new jsyaml.Type(d.tag, { kind: d.kind, construct: d.construct }));
  return { schema: jsyaml.CORE_SCHEMA.extend(types), names: new Set(defs.map((d) => d.tag)) };
}

/** js-yaml ≥ 4.2 takes `maxDepth`; its typings predate it. */
interface LoadOptions extends jsyaml.LoadOptions {
  readonly maxDepth: number;
}

/** js-yaml's parser state as the listener sees it (`tag` is not in the typings). */
interface ListenerState extends jsyaml.State {
  readonly tag: string | null;
  /** Anchors defined so far in the current document. */
  readonly anchorMap: Record<string, unknown>;
}

const DIRECTIVE = /^%/m;
const EXPLICIT_KEY = /(?:^|[\s[{,])\?(?:[ \t]|$)/m;
const LONE_CR = /\r(?!\n)/;

/**
 * Reads every document of `source` with positions, or returns undefined when the fast path
 * cannot be exact (the caller then uses `yaml`).
 */
export function loadFast(source: string, options: FastOptions): FastYaml | undefined {
  const text = source.charCodeAt(0) === 0xfeff ? source.slice(1) : source;
  // (`includes` first: the regexes cost twenty times as much as a plain search.)
  if (text.includes('%') && DIRECTIVE.test(text)) return undefined;
  if (text.includes('?') && EXPLICIT_KEY.test(text)) return undefined;
  if ((text.includes('\r') && LONE_CR.test(text)) || text.includes('\0')) return undefined;

  const roots: YNode[] = [];
  const stack: YNode[] = [];
  const allowed = options.tags?.names;
  let declined = false;
  const mayTag = text.includes('!');
  const listener = (event: jsyaml.EventType, state: jsyaml.State): void => {
    if (event === 'open') {
      stack.push({ pos: state.position, end: state.position, kind: 'empty', value: null, tag: null, children: undefined });
      return;
    }
    const node = stack.pop();
    if (node === undefined) return;
    node.end = state.position;
    const s = state as ListenerState;
    node.kind = s.kind === 'mapping' ? 'map' : s.kind === 'sequence' ? 'seq' : s.kind === 'scalar' ? 'scalar' : 'empty';
    node.value = s.result as unknown;
    // A node written with a tag starts with `!` (anchors are refused below, so nothing else
    // comes first). Only the caller's own tags are read here; `yaml` takes the rest.
    if (mayTag && text.charCodeAt(contentStart(text, node)) === 0x21) {
      if (allowed === undefined || s.tag === null || !allowed.has(s.tag)) declined = true;
      node.tag = s.tag;
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      (parent.children ??= []).push(node);
      return;
    }
    roots.push(node);
    // js-yaml shares an aliased node instead of copying it: an alias bomb would cost nothing
    // here and explode in every later walk. A document with any anchor goes to `yaml`.
    for (const _ in s.anchorMap) declined = true;
  };
  let values: unknown[];
  try {
    const load: LoadOptions = { schema: options.tags?.schema ?? jsyaml.CORE_SCHEMA, json: false, maxDepth: options.maxDepth, listener };
    values = jsyaml.loadAll(text, null, load);
  } catch {
    return undefined;
  }
  if (declined || values.length !== roots.length) return undefined;
  const documents: FastDocument[] = [];
  for (let i = 0; i < roots.length; i++) {
    const root = normalise(text, roots[i]!);
    if (root === undefined || !Object.is(root.value, values[i])) return undefined;
    documents.push({ value: values[i], root });
  }
  let starts: number[] | undefined;
  return {
    text,
    documents,
    lineAt: (offset: number): number => lineOf((starts ??= lineStarts(text)), offset),
  };
}

// Where a node sits, for the indentation check below: at the root, inside a flow collection,
// or in a block collection (then the offset whose column its continuation lines must exceed).
const AT_ROOT = -1;
const IN_FLOW = -2;

/**
 * Checks that a node's events line up with its value, and unwraps the node js-yaml reads twice
 * (a flow collection or a scalar first tried as the key of a block mapping is a child of the
 * node that holds it, with the same value). Returns the node to use, or undefined when the
 * tree cannot be trusted. Iterative (the depth is bounded by `maxDepth` anyway).
 *
 * Also declines what js-yaml reads but `yaml` refuses: a quoted scalar or a flow collection in
 * block context whose continuation lines are not indented more than the key (or list item) it
 * belongs to (a tab does not count as indentation there).
 */
function normalise(text: string, start: YNode): YNode | undefined {
  const top = unwrap(start);
  let starts: number[] | undefined;
  const column = (offset: number): number => offset - (starts ??= lineStarts(text))[lineOf(starts, offset) - 1]!;
  // A stack of nodes, each with where it sits (AT_ROOT, IN_FLOW or the offset of its key or
  // list item) and how many columns left of that offset its parent's indentation may be.
  const nodes: YNode[] = [top];
  const refs: number[] = [AT_ROOT];
  const slack: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const ref = refs.pop()!;
    const left = slack.pop()!;
    const flowCollection = (node.kind === 'map' || node.kind === 'seq') && isClosedByBracket(text, node);
    if (ref >= 0 && (flowCollection || isMultiLineQuoted(text, node)) && !continuationIndented(text, node, column(ref) - left)) return undefined;
    if (node.kind === 'scalar' || node.kind === 'empty') {
      node.children = undefined;
      continue;
    }
    const inFlow = flowCollection || ref === IN_FLOW;
    const children = node.children ?? [];
    if (node.kind === 'seq') {
      const items = node.value as unknown[];
      if (!Array.isArray(items) || items.length !== children.length) return undefined;
      for (let i = 0; i < children.length; i++) {
        const c = (children[i] = unwrap(children[i]!));
        if (!Object.is(c.value, items[i])) return undefined;
        nodes.push(c);
        refs.push(inFlow ? IN_FLOW : c.pos);
        // A block list item: its `-` is at least one column left of the item's content.
        slack.push(1);
      }
      continue;
    }
    // A block mapping ends by trying to read one more key (an empty node) where the next
    // line is not one: drop it.
    if (children.length % 2 === 1 && children[children.length - 1]!.kind === 'empty') children.pop();
    const obj = node.value as Record<string, unknown>;
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return undefined;
    let keys = 0;
    for (const _ in obj) keys++;
    if (children.length !== 2 * keys) return undefined;
    for (let i = 0; i < children.length; i += 2) {
      const k = unwrap(children[i]!);
      const kv = k.value;
      if (k.kind !== 'scalar' || k.tag !== null || (typeof kv !== 'string' && typeof kv !== 'number' && typeof kv !== 'boolean')) return undefined;
      const key = String(kv);
      if (!Object.prototype.hasOwnProperty.call(obj, key)) return undefined;
      const v = (children[i + 1] = unwrap(children[i + 1]!));
      if (!Object.is(v.value, obj[key])) return undefined;
      children[i] = k;
      nodes.push(v);
      refs.push(inFlow ? IN_FLOW : k.pos);
      slack.push(0);
    }
  }
  return top;
}

/**
 * A flow collection ends with its bracket; a block collection ends past the line break (and
 * any blank or comment lines) after its last entry (js-yaml adds a final line break).
 */
function isClosedByBracket(text: string, node: YNode): boolean {
  const c = text.charCodeAt(node.end - 1);
  return c === 0x5d || c === 0x7d;
}

/** A quoted scalar over several lines. */
function isMultiLineQuoted(text: string, node: YNode): boolean {
  if (node.kind !== 'scalar') return false;
  const nl = text.indexOf('\n', node.pos);
  if (nl === -1 || nl >= node.end - 1) return false;
  const c = text.charCodeAt(contentStart(text, node));
  return c === 0x22 || c === 0x27;
}

/** Offset of a node's first character: past the spaces, line breaks and comments js-yaml reads before it. */
function contentStart(text: string, node: YNode): number {
  return skipSeparation(text, node.pos, node.end);
}

function skipSeparation(text: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 0x23) {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? end : nl;
    } else if (isBlank(c)) i++;
    else break;
  }
  return i;
}

/**
 * Where `yaml` says a node starts: its first character after its tag (a tagged node's value
 * may be on the next line), or, for an empty value, right after its `:`.
 */
export function nodeStart(text: string, node: YNode): number {
  if (node.kind === 'empty') return node.pos;
  const start = contentStart(text, node);
  if (node.tag === null || text.charCodeAt(start) !== 0x21) return start;
  let i = start;
  while (i < node.end && !isBlank(text.charCodeAt(i))) i++;
  return skipSeparation(text, i, node.end);
}

/** Whether every line after a node's first is blank or indented with more than `minColumn` spaces. */
function continuationIndented(text: string, node: YNode, minColumn: number): boolean {
  if (minColumn < 0) return true;
  const end = Math.min(node.end, text.length);
  for (let nl = text.indexOf('\n', contentStart(text, node)); nl !== -1 && nl < end - 1; nl = text.indexOf('\n', nl + 1)) {
    let i = nl + 1;
    while (text.charCodeAt(i) === 0x20) i++;
    const spaces = i - nl - 1;
    while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || i >= end) continue;
    if (spaces <= minColumn) return false;
  }
  return true;
}

function unwrap(node: YNode): YNode {
  let n = node;
  for (;;) {
    const c = n.children?.length === 1 ? n.children[0]! : undefined;
    if (c === undefined || (n.kind !== 'map' && n.kind !== 'seq') || c.kind !== n.kind || c.value !== n.value) return n;
    // A tag (`- !If` then a flow list on the next line) is read before the collection.
    if (c.tag !== null && c.tag !== n.tag) return n;
    c.tag = n.tag;
    n = c;
  }
}

/** The node under `node` at one path segment (a map key or a list index). */
export function child(node: YNode, seg: string | number): YNode | undefined {
  const c = node.children;
  if (c === undefined) return undefined;
  if (node.kind === 'seq') return typeof seg === 'number' ? c[seg] : undefined;
  const key = String(seg);
  for (let i = 0; i < c.length; i += 2) if (String(c[i]!.value) === key) return c[i + 1];
  return undefined;
}

/**
 * Line of the key (or list item) at `path` below `root`, or undefined when absent: the same
 * answer as walking `yaml`'s AST (the key's line for a map segment, the item's for an index).
 */
export function keyLine(fy: FastYaml, root: YNode, path: AttrPath): number | undefined {
  let node = root;
  let at = -1;
  for (const seg of path) {
    const c = node.children;
    if (c === undefined) return undefined;
    if (node.kind === 'seq') {
      if (typeof seg !== 'number') return undefined;
      const item = c[seg];
      if (item === undefined) return undefined;
      at = item.pos;
      node = item;
      continue;
    }
    const key = String(seg);
    let found: YNode | undefined;
    for (let i = 0; i < c.length; i += 2) {
      if (String(c[i]!.value) === key) {
        at = c[i]!.pos;
        found = c[i + 1];
        break;
      }
    }
    if (found === undefined) return undefined;
    node = found;
  }
  return at < 0 ? undefined : fy.lineAt(at);
}

/**
 * Offset just after the last character of a node's own content: its last scalar (a block
 * scalar's last non-blank line), closing bracket or, for an empty value, the `:` before it.
 * Comments and blank lines after the content are not part of it.
 */
export function contentEnd(text: string, node: YNode): number {
  let n = node;
  for (;;) {
    const c = n.children;
    if (c === undefined || c.length === 0 || isClosedByBracket(text, n)) break;
    n = c[c.length - 1]!;
  }
  // An empty value starts right after its `:` (its end is past what js-yaml skipped looking for it).
  if (n.kind === 'empty') return n.pos;
  return lastNonBlank(text, n.pos, n.end);
}

/** Offset after the last character in [from, to) that is not a space, tab or line break (`from` when none). */
export function lastNonBlank(text: string, from: number, to: number): number {
  let e = Math.min(to, text.length);
  while (e > from && isBlank(text.charCodeAt(e - 1))) e--;
  return e;
}

/**
 * Offset after the last non-blank character of the document that holds content ending at
 * `offset`: comment lines after the content still belong to it, up to the next `---` / `...`
 * marker or the end of the text.
 */
export function documentEnd(text: string, offset: number): number {
  let i = offset;
  let last = offset;
  while (i < text.length) {
    const ch = text.charCodeAt(i);
    if (isBlank(ch)) {
      i++;
      continue;
    }
    const lineStart = i === 0 || text.charCodeAt(i - 1) === 0x0a;
    if (lineStart && isMarker(text, i)) break;
    if (ch !== 0x23) break; // anything but a comment: the document ends before it
    let j = text.indexOf('\n', i);
    if (j === -1) j = text.length;
    last = lastNonBlank(text, i, j);
    i = j;
  }
  return last;
}

function isMarker(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if ((c !== 0x2d && c !== 0x2e) || text.charCodeAt(i + 1) !== c || text.charCodeAt(i + 2) !== c) return false;
  const after = text.charCodeAt(i + 3);
  return Number.isNaN(after) || isBlank(after);
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

export { lineStarts, lineOf };
