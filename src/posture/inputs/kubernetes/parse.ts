/**
 * Kubernetes manifests → posture resources: multi-document YAML (Helm-rendered output
 * included), JSON, `List` kinds (`kubectl get -A -o json`), CRDs and custom resources passed
 * through with their own kind. Every attribute keeps its line; a document that fails to parse
 * is a problem with its line and the other documents are still read. Pure, never throws.
 *
 * Two readers give the same documents, values and lines: the fast one (../yaml-fast.ts,
 * js-yaml with node positions) for the common text without anchors, aliases or tags, and
 * `yaml`'s AST (alias budget, per-document errors) for everything the fast one declines.
 * Differentially tested over the shared corpus (parse.test.ts).
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import { flowDepthExceeds } from '../../../core/yaml-input.js';
import { isObject } from '../../attrs.js';
import type { AttrPath, InlineSuppression, InputProblem, Resource, ResourceKind } from '../../model.js';
import { parseIgnoreAnnotation, suppressionsFor, type Comment } from '../../suppress/inline.js';
import type { InputResult, SourceFile } from '../types.js';
import { child, contentEnd, documentEnd, keyLine as fastKeyLine, lastNonBlank, lineOf, lineStarts, loadFast, type FastYaml, type YNode } from '../yaml-fast.js';
import { POD_SPEC_PATHS } from './workloads.js';

export const K8S_LIMITS = {
  maxBytes: 32 * 1024 * 1024,
  maxFlowDepth: 200,
  maxAliases: 1000,
  maxDocuments: 100_000,
} as const;

export const IGNORE_ANNOTATION = 'vigil.dev/ignore';

/** One object found in a document (a document's root, or an item of a `List`). */
interface Found {
  readonly value: unknown;
  readonly line: number;
  readonly endLine: number;
  readonly lineOf: (p: AttrPath) => number | undefined;
}

/** What both readers hand to {@link collect}, per document: its objects, or a problem. */
type DocumentOutcome =
  | { readonly skip: true }
  | { readonly problem: InputProblem }
  | { readonly value: unknown; readonly line: number; readonly root: Found; readonly items: () => (Found | undefined)[] };

/** Which reader to use; by default the fast one, and `yaml` for what it declines. */
export type KubernetesReader = 'fast' | 'yaml';

/**
 * One manifest file → resources and problems. `reader` forces one reader (the differential
 * test compares them); forcing `fast` on a text it declines gives a single problem saying so.
 */
export function parseKubernetes(file: SourceFile, reader?: KubernetesReader): InputResult {
  const { path, text } = file;
  if (text.length > K8S_LIMITS.maxBytes) {
    return { resources: [], problems: [{ path, reason: `file is ${text.length} characters, over the ${K8S_LIMITS.maxBytes} limit` }] };
  }
  let starts: number[] | undefined;
  const lineAt = (offset: number): number => lineOf((starts ??= lineStarts(text)), offset);
  const comments = text.includes('vigil:ignore=') ? yamlComments(text, lineAt) : [];
  // Nesting past the flow limit (block or flow) goes to the `yaml` reader, which names it.
  const fast = reader === 'yaml' ? undefined : loadFast(text, { maxDepth: K8S_LIMITS.maxFlowDepth });
  if (reader === 'fast' && fast === undefined) return { resources: [], problems: [{ path, reason: 'declined by the fast reader' }] };
  return fast !== undefined ? collect(path, comments, fastDocuments(path, fast)) : yamlDocuments(path, text, comments);
}

