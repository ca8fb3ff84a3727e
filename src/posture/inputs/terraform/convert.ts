/**
 * Copied tree-sitter nodes (treesitter.ts) → the plain HCL syntax tree (ast.ts).
 *
 * The grammar flattens postfix operators into their parent (`a.b[0]` is the children
 * `variable_expr get_attr index` of one `expression`), so term sequences are folded here. Nesting
 * deeper than LIMITS.maxDepth becomes a `bad` expression and a problem instead of a stack overflow.
 */
import type { Attribute, BinaryOp, Block, Body, Expr, ObjectItem, SplatOp, TemplatePart } from './ast.js';
import { LIMITS } from './limits.js';
import { commonIndent, dedentLine, unescapeTemplate } from './template.js';
import { lineAt } from './lines.js';
import type { CNode } from './treesitter.js';

interface TemplateMode {
  readonly quoted: boolean;
  readonly indent: number;
  /** The next literal token starts a line (for `<<-` indentation). */
  atLineStart: boolean;
}

const BINARY_OPS = new Set<string>(['*', '/', '%', '+', '-', '>', '>=', '<', '<=', '==', '!=', '&&', '||']);

export class Converter {
  readonly problems: { line: number; reason: string }[] = [];
  private tooDeep = false;

  constructor(
    private readonly text: string,
    private readonly starts: readonly number[],
    /** Give every node this line (templates read from HCL JSON strings). */
    private readonly fixedLine?: number,
  ) {}

  line(n: CNode): number {
    return this.fixedLine ?? lineAt(this.starts, n.s);
  }

  private src(n: CNode): string {
    return this.text.slice(n.s, n.e);
  }

  private bad(n: CNode): Expr {
    return { k: 'bad', line: this.line(n), t: this.src(n) };
  }

  body(n: CNode, depth: number): Body {
    const out: Body = [];
    for (const kid of n.kids) {
      if (kid.type === 'attribute') {
        const a = this.attribute(kid, depth);
        if (a !== undefined) out.push(a);
      } else if (kid.type === 'block') {
        const b = this.block(kid, depth);
        if (b !== undefined) out.push(b);
      }
    }
    return out;
  }

  attribute(n: CNode, depth: number): Attribute | undefined {
    const id = n.kids[0];
    const ex = n.kids.find((k) => k.type === 'expression');
    if (id?.type !== 'identifier' || ex === undefined) return undefined;
    return { k: 'attr', name: this.src(id), e: this.expr(ex, depth + 1), line: this.line(n) };
  }

  block(n: CNode, depth: number): Block | undefined {
    const id = n.kids[0];
    if (id?.type !== 'identifier') return undefined;
    if (depth > LIMITS.maxDepth) {
      this.deep(n);
      return undefined;
    }
    const labels: string[] = [];
    let body: Body = [];
    for (const kid of n.kids.slice(1)) {
      if (kid.type === 'string_lit') labels.push(this.stringLit(kid));
      else if (kid.type === 'identifier') labels.push(this.src(kid));
      else if (kid.type === 'body') body = this.body(kid, depth + 1);
    }
    return { k: 'block', type: this.src(id), labels, body, line: this.line(n), endLine: lineAt(this.starts, Math.max(n.s, n.e - 1)) };
  }

  private deep(n: CNode): void {
    if (this.tooDeep) return;
    this.tooDeep = true;
    this.problems.push({ line: this.line(n), reason: `nesting deeper than ${LIMITS.maxDepth} levels; the deeper part is left unresolved` });
  }

  /** Content of a `string_lit` (no interpolation by grammar; read as text between its quotes), unescaped. */
  stringLit(n: CNode): string {
    if (n.e - n.s < 2) return '';
    return unescapeTemplate(this.text.slice(n.s + 1, n.e - 1), true);
  }

