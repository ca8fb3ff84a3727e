/**
 * A block body → `attrs` (the hcl2json / Checkov shape: attributes as JSON values, nested blocks
 * as arrays of objects under the block type) plus a tree of source lines for `lineOf`.
 *
 * `dynamic "x" { for_each, iterator, content {} }` is expanded into `x` blocks when its
 * collection is known, else kept as one `x` block with the content as written. An attribute set
 * to `null` is left out, as Terraform treats it as unset.
 */
import type { Body, Expr } from './ast.js';
import { entriesOf, type Evaluator, type Frame } from './eval.js';
import { LIMITS } from './limits.js';
import type { LineNode } from './lines.js';
import { hasUnknown, materialize, refsOf, setKey, Unknown, type Val } from './value.js';

export interface BodyResult {
  readonly attrs: Record<string, unknown>;
  readonly lines: LineNode;
}

export interface BodyContext {
  readonly ev: Evaluator;
  readonly problem: (line: number, reason: string) => void;
  /** Receives the addresses the evaluated values depend on. */
  readonly refs: Set<string>;
}

/** Lines of an expression's literal structure: tuple elements and static object keys. */
export function exprLines(e: Expr, line: number): LineNode {
  const node: LineNode = { l: line };
  if (e.k === 'tuple' && e.items.length > 0) {
    node.c = new Map(e.items.map((x, i) => [i, exprLines(x, x.line)]));
  } else if (e.k === 'object' && e.items.length > 0) {
    node.c = new Map();
    for (const item of e.items) if (item.name !== undefined) node.c.set(item.name, exprLines(item.val, item.line));
  }
  return node;
}

function child(parent: LineNode, key: string | number, node: LineNode): void {
  parent.c ??= new Map();
  parent.c.set(key, node);
}

export function evalBody(ctx: BodyContext, body: Body, f: Frame, skip: ReadonlySet<string>, line: number): BodyResult {
  const attrs: Record<string, unknown> = {};
  const lines: LineNode = { l: line };
  const blocks = new Map<string, { items: unknown[]; node: LineNode }>();
  const addBlock = (type: string, value: unknown, node: LineNode): void => {
    let entry = blocks.get(type);
    if (entry === undefined) {
      entry = { items: [], node: { l: node.l, c: new Map() } };
      blocks.set(type, entry);
      child(lines, type, entry.node);
      setKey(attrs, type, entry.items);
    }
    entry.node.c!.set(entry.items.length, node);
    entry.items.push(value);
  };
  for (const item of body) {
    if (item.k === 'attr') {
      if (skip.has(item.name)) continue;
      const v = ctx.ev.attribute(item.e, f, (reason) => ctx.problem(item.line, reason));
      for (const r of refsOf([v])) ctx.refs.add(r);
      if (v === null) continue;
      setKey(attrs, item.name, materialize(v));
      child(lines, item.name, exprLines(item.e, item.line));
      continue;
    }
    if (item.type === 'dynamic') {
      for (const b of dynamicBlocks(ctx, item.body, item.labels[0] ?? '', f, item.line)) addBlock(b.type, b.value, b.node);
      continue;
    }
    const inner = evalBody(ctx, item.body, f, NONE, item.line);
    if (item.labels.length === 0) {
      addBlock(item.type, inner.attrs, inner.lines);
    } else {
      // Labelled nested blocks (provisioner "local-exec" {}) nest the body under the labels.
      let value: unknown = inner.attrs;
      let node: LineNode = inner.lines;
      for (const label of [...item.labels].reverse()) {
        const o: Record<string, unknown> = {};
        setKey(o, label, value);
        value = o;
        node = { l: item.line, c: new Map([[label, node]]) };
      }
      addBlock(item.type, value, node);
    }
  }
  return { attrs, lines };
}

const NONE: ReadonlySet<string> = new Set();

interface Generated {
  readonly type: string;
  readonly value: unknown;
  readonly node: LineNode;
}

function dynamicBlocks(ctx: BodyContext, body: Body, type: string, f: Frame, line: number): Generated[] {
  let forEach: Expr | undefined;
  let iterator = type;
  let content: Body = [];
  for (const item of body) {
    if (item.k === 'attr' && item.name === 'for_each') forEach = item.e;
    else if (item.k === 'attr' && item.name === 'iterator' && item.e.k === 'var') iterator = item.e.name;
    else if (item.k === 'block' && item.type === 'content') content = item.body;
  }
  const asWritten = (): Generated[] => {
    const it = new Unknown('${' + iterator + '}');
    const inner = evalBody(ctx, content, bindIterator(f, iterator, it), NONE, line);
    return [{ type, value: inner.attrs, node: inner.lines }];
  };
  if (forEach === undefined) return asWritten();
  const coll = ctx.ev.attribute(forEach, f, (reason) => ctx.problem(line, reason));
  for (const r of refsOf([coll])) ctx.refs.add(r);
  if (coll === null) return [];
  const entries = coll instanceof Unknown ? undefined : entriesOf(coll);
  if (entries === undefined || entries.some(([k]) => hasUnknown(k))) return asWritten();
  if (entries.length > LIMITS.maxInstances) {
    ctx.problem(line, `dynamic "${type}" expands to ${entries.length} blocks, more than ${LIMITS.maxInstances}; kept as one block as written`);
    return asWritten();
  }
  return entries.map(([k, v]) => {
    const inner = evalBody(ctx, content, bindIterator(f, iterator, { key: k, value: v }), NONE, line);
    return { type, value: inner.attrs, node: inner.lines };
  });
}

function bindIterator(f: Frame, name: string, value: Val): Frame {
  return { ...f, bindings: { name, value, next: f.bindings } };
}