/** Documents → resources (both readers). */
function collect(path: string, comments: readonly Comment[], docs: { outcomes: Iterable<DocumentOutcome>; problems: InputProblem[] }): InputResult {
  const resources: Resource[] = [];
  const problems: InputProblem[] = docs.problems;
  for (const d of docs.outcomes) {
    if ('skip' in d) continue;
    if ('problem' in d) {
      problems.push(d.problem);
      continue;
    }
    const { value } = d;
    if (!isObject(value)) {
      problems.push({ path, line: d.line, reason: 'expected a Kubernetes object (a mapping with apiVersion and kind)' });
      continue;
    }
    const items = value['items'];
    const kind = value['kind'];
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
      for (const item of d.items()) if (item !== undefined) addObject(item);
      continue;
    }
    addObject(d.root);
  }
  return { resources, problems };

  function addObject(found: Found): void {
    const { value, line, endLine, lineOf } = found;
    if (!isObject(value) || typeof value['kind'] !== 'string' || typeof value['apiVersion'] !== 'string') {
      problems.push({ path, line, reason: 'expected a Kubernetes object with string apiVersion and kind' });
      return;
    }
    const kind = value['kind'];
    const metadata = isObject(value['metadata']) ? value['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : typeof metadata['generateName'] === 'string' ? `${metadata['generateName']}*` : '';
    const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
    const suppressions: InlineSuppression[] = comments.length > 0 ? suppressionsFor(comments, line, endLine) : [];
    const annotations = metadata['annotations'];
    if (isObject(annotations) && typeof annotations[IGNORE_ANNOTATION] === 'string') {
      const aLine = lineOf(['metadata', 'annotations', IGNORE_ANNOTATION]) ?? line;
      suppressions.push(...parseIgnoreAnnotation(annotations[IGNORE_ANNOTATION], aLine));
    }
    const podSpecPath = POD_SPEC_PATHS[kind];
    resources.push({
      kind: `k8s:${kind}` as ResourceKind,
      input: 'kubernetes',
      provider: 'kubernetes',
      type: kind,
      id: `${kind}/${namespace ?? '-'}/${name || `${path}:${line}`}`,
      name,
      namespace,
      file: path,
      line,
      endLine,
      attrs: value,
      lineOf,
      refs: [],
      suppressions,
      meta: { apiVersion: value['apiVersion'], ...(podSpecPath ? { podSpecPath } : {}) },
    });
  }
}

/**
 * The last line of an object: its last content line (a block scalar's last non-blank line,
 * a closing bracket, an empty value's key); for a whole document, also the comment lines after
 * it up to the next `---` / `...`.
 */
function endLineOf(lineAt: (o: number) => number, start: number, end: number): number {
  return Math.max(lineAt(start), lineAt(Math.max(start, end - 1)));
}

function fastDocuments(path: string, fy: FastYaml): { outcomes: Iterable<DocumentOutcome>; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  let docs = fy.documents;
  if (docs.length > K8S_LIMITS.maxDocuments) {
    problems.push({ path, reason: `more than ${K8S_LIMITS.maxDocuments} documents; the rest were not read` });
    docs = docs.slice(0, K8S_LIMITS.maxDocuments);
  }
  const found = (value: unknown, node: YNode, wholeDocument: boolean): Found => {
    const end = contentEnd(fy.text, node);
    return {
      value,
      line: fy.lineAt(node.pos),
      endLine: endLineOf(fy.lineAt, node.pos, wholeDocument ? documentEnd(fy.text, end) : end),
      lineOf: (p: AttrPath) => fastKeyLine(fy, node, p),
    };
  };
  function* outcomes(): Generator<DocumentOutcome> {
    for (const d of docs) {
      if (d.value === null || d.value === undefined || d.value === '') {
        yield { skip: true };
        continue;
      }
      const root = found(d.value, d.root, true);
      yield {
        value: d.value,
        line: root.line,
        root,
        items() {
          const list = child(d.root, 'items');
          const values = (d.value as Record<string, unknown>)['items'] as unknown[];
          return values.map((v, i) => {
            const n = list === undefined ? undefined : child(list, i);
            return n === undefined ? undefined : found(v, n, false);
          });
        },
      };
    }
  }
  return { outcomes: outcomes(), problems };
}