  /** An `expression` node (or any term node). */
  expr(n: CNode, depth: number): Expr {
    if (depth > LIMITS.maxDepth) {
      this.deep(n);
      return this.bad(n);
    }
    if (n.type !== 'expression') return this.terms([n], n, depth);
    const first = n.kids[0];
    if (first === undefined) return this.bad(n);
    if (first.type === 'conditional') {
      const parts = first.kids.filter((k) => k.type === 'expression');
      if (parts.length !== 3) return this.bad(first);
      return {
        k: 'cond',
        line: this.line(n),
        t: this.src(n),
        test: this.expr(parts[0]!, depth + 1),
        then: this.expr(parts[1]!, depth + 1),
        else: this.expr(parts[2]!, depth + 1),
      };
    }
    return this.terms(n.kids, n, depth);
  }

  /** A primary term followed by postfix operators (index, get_attr, splat). */
  private terms(kids: readonly CNode[], whole: CNode, depth: number): Expr {
    if (depth > LIMITS.maxDepth) {
      this.deep(whole);
      return this.bad(whole);
    }
    let i = 0;
    let cur: Expr;
    const start = kids[0];
    if (start === undefined) return this.bad(whole);
    if (start.type === '(') {
      const inner = kids[1];
      if (inner?.type !== 'expression' || kids[2]?.type !== ')') return this.bad(whole);
      cur = this.expr(inner, depth + 1);
      i = 3;
    } else {
      cur = this.primary(start, depth + 1);
      i = 1;
    }
    for (; i < kids.length; i++) {
      const op = kids[i]!;
      const t = this.text.slice(start.s, op.e);
      const line = this.line(start);
      if (op.type === 'get_attr') {
        const id = op.kids.find((k) => k.type === 'identifier');
        if (id === undefined) return this.bad(whole);
        cur = { k: 'get', obj: cur, name: this.src(id), line, t };
      } else if (op.type === 'index') {
        const index = this.indexExpr(op, depth);
        if (index === undefined) return this.bad(whole);
        cur = { k: 'index', obj: cur, index, line, t };
      } else if (op.type === 'splat') {
        const sp = op.kids[0];
        if (sp === undefined) return this.bad(whole);
        const ops: SplatOp[] = [];
        for (const s of sp.kids) {
          if (s.type === 'get_attr') {
            const id = s.kids.find((k) => k.type === 'identifier');
            if (id !== undefined) ops.push({ k: 'get', name: this.src(id) });
          } else if (s.type === 'index') {
            const index = this.indexExpr(s, depth);
            if (index !== undefined) ops.push({ k: 'index', index });
          }
        }
        cur = { k: 'splat', obj: cur, ops, line, t };
      } else {
        return this.bad(whole);
      }
    }
    return cur;
  }

  private indexExpr(op: CNode, depth: number): Expr | undefined {
    const inner = op.kids[0];
    if (inner?.type === 'new_index') {
      const e = inner.kids.find((k) => k.type === 'expression');
      return e === undefined ? undefined : this.expr(e, depth + 1);
    }
    if (inner?.type === 'legacy_index') {
      const digits = this.src(inner).slice(1);
      return { k: 'lit', v: Number(digits), line: this.line(inner), t: digits };
    }
    return undefined;
  }

  private primary(n: CNode, depth: number): Expr {
    const line = this.line(n);
    const t = this.src(n);
    switch (n.type) {
      case 'literal_value': {
        const lit = n.kids[0];
        if (lit === undefined) return this.bad(n);
        if (lit.type === 'numeric_lit') return { k: 'lit', v: Number(t), line, t };
        if (lit.type === 'bool_lit') return { k: 'lit', v: t === 'true', line, t };
        if (lit.type === 'null_lit') return { k: 'lit', v: null, line, t };
        if (lit.type === 'string_lit') return { k: 'lit', v: this.stringLit(lit), line, t };
        return this.bad(n);
      }
      case 'template_expr':
        return this.template(n.kids[0], n, depth);
      case 'collection_value':
        return this.collection(n.kids[0], n, depth);
      case 'variable_expr':
        return { k: 'var', name: t, line, t };
      case 'function_call':
        return this.call(n, depth);
      case 'for_expr':
        return this.forExpr(n.kids[0], n, depth);
      case 'operation':
        return this.operation(n.kids[0], n, depth);
      case 'expression':
        return this.expr(n, depth);
      default:
        return this.bad(n);
    }
  }

