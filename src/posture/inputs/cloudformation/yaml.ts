/**
 * CloudFormation YAML → located tree (tree.ts), with the template's comments for inline
 * suppressions. Uses `yaml`'s CST (for real comments, never `#` inside strings or block
 * scalars) and its AST (for lines), with custom tags for every short-form intrinsic so
 * `!GetAtt A.B` becomes `{ "Fn::GetAtt": ["A", "B"] }` and `!Ref X` becomes `{ Ref: X }`.
 *
 * Guards: a size cap, the lexer's flow-nesting check before composing (deep `[[[[…` makes the
 * composer recurse), a depth cap and a node budget on the walk (aliases are expanded by the
 * walk, so a "billion laughs" document runs out of budget instead of memory), duplicate keys
 * found with a set (yaml's own `uniqueKeys` compares every pair). Pure, never throws.
 *
 * Scalars: YAML 1.2 core schema, except that a plain number whose canonical form differs from
 * the source (`012345678901`, `10.10`, `1e3`, `.inf`) keeps the source text: CloudFormation
 * passes scalars to services as strings, and an account id or an engine version must not lose
 * digits.
 */
import {
  Composer,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Parser,
  type CollectionTag,
  type Document,
  type Node,
  type ScalarTag,
} from 'yaml';
import { flowDepthExceeds } from '../../../core/yaml-input.js';
import type { Comment } from '../../suppress/inline.js';
import { CFN_LIMITS } from './limits.js';
import { readYamlTemplateFast } from './fast.js';
import { intrinsic, scalarValue, SHORT_FORMS } from './short-forms.js';
import { lineOfOffset, lineStarts, map, relocate, scalar, seq, type LEntry, type LNode } from './tree.js';

export { longForm, SHORT_FORMS } from './short-forms.js';

export interface ReadProblem {
  readonly line?: number | undefined;
  readonly reason: string;
}

export interface ReadResult {
  /** The document's root, or undefined when nothing could be read. */
  readonly root: LNode | undefined;
  readonly comments: readonly Comment[];
  readonly problems: readonly ReadProblem[];
}

/** Tags that keep the node as it is; the walk turns a tagged node into its long form. */
const CUSTOM_TAGS: (ScalarTag | CollectionTag)[] = SHORT_FORMS.flatMap((name) => [
  { tag: `!${name}`, resolve: (s: string): string => s },
  { tag: `!${name}`, collection: 'seq' as const, resolve: (n: unknown): unknown => n },
  { tag: `!${name}`, collection: 'map' as const, resolve: (n: unknown): unknown => n },
]);

class Refused extends Error {}

const firstLine = (s: string): string => (s.split('\n', 1)[0] ?? '').slice(0, 300);

export function readYamlTemplate(source: string): ReadResult {
  return readYamlTemplateFast(source) ?? readYamlTemplateWithYaml(source);
}

/** The `yaml` reader: every template (the fast reader declines what it cannot read exactly as this one). */
export function readYamlTemplateWithYaml(source: string): ReadResult {
  const problems: ReadProblem[] = [];
  const deep = flowDepthExceeds(source, CFN_LIMITS.maxDepth);
  if (deep !== null) {
    return { root: undefined, comments: [], problems: [{ reason: `YAML flow collections nested deeper than ${CFN_LIMITS.maxDepth} levels` }] };
  }
  const starts = lineStarts(source);
  const lineAt = (offset: number): number => lineOfOffset(starts, offset);
  let docs: Document.Parsed[];
  let comments: Comment[] = [];
  try {
    const tokens = Array.from(new Parser().parse(source));
    if (source.includes('vigil:ignore=')) comments = cstComments(tokens, lineAt);
    const composer = new Composer({ customTags: CUSTOM_TAGS, uniqueKeys: false, merge: false, version: '1.2', schema: 'core' });
    docs = Array.from(composer.compose(tokens, true, source.length));
  } catch (err) {
    return { root: undefined, comments, problems: [{ reason: `YAML could not be read: ${firstLine(err instanceof Error ? err.message : String(err))}` }] };
  }
  const doc = docs[0];
  if (doc === undefined || doc.contents === null) return { root: undefined, comments, problems };
  if (docs.length > 1) {
    problems.push({ line: lineAt(docs[1]!.range[0]), reason: 'a template is one YAML document; the documents after the first were not read' });
  }
  for (const e of doc.errors.slice(0, CFN_LIMITS.maxProblemsPerFile)) {
    problems.push({ line: lineAt(e.pos[0]), reason: `YAML error: ${firstLine(e.message)}` });
  }
  const walker = new Walker(source, lineAt, problems);
  try {
    return { root: walker.node(doc.contents, 0), comments, problems };
  } catch (err) {
    if (!(err instanceof Refused) && !(err instanceof RangeError)) throw err;
    problems.push({ reason: err.message });
    return { root: undefined, comments, problems };
  }
}

