/**
 * Kubernetes manifests → posture resources: multi-document YAML (Helm-rendered output
 * included), JSON, `List` kinds (`kubectl get -A -o json`), CRDs and custom resources passed
 * through with their own kind. Uses `yaml`'s AST so every attribute keeps its line; a document
 * that fails to parse is a problem with its line and the other documents are still read.
 * Pure, never throws.
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
import { POD_SPEC_PATHS } from './workloads.js';

export const K8S_LIMITS = { maxBytes: 32 * 1024 * 1024, maxFlowDepth: 200, maxAliases: 1000, maxDocuments: 100_000 } as const;

export const IGNORE_ANNOTATION = 'vigil.dev/ignore';

export function parseKubernetes(file: SourceFile): InputResult {
  const problems: InputProblem[] = [];
  const resources: Resource[] = [];
  const { path, text } = file;
  if (text.length > K8S_LIMITS.maxBytes) {
    return { resources, problems: [{ path, reason: `file is ${text.length} characters, over the ${K8S_LIMITS.maxBytes} limit` }] };
  }
  const deep = flowDepthExceeds(text, K8S_LIMITS.maxFlowDepth);
  if (deep !== null) {
    return { resources, problems: [{ path, reason: `flow collections nested deeper than ${K8S_LIMITS.maxFlowDepth} levels` }] };
  }
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, merge: false }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = [];
  } catch (err) {
    return { resources, problems: [{ path, reason: `YAML could not be read: ${(err as Error).message}` }] };
  }
  const lineAt = (offset: number): number => lc.linePos(offset).line;
  const comments = text.includes('vigil:ignore=') ? yamlComments(text, lineAt) : [];
  if (docs.length > K8S_LIMITS.maxDocuments) {
    problems.push({ path, reason: `more than ${K8S_LIMITS.maxDocuments} documents; the rest were not read` });
    docs = docs.slice(0, K8S_LIMITS.maxDocuments);
  }
  for (const doc of docs) {
    const docLine = doc.contents?.range ? lineAt(doc.contents.range[0]) : lineAt(doc.range[0]);
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      problems.push({ path, line: lineAt(e.pos[0]), reason: `YAML error: ${e.message.split('\n', 1)[0]}` });
      continue;
    }
    if (doc.contents === null || (isScalar(doc.contents) && (doc.contents.value === null || doc.contents.value === ''))) continue;
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: K8S_LIMITS.maxAliases });
    } catch (err) {
      problems.push({ path, line: docLine, reason: `YAML error: ${(err as Error).message}` });
      continue;
    }
    if (!isObject(value)) {
      problems.push({ path, line: docLine, reason: 'expected a Kubernetes object (a mapping with apiVersion and kind)' });
      continue;
    }
    const root = doc.contents as Node;
    const items = value['items'];
    const kind = value['kind'];
    if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(items)) {
      items.forEach((item, i) => {
        const itemNode = nodeAt(doc, root, ['items', i]);
        if (itemNode === undefined) return;
        addObject(item, itemNode, `${path}`, doc);
      });
      continue;
    }
    addObject(value, root, path, doc);
  }
  return { resources, problems };

  function addObject(value: unknown, node: Node, filePath: string, doc: Document.Parsed): void {
    const line = node.range ? lineAt(node.range[0]) : 1;
    if (!isObject(value) || typeof value['kind'] !== 'string' || typeof value['apiVersion'] !== 'string') {
      problems.push({ path: filePath, line, reason: 'expected a Kubernetes object with string apiVersion and kind' });
      return;
    }
    const kind = value['kind'];
    const metadata = isObject(value['metadata']) ? value['metadata'] : {};
    const name = typeof metadata['name'] === 'string' ? metadata['name'] : typeof metadata['generateName'] === 'string' ? `${metadata['generateName']}*` : '';
    const namespace = typeof metadata['namespace'] === 'string' ? metadata['namespace'] : undefined;
    const endLine = node.range ? lc.linePos(Math.max(node.range[0], node.range[1] - 1)).line : line;
    const lineOf = (p: AttrPath): number | undefined => {
      const n = keyLine(doc, node, p, lineAt);
      return n;
    };
    const suppressions: InlineSuppression[] = suppressionsFor(comments, line, endLine);
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
      id: `${kind}/${namespace ?? '-'}/${name || `${filePath}:${line}`}`,
      name,
      namespace,
      file: filePath,
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

function deref(doc: Document.Parsed, node: unknown): unknown {
  let n = node;
  for (let i = 0; i < 100 && isAlias(n); i++) n = n.resolve(doc);
  return n;
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