  private collection(c: CNode | undefined, whole: CNode, depth: number): Expr {
    const line = this.line(whole);
    const t = this.src(whole);
    if (c?.type === 'tuple') {
      const items = c.kids.filter((k) => k.type === 'expression').map((k) => this.expr(k, depth + 1));
      return { k: 'tuple', items, line, t };
    }
    if (c?.type === 'object') {
      const items: ObjectItem[] = [];
      for (const el of c.kids) {
        if (el.type !== 'object_elem') continue;
        const exprs = el.kids.filter((k) => k.type === 'expression');
        if (exprs.length !== 2) continue;
        const keyNode = exprs[0]!;
        const keyExpr = this.expr(keyNode, depth + 1);
        items.push({ name: this.literalKey(keyNode, keyExpr), keyExpr, val: this.expr(exprs[1]!, depth + 1), line: this.line(el) });
      }
      return { k: 'object', items, line, t };
    }
    return this.bad(whole);
  }

  /** `name = …` and `"name" = …` keys are literal; `(expr) = …` and templates are evaluated. */
  private literalKey(keyNode: CNode, keyExpr: Expr): string | undefined {
    if (keyNode.kids.length !== 1) return undefined;
    if (keyExpr.k === 'var') return keyExpr.name;
    if (keyExpr.k === 'lit' && typeof keyExpr.v === 'string') return keyExpr.v;
    return undefined;
  }

  private call(n: CNode, depth: number): Expr {
    const id = n.kids[0];
    if (id?.type !== 'identifier') return this.bad(n);
    const argsNode = n.kids.find((k) => k.type === 'function_arguments');
    const args = argsNode === undefined ? [] : argsNode.kids.filter((k) => k.type === 'expression').map((k) => this.expr(k, depth + 1));
    const expand = argsNode?.kids.some((k) => k.type === 'ellipsis') ?? false;
    return { k: 'call', name: this.src(id), args, expand, line: this.line(n), t: this.src(n) };
  }

  private forExpr(f: CNode | undefined, whole: CNode, depth: number): Expr {
    if (f === undefined) return this.bad(whole);
    const intro = f.kids.find((k) => k.type === 'for_intro');
    if (intro === undefined) return this.bad(whole);
    const ids = intro.kids.filter((k) => k.type === 'identifier').map((k) => this.src(k));
    const collNode = intro.kids.find((k) => k.type === 'expression');
    const exprs = f.kids.filter((k) => k.type === 'expression');
    const condNode = f.kids.find((k) => k.type === 'for_cond')?.kids.find((k) => k.type === 'expression');
    const object = f.type === 'for_object_expr';
    if (collNode === undefined || ids.length === 0 || exprs.length !== (object ? 2 : 1)) return this.bad(whole);
    return {
      k: 'for',
      object,
      keyVar: ids.length === 2 ? ids[0] : undefined,
      valVar: ids[ids.length - 1]!,
      coll: this.expr(collNode, depth + 1),
      key: object ? this.expr(exprs[0]!, depth + 1) : undefined,
      val: this.expr(exprs[exprs.length - 1]!, depth + 1),
      group: object && f.kids.some((k) => k.type === 'ellipsis'),
      cond: condNode === undefined ? undefined : this.expr(condNode, depth + 1),
      line: this.line(whole),
      t: this.src(whole),
    };
  }