/** Every comment token of the CST (document, collection item and flow-collection comments). */
function cstComments(tokens: readonly unknown[], lineAt: (offset: number) => number): Comment[] {
  const out: Comment[] = [];
  const stack: unknown[] = [...tokens];
  while (stack.length > 0) {
    const t = stack.pop();
    if (Array.isArray(t)) {
      for (const x of t) if (typeof x === 'object' && x !== null) stack.push(x);
      continue;
    }
    if (typeof t !== 'object' || t === null) continue;
    const rec = t as Record<string, unknown>;
    if (rec['type'] === 'comment' && typeof rec['source'] === 'string' && typeof rec['offset'] === 'number') {
      out.push({ line: lineAt(rec['offset']), text: rec['source'].slice(1) });
      continue;
    }
    for (const v of Object.values(rec)) if (typeof v === 'object' && v !== null) stack.push(v);
  }
  return out.sort((a, b) => a.line - b.line);
}

class Walker {
  private budget: number = CFN_LIMITS.maxNodes;
  private readonly anchors = new Map<string, Node>();

  constructor(
    private readonly source: string,
    private readonly lineAt: (offset: number) => number,
    private readonly problems: ReadProblem[],
  ) {}

  node(n: unknown, depth: number): LNode {
    if (--this.budget < 0) throw new Refused(`template has more than ${CFN_LIMITS.maxNodes} nodes (aliases included); not read`);
    if (depth > CFN_LIMITS.maxDepth) throw new Refused(`template nested deeper than ${CFN_LIMITS.maxDepth} levels; not read`);
    if (n === null || n === undefined) return scalar(null, 1);
    const node = n as Node;
    const line = node.range ? this.lineAt(node.range[0]) : 1;
    if (isAlias(node)) {
      // yaml's own Alias.resolve searches the whole document on every call; anchors are
      // recorded in document order as the walk meets them instead (a later anchor of the same
      // name wins for the aliases after it, as YAML says).
      const target = this.anchors.get(node.source);
      if (target === undefined) {
        this.problems.push({ line, reason: `YAML alias *${node.source} has no anchor` });
        return scalar(null, line);
      }
      return relocate(this.node(target, depth + 1), line);
    }
    if (node.anchor !== undefined) this.anchors.set(node.anchor, node);
    const plain = this.untagged(node, line, depth);
    const tag = node.tag;
    if (tag === undefined || !tag.startsWith('!') || tag.startsWith('!!')) return plain;
    return this.intrinsic(tag, plain, line);
  }

  private untagged(node: Node, line: number, depth: number): LNode {
    if (isScalar(node)) {
      const end = node.range ? this.lastLine(node.range[0], node.range[1]) : line;
      return scalar(scalarValue(node.value, node.type === 'PLAIN', node.source), line, end);
    }
    if (isSeq(node)) {
      const items = node.items.map((i) => this.node(i, depth + 1));
      return seq(items, line, Math.max(line, ...items.slice(-1).map((i) => i.end)));
    }
    if (isMap(node)) {
      const entries: LEntry[] = [];
      const index = new Map<string, number>();
      for (const pair of node.items) {
        const k = pair.key as Node | null;
        const kLine = k?.range ? this.lineAt(k.range[0]) : line;
        const kv: unknown = isScalar(k) ? k.value : undefined;
        if (typeof kv !== 'string' && typeof kv !== 'number' && typeof kv !== 'boolean') {
          this.problems.push({ line: kLine, reason: 'a mapping key that is not a scalar was ignored' });
          continue;
        }
        const key = String(kv);
        const value = pair.value === null ? scalar(null, kLine) : this.node(pair.value, depth + 1);
        const e: LEntry = { key, line: kLine, value };
        const seen = index.get(key);
        if (seen === undefined) {
          index.set(key, entries.length);
          entries.push(e);
        } else {
          this.problems.push({ line: kLine, reason: `duplicate key "${key.slice(0, 100)}" (first at line ${entries[seen]!.line}); the last value is used` });
          entries[seen] = e;
        }
      }
      const last = entries.reduce((m, e) => Math.max(m, e.value.end, e.line), line);
      return map(entries, line, last);
    }
    return scalar(null, line);
  }

  /** A short-form tag as its long form. */
  private intrinsic(tag: string, value: LNode, line: number): LNode {
    return intrinsic(tag, value, line);
  }

  /** Line of the last non-blank character in [start, end). */
  private lastLine(start: number, end: number): number {
    let e = Math.min(end, this.source.length);
    while (e > start + 1 && isBlank(this.source.charCodeAt(e - 1))) e--;
    return this.lineAt(Math.max(start, e - 1));
  }
}

const isBlank = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13;

