/**
 * References written in a body (`aws_s3_bucket.b.id`, `data.x.y`, `module.m.out`), found in the
 * syntax: they complete the refs carried by evaluated values with those in branches that were
 * not taken or could not be evaluated. Only addresses declared in the module are kept, so names
 * bound by `for` expressions or iterators are never mistaken for references.
 */
import type { Body, Expr, TemplatePart } from './ast.js';

function walkParts(parts: readonly TemplatePart[], out: Set<string>, declared: ReadonlySet<string>): void {
  for (const p of parts) {
    if (p.k === 'interp') walk(p.e, out, declared);
    else if (p.k === 'if') {
      walk(p.cond, out, declared);
      walkParts(p.then, out, declared);
      walkParts(p.else, out, declared);
    } else if (p.k === 'for') {
      walk(p.coll, out, declared);
      walkParts(p.body, out, declared);
    }
  }
}

/** The names of a traversal `a.b.c[0].d` from its root, up to the first non-name step. */
function names(e: Expr): string[] | undefined {
  const path: string[] = [];
  let cur = e;
  for (;;) {
    if (cur.k === 'get') {
      path.push(cur.name);
      cur = cur.obj;
    } else if (cur.k === 'index' || cur.k === 'splat') {
      path.length = 0;
      cur = cur.obj;
    } else break;
  }
  if (cur.k !== 'var') return undefined;
  path.push(cur.name);
  return path.reverse();
}

function walk(e: Expr, out: Set<string>, declared: ReadonlySet<string>): void {
  switch (e.k) {
    case 'get':
    case 'index':
    case 'splat': {
      const n = names(e);
      if (n !== undefined) {
        const addr = n.slice(0, n[0] === 'data' ? 3 : 2).join('.');
        if (declared.has(addr)) out.add(addr);
      }
      if (e.k === 'index') walk(e.index, out, declared);
      if (e.k === 'splat') for (const op of e.ops) if (op.k === 'index') walk(op.index, out, declared);
      walk(e.obj, out, declared);
      return;
    }
    case 'tpl':
      walkParts(e.parts, out, declared);
      return;
    case 'tuple':
      for (const x of e.items) walk(x, out, declared);
      return;
    case 'object':
      for (const x of e.items) {
        if (x.name === undefined) walk(x.keyExpr, out, declared);
        walk(x.val, out, declared);
      }
      return;
    case 'call':
      for (const x of e.args) walk(x, out, declared);
      return;
    case 'for':
      walk(e.coll, out, declared);
      if (e.key !== undefined) walk(e.key, out, declared);
      walk(e.val, out, declared);
      if (e.cond !== undefined) walk(e.cond, out, declared);
      return;
    case 'unary':
      walk(e.e, out, declared);
      return;
    case 'binary':
      walk(e.l, out, declared);
      walk(e.r, out, declared);
      return;
    case 'cond':
      walk(e.test, out, declared);
      walk(e.then, out, declared);
      walk(e.else, out, declared);
      return;
    case 'lit':
    case 'var':
    case 'bad':
      return;
  }
}

export function syntacticRefs(body: Body, declared: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  const stack: Body[] = [body];
  while (stack.length > 0) {
    for (const item of stack.pop()!) {
      if (item.k === 'attr') walk(item.e, out, declared);
      else stack.push(item.body);
    }
  }
  return out;
}