  private operation(op: CNode | undefined, whole: CNode, depth: number): Expr {
    const line = this.line(whole);
    const t = this.src(whole);
    if (op?.type === 'unary_operation') {
      const sym = op.kids[0]?.type;
      if (sym !== '-' && sym !== '!') return this.bad(whole);
      return { k: 'unary', op: sym, e: this.terms(op.kids.slice(1), op, depth + 1), line, t };
    }
    if (op?.type === 'binary_operation') {
      const at = op.kids.findIndex((k) => !k.named && BINARY_OPS.has(k.type));
      if (at <= 0) return this.bad(whole);
      return {
        k: 'binary',
        op: op.kids[at]!.type as BinaryOp,
        l: this.terms(op.kids.slice(0, at), op, depth + 1),
        r: this.terms(op.kids.slice(at + 1), op, depth + 1),
        line,
        t,
      };
    }
    return this.bad(whole);
  }

  private template(tn: CNode | undefined, whole: CNode, depth: number): Expr {
    const line = this.line(whole);
    const t = this.src(whole);
    if (tn?.type === 'quoted_template') {
      const open = tn.kids[0];
      const close = tn.kids[tn.kids.length - 1];
      if (open === undefined || close === undefined || tn.kids.length < 2) return this.bad(whole);
      return { k: 'tpl', parts: this.parts(tn.kids.slice(1, -1), open.e, close.s, depth, { quoted: true, indent: 0, atLineStart: false }, false, false), line, t };
    }
    if (tn?.type === 'heredoc_template') {
      const ids = tn.kids.filter((k) => k.type === 'heredoc_identifier');
      const flush = tn.kids[0] !== undefined && this.src(tn.kids[0]) === '<<-';
      if (ids.length !== 2) return this.bad(whole);
      const nl = this.text.indexOf('\n', ids[0]!.e);
      const bodyStart = nl === -1 ? ids[0]!.e : nl + 1;
      const lastNl = this.text.lastIndexOf('\n', ids[1]!.s - 1);
      const bodyEnd = Math.max(bodyStart, lastNl + 1);
      const indent = flush ? commonIndent(this.text.slice(bodyStart, bodyEnd)) : 0;
      const inner = tn.kids.filter((k) => k.s >= bodyStart && k.e <= bodyEnd);
      return { k: 'tpl', parts: this.parts(inner, bodyStart, bodyEnd, depth, { quoted: false, indent, atLineStart: true }, false, false), line, t };
    }
    return this.bad(whole);
  }

  /**
   * Template parts of the source range [from, to) whose structural nodes are `kids`. As in HCL,
   * literal text is a sequence of one-line tokens: a `~` strip marker trims only the token next
   * to it, and `<<-` indentation is removed from tokens that start a line (after stripping, so a
   * line whose newline was stripped away keeps its indentation, as Terraform does).
   */
  private parts(kids: readonly CNode[], from: number, to: number, depth: number, mode: TemplateMode, stripStart: boolean, stripEnd: boolean): TemplatePart[] {
    const out: TemplatePart[] = [];
    let pos = from;
    let stripAfterPrev = stripStart;
    for (const kid of kids) {
      if (kid.type !== 'template_interpolation' && kid.type !== 'template_directive') continue;
      const marks = this.stripMarks(kid);
      this.literal(out, pos, kid.s, stripAfterPrev, marks.before, mode);
      out.push(kid.type === 'template_interpolation' ? this.interp(kid, depth) : this.directive(kid, depth, mode));
      mode.atLineStart = false;
      pos = kid.e;
      stripAfterPrev = marks.after;
    }
    this.literal(out, pos, to, stripAfterPrev, stripEnd, mode);
    return out;
  }

