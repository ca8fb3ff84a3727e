/**
 * The HCL grammar through web-tree-sitter (WASM), loaded once per process on first use.
 *
 * A parse copies the tree-sitter tree into plain JS nodes (`CNode`) in one cursor walk and frees
 * the WASM tree straight away, so nothing outlives the parse call and the converter (convert.ts)
 * works on ordinary objects. Comments are collected on the way (they are extras in the grammar,
 * never text inside strings or heredocs).
 */
import { createRequire } from 'node:module';
import { Language, Parser } from 'web-tree-sitter';
import type { Comment } from './ast.js';
import { lineAt } from './lines.js';

export interface CNode {
  readonly type: string;
  readonly named: boolean;
  readonly missing: boolean;
  /** Start / end offsets in UTF-16 code units, like JS string indexes. */
  readonly s: number;
  readonly e: number;
  readonly kids: CNode[];
}

let loading: Promise<Parser> | undefined;

/** The shared parser; the grammar's `terraform` dialect (identical to `hcl` for our purposes). */
export function hclParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init();
    const require = createRequire(import.meta.url);
    const wasm = require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm');
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return loading;
}

export interface Cst {
  readonly root: CNode;
  readonly hasError: boolean;
  readonly comments: Comment[];
}

function commentLines(text: string, s: number, e: number, starts: readonly number[], out: Comment[]): void {
  const raw = text.slice(s, e);
  const first = lineAt(starts, s);
  if (raw.startsWith('#')) out.push({ line: first, text: raw.slice(1) });
  else if (raw.startsWith('//')) out.push({ line: first, text: raw.slice(2) });
  else {
    const body = raw.slice(2, raw.endsWith('*/') ? -2 : undefined);
    body.split('\n').forEach((l, i) => out.push({ line: first + i, text: l }));
  }
}

/** Parse `text` and copy the tree; the WASM tree is deleted before returning. */
/** Node types the converter reads as source text (offsets only), never by their children. */
const TEXT_ONLY = new Set([
  'template_literal', 'identifier', 'numeric_lit', 'bool_lit', 'null_lit', 'string_lit', 'legacy_index',
  'block_start', 'block_end', 'object_start', 'object_end', 'tuple_start', 'tuple_end', 'heredoc_start',
  'quoted_template_start', 'quoted_template_end', 'template_interpolation_start', 'template_interpolation_end',
  'template_directive_start', 'template_directive_end', 'strip_marker', 'ellipsis',
]);

/** Type names and namedness by type id, read once per language (fewer WASM calls per node). */
const typeTables = new WeakMap<Language, { names: string[]; named: boolean[] }>();

function tables(language: Language): { names: string[]; named: boolean[] } {
  let t = typeTables.get(language);
  if (t === undefined) {
    const names: string[] = [];
    const named: boolean[] = [];
    for (let id = 0; id < language.nodeTypeCount; id++) {
      names.push(language.nodeTypeForId(id) ?? 'ERROR');
      named.push(language.nodeTypeIsNamed(id));
    }
    t = { names, named };
    typeTables.set(language, t);
  }
  return t;
}

/** Parse `text` and copy the tree; the WASM tree is deleted before returning. */
export function parseCst(parser: Parser, text: string, starts: readonly number[]): Cst | undefined {
  const tree = parser.parse(text);
  if (tree === null) return undefined;
  const comments: Comment[] = [];
  const cursor = tree.walk();
  try {
    const hasError = tree.rootNode.hasError;
    const { names, named } = tables(tree.language);
    const root: CNode = { type: cursor.nodeType, named: true, missing: false, s: cursor.startIndex, e: cursor.endIndex, kids: [] };
    const stack: CNode[] = [root];
    // Iterative pre-order walk: no recursion, so deep nesting cannot exhaust the JS stack here.
    let descend = true;
    for (;;) {
      if (!(descend && cursor.gotoFirstChild())) {
        let moved = false;
        while (!moved) {
          if (cursor.gotoNextSibling()) {
            moved = true;
            stack.pop();
          } else if (cursor.gotoParent()) {
            stack.pop();
          } else {
            return { root, hasError, comments };
          }
        }
      }
      const id = cursor.nodeTypeId;
      // Id 65535 is tree-sitter's ERROR symbol; it is past the language's own type table.
      const type = names[id] ?? 'ERROR';
      if (type === 'comment') {
        commentLines(text, cursor.startIndex, cursor.endIndex, starts, comments);
        stack.push(root); // placeholder popped when moving on; never given children
        descend = false;
        continue;
      }
      const node: CNode = { type, named: named[id] ?? true, missing: hasError && cursor.nodeIsMissing, s: cursor.startIndex, e: cursor.endIndex, kids: [] };
      stack[stack.length - 1]!.kids.push(node);
      stack.push(node);
      // Nodes read as text only: their children are not copied (all are, to find errors, when the tree has some).
      descend = hasError || !TEXT_ONLY.has(type);
    }
  } finally {
    cursor.delete();
    tree.delete();
  }
}

/** The first ERROR or MISSING node, depth first. */
export function firstError(root: CNode): CNode | undefined {
  const stack: CNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === 'ERROR' || n.missing) return n;
    for (let i = n.kids.length - 1; i >= 0; i--) stack.push(n.kids[i]!);
  }
  return undefined;
}