function yamlDocuments(path: string, text: string, comments: readonly Comment[]): InputResult {
  const deep = flowDepthExceeds(text, K8S_LIMITS.maxFlowDepth);
  if (deep !== null) {
    return { resources: [], problems: [{ path, reason: `flow collections nested deeper than ${K8S_LIMITS.maxFlowDepth} levels` }] };
  }
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, merge: false }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [];
  } catch (err) {
    return { resources: [], problems: [{ path, reason: `YAML could not be read: ${(err as Error).message}` }] };
  }
  const lineAt = (offset: number): number => lc.linePos(offset).line;
  const problems: InputProblem[] = [];
  if (docs.length > K8S_LIMITS.maxDocuments) {
    problems.push({ path, reason: `more than ${K8S_LIMITS.maxDocuments} documents; the rest were not read` });
    docs = docs.slice(0, K8S_LIMITS.maxDocuments);
  }
  const found = (doc: Document.Parsed, value: unknown, node: Node, wholeDocument: boolean): Found => {
    const start = node.range ? node.range[0] : 0;
    const end = yamlContentEnd(text, doc, node);
    return {
      value,
      line: node.range ? lineAt(start) : 1,
      endLine: node.range ? endLineOf(lineAt, start, wholeDocument ? documentEnd(text, end) : end) : 1,
      lineOf: (p: AttrPath) => keyLine(doc, node, p, lineAt),
    };
  };
  function* outcomes(): Generator<DocumentOutcome> {
    for (const doc of docs) {
      const docLine = doc.contents?.range ? lineAt(doc.contents.range[0]) : lineAt(doc.range[0]);
      if (doc.errors.length > 0) {
        const e = doc.errors[0]!;
        yield { problem: { path, line: lineAt(e.pos[0]), reason: `YAML error: ${e.message.split('\n', 1)[0]}` } };
        continue;
      }
      if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) {
        yield { skip: true };
        continue;
      }
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: K8S_LIMITS.maxAliases });
      } catch (err) {
        yield { problem: { path, line: docLine, reason: `YAML error: ${(err as Error).message}` } };
        continue;
      }
      const rootNode = doc.contents as Node;
      const root = found(doc, value, rootNode, true);
      yield {
        value,
        line: docLine,
        root,
        items() {
          const values = (value as Record<string, unknown>)['items'] as unknown[];
          return values.map((v, i) => {
            const n = nodeAt(doc, rootNode, ['items', i]);
            return n === undefined ? undefined : found(doc, v, n, false);
          });
        },
      };
    }
  }
  return collect(path, comments, { outcomes: outcomes(), problems });
}

function deref(doc: Document.Parsed, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(doc);
  return n;
}

/** `yaml`'s counterpart of yaml-fast's `contentEnd`: after the last character of the node's own content. */
function yamlContentEnd(text: string, doc: Document.Parsed, node: Node): number {
  let n: unknown = node;
  for (let i = 0; i < 10_000; i++) {
    if ((isMap(n) || isSeq(n)) && !n.flow && n.items.length > 0) {
      const last: unknown = n.items[n.items.length - 1];
      if (isMap(n)) {
        const pair = last as { key: unknown; value: unknown };
        const v = pair.value as Node | null;
        // An empty value: where it starts, right after the `:` on its key's line.
        if (v === null || (isScalar(v) && v.source === '' && v.value === null)) {
          const k = pair.key as Node | null;
          return v?.range ? v.range[0] : k?.range ? k.range[1] : (n.range?.[0] ?? 0);
        }
        n = v;
      } else n = last;
      continue;
    }
    break;
  }
  const r = (n as Node | null)?.range;
  if (!r) return node.range ? node.range[0] : 0;
  return lastNonBlank(text, r[0], r[1]);
}

function nodeAt(doc: Document.Parsed, root: Node, path: AttrPath): Node | undefined {
  let node: unknown = root;
  for (const seg of path) {
    node = deref(doc, node);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return undefined;
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof seg !== 'number') return undefined;
      node = node.items[seg];
    } else return undefined;
  }
  node = deref(doc, node);
  return (node ?? undefined) as Node | undefined;
}

/** Line of the key (or list item) at `path` below `root`, or undefined when absent. */
function keyLine(doc: Document.Parsed, root: Node, path: AttrPath, lineAt: (o: number) => number): number | undefined {
  let node: unknown = root;
  let line: number | undefined;
  for (const seg of path) {
    node = deref(doc, node);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (pair === undefined) return undefined;
      const key = pair.key as Node;
      line = key.range ? lineAt(key.range[0]) : line;
      node = pair.value;
    } else if (isSeq(node)) {
      if (typeof seg !== 'number') return undefined;
      const item = node.items[seg] as Node | undefined;
      if (item === undefined || item === null) return undefined;
      line = item.range ? lineAt(item.range[0]) : line;
      node = item;
    } else return undefined;
  }
  return line;
}

/** Comments of a YAML text with their lines, from `yaml`'s own lexer (never inside strings). */
export function yamlComments(text: string, lineAt: (offset: number) => number): Comment[] {
  const out: Comment[] = [];
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    // The lexer's control tokens (document, scalar and flow markers) are not in the source.
    if (token.length === 1 && token.charCodeAt(0) < 0x20 && token !== '\n' && token !== '\t' && token !== '\r') continue;
    if (token === '\u{FEFF}' && offset !== 0) continue;
    if (token.startsWith('#')) out.push({ line: lineAt(offset), text: token.slice(1) });
    offset += token.length;
  }
  return out;
}
