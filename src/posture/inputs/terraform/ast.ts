/**
 * A small, plain HCL syntax tree, built once per file from the tree-sitter tree (convert.ts) or
 * from HCL JSON syntax (json-syntax.ts) so the WASM tree can be freed at once and the evaluator
 * can walk the same body several times (count / for_each instances, module calls).
 *
 * Every node keeps its 1-based start line and its source text (`t`: a slice of the file text,
 * cheap in V8) so an expression that cannot be evaluated statically is reported as written.
 */

export interface Pos {
  readonly line: number;
  /** Source text of the node as written (used for `${…}` of unresolved expressions). */
  readonly t: string;
}

export type Expr =
  | LitExpr
  | TemplateExpr
  | TupleExpr
  | ObjectExpr
  | VarExpr
  | GetAttrExpr
  | IndexExpr
  | SplatExpr
  | CallExpr
  | ForExpr
  | UnaryExpr
  | BinaryExpr
  | CondExpr
  | BadExpr;

export interface LitExpr extends Pos {
  readonly k: 'lit';
  readonly v: null | boolean | number | string;
}

export type TemplatePart =
  | { readonly k: 'str'; readonly s: string }
  | { readonly k: 'interp'; readonly e: Expr }
  | { readonly k: 'if'; readonly cond: Expr; readonly then: TemplatePart[]; readonly else: TemplatePart[] }
  | { readonly k: 'for'; readonly keyVar: string | undefined; readonly valVar: string; readonly coll: Expr; readonly body: TemplatePart[] };

export interface TemplateExpr extends Pos {
  readonly k: 'tpl';
  readonly parts: TemplatePart[];
}

export interface TupleExpr extends Pos {
  readonly k: 'tuple';
  readonly items: Expr[];
}

export interface ObjectItem {
  /** The key as a literal name (`name = …` or `"name" = …`), else undefined and `keyExpr` is evaluated. */
  readonly name: string | undefined;
  readonly keyExpr: Expr;
  readonly val: Expr;
  readonly line: number;
}

export interface ObjectExpr extends Pos {
  readonly k: 'object';
  readonly items: ObjectItem[];
}

export interface VarExpr extends Pos {
  readonly k: 'var';
  readonly name: string;
}

export interface GetAttrExpr extends Pos {
  readonly k: 'get';
  readonly obj: Expr;
  readonly name: string;
}

export interface IndexExpr extends Pos {
  readonly k: 'index';
  readonly obj: Expr;
  readonly index: Expr;
}

/** `x[*].a.b` / `x.*.a`: `ops` are applied to every element of `x`. */
export interface SplatExpr extends Pos {
  readonly k: 'splat';
  readonly obj: Expr;
  readonly ops: readonly SplatOp[];
}
export type SplatOp = { readonly k: 'get'; readonly name: string } | { readonly k: 'index'; readonly index: Expr };

export interface CallExpr extends Pos {
  readonly k: 'call';
  readonly name: string;
  readonly args: Expr[];
  /** The last argument is expanded (`f(list...)`). */
  readonly expand: boolean;
}

export interface ForExpr extends Pos {
  readonly k: 'for';
  readonly object: boolean;
  readonly keyVar: string | undefined;
  readonly valVar: string;
  readonly coll: Expr;
  /** Key expression of an object `for` (undefined for a tuple `for`). */
  readonly key: Expr | undefined;
  readonly val: Expr;
  readonly group: boolean;
  readonly cond: Expr | undefined;
}

export interface UnaryExpr extends Pos {
  readonly k: 'unary';
  readonly op: '-' | '!';
  readonly e: Expr;
}

export type BinaryOp = '*' | '/' | '%' | '+' | '-' | '>' | '>=' | '<' | '<=' | '==' | '!=' | '&&' | '||';

export interface BinaryExpr extends Pos {
  readonly k: 'binary';
  readonly op: BinaryOp;
  readonly l: Expr;
  readonly r: Expr;
}

export interface CondExpr extends Pos {
  readonly k: 'cond';
  readonly test: Expr;
  readonly then: Expr;
  readonly else: Expr;
}

/** Syntax the converter could not read (too deep, an error node): always unresolved. */
export interface BadExpr extends Pos {
  readonly k: 'bad';
}

export interface Attribute {
  readonly k: 'attr';
  readonly name: string;
  readonly e: Expr;
  readonly line: number;
}

export interface Block {
  readonly k: 'block';
  readonly type: string;
  readonly labels: string[];
  readonly body: Body;
  readonly line: number;
  readonly endLine: number;
}

/** Attributes and blocks in source order. */
export type Body = (Attribute | Block)[];

export interface Comment {
  readonly line: number;
  readonly text: string;
}

/** One file read into syntax: its top-level body, its comments and its syntax problems. */
export interface ParsedFile {
  readonly path: string;
  readonly body: Body;
  readonly comments: Comment[];
  readonly problems: { line: number; reason: string }[];
}