  private literal(out: TemplatePart[], from: number, to: number, stripStart: boolean, stripEnd: boolean, mode: TemplateMode): void {
    if (to <= from) return;
    const raw = this.text.slice(from, to);
    let s = '';
    let start = 0;
    while (start < raw.length) {
      const nl = raw.indexOf('\n', start);
      const end = nl < 0 ? raw.length : nl + 1;
      let token = raw.slice(start, end);
      if (start === 0 && stripStart) token = token.trimStart();
      if (end === raw.length && stripEnd) token = token.trimEnd();
      if (mode.indent > 0 && mode.atLineStart) token = dedentLine(token, mode.indent);
      mode.atLineStart = token.endsWith('\n');
      s += token;
      start = end;
    }
    if (s !== '') out.push({ k: 'str', s: unescapeTemplate(s, mode.quoted) });
  }

  /** `~` markers of an interpolation or one directive tag: `${~ … ~}`, `%{~ if … ~}`. */
  private tagMarks(tag: CNode | undefined): { before: boolean; after: boolean } {
    const kids = tag?.kids ?? [];
    return { before: kids[1]?.type === 'strip_marker', after: kids.length > 2 && kids[kids.length - 2]?.type === 'strip_marker' };
  }

  /** Strip markers facing outwards: before the opening tag, after the closing tag. */
  private stripMarks(kid: CNode): { before: boolean; after: boolean } {
    if (kid.type === 'template_interpolation') return this.tagMarks(kid);
    const d = kid.kids[0];
    return { before: this.tagMarks(d?.kids[0]).before, after: this.tagMarks(d?.kids[d.kids.length - 1]).after };
  }

  private interp(kid: CNode, depth: number): TemplatePart {
    const e = kid.kids.find((k) => k.type === 'expression');
    return { k: 'interp', e: e === undefined ? this.bad(kid) : this.expr(e, depth + 1) };
  }

  private directive(kid: CNode, depth: number, mode: TemplateMode): TemplatePart {
    const d = kid.kids[0];
    if (d?.type === 'template_if') {
      const intro = d.kids.find((k) => k.type === 'template_if_intro');
      const elseIntro = d.kids.find((k) => k.type === 'template_else_intro');
      const end = d.kids.find((k) => k.type === 'template_if_end');
      const cond = intro?.kids.find((k) => k.type === 'expression');
      if (intro === undefined || end === undefined || cond === undefined) return { k: 'interp', e: this.bad(kid) };
      const thenEnd = elseIntro?.s ?? end.s;
      const inner = d.kids.filter((k) => k.s >= intro.e && k.e <= thenEnd);
      const elseKids = elseIntro === undefined ? [] : d.kids.filter((k) => k.s >= elseIntro.e && k.e <= end.s);
      return {
        k: 'if',
        cond: this.expr(cond, depth + 1),
        then: this.parts(inner, intro.e, thenEnd, depth + 1, mode, this.tagMarks(intro).after, this.tagMarks(elseIntro ?? end).before),
        else: elseIntro === undefined ? [] : this.parts(elseKids, elseIntro.e, end.s, depth + 1, mode, this.tagMarks(elseIntro).after, this.tagMarks(end).before),
      };
    }
    if (d?.type === 'template_for') {
      const start = d.kids.find((k) => k.type === 'template_for_start');
      const end = d.kids.find((k) => k.type === 'template_for_end');
      const coll = start?.kids.find((k) => k.type === 'expression');
      const ids = start?.kids.filter((k) => k.type === 'identifier').map((k) => this.src(k)) ?? [];
      if (start === undefined || end === undefined || coll === undefined || ids.length === 0) return { k: 'interp', e: this.bad(kid) };
      const inner = d.kids.filter((k) => k.s >= start.e && k.e <= end.s);
      return {
        k: 'for',
        keyVar: ids.length === 2 ? ids[0] : undefined,
        valVar: ids[ids.length - 1]!,
        coll: this.expr(coll, depth + 1),
        body: this.parts(inner, start.e, end.s, depth + 1, mode, this.tagMarks(start).after, this.tagMarks(end).before),
      };
    }
    return { k: 'interp', e: this.bad(kid) };
  }
}
