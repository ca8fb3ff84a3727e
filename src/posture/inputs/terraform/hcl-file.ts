/**
 * One HCL native-syntax file (`.tf`, `.tfvars`) → ParsedFile.
 *
 * A file with syntax errors is re-read block by block: tree-sitter's own recovery can fold the
 * rest of a file into a broken block, so the text is cut before every line that starts a
 * top-level construct at column 0 and each piece is parsed on its own. Pieces that parse cleanly
 * give their blocks; each broken piece gives a problem at its first error.
 */
import type { Parser } from 'web-tree-sitter';
import type { Body, Comment, Expr, ParsedFile } from './ast.js';
import { Converter } from './convert.js';
import { LIMITS } from './limits.js';
import { lineAt, lineStarts } from './lines.js';
import { firstError, parseCst, type CNode } from './treesitter.js';

function describe(text: string, n: CNode): string {
  if (n.missing) return `missing ${JSON.stringify(n.type)}`;
  const found = text.slice(n.s, Math.min(n.e, n.s + 40)).replace(/\s+/g, ' ').trim();
  return found === '' ? 'unexpected end of input' : `unexpected ${JSON.stringify(found)}`;
}

function topBody(conv: Converter, root: CNode, problems: ParsedFile['problems'], text: string, starts: readonly number[]): Body {
  const body = root.kids.find((k) => k.type === 'body');
  if (body === undefined) return [];
  // Keep only top-level items without errors; report the first error of each broken one.
  const clean: CNode = { ...body, kids: [] };
  for (const kid of body.kids) {
    const err = firstError(kid);
    if (err === undefined) clean.kids.push(kid);
    else problems.push({ line: lineAt(starts, err.s), reason: `syntax error: ${describe(text, err)}` });
  }
  return conv.body(clean, 0);
}

const TOP_LEVEL = new Set(['resource', 'data', 'module', 'variable', 'locals', 'output', 'provider', 'terraform', 'moved', 'import', 'check', 'removed']);

function isIdentChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 45;
}

/**
 * Offsets of lines that start a top-level construct at column 0: a block keyword
 * (`resource "…"`) or an attribute (`name =`, in variables files). Other lines (a heredoc's
 * closing `EOT`, unindented JSON) never start a piece.
 */
function chunkStarts(text: string, starts: readonly number[]): number[] {
  const out: number[] = [0];
  for (const s of starts) {
    let i = s;
    while (i < text.length && isIdentChar(text.charCodeAt(i))) i++;
    if (i === s || i - s > 64) continue;
    let j = i;
    while (text[j] === ' ' || text[j] === '\t') j++;
    const next = text[j];
    if (next === '=' && text[j + 1] !== '=') out.push(s);
    else if (TOP_LEVEL.has(text.slice(s, i)) && (next === '"' || next === '{' || (j > i && next !== undefined && isIdentChar(next.charCodeAt(0))))) out.push(s);
  }
  return [...new Set(out)];
}

export function parseHclFile(parser: Parser, path: string, text: string): ParsedFile {
  const problems: ParsedFile['problems'] = [];
  const starts = lineStarts(text);
  const conv = new Converter(text, starts);
  const whole = parseCst(parser, text, starts);
  if (whole === undefined) return { path, body: [], comments: [], problems: [{ line: 1, reason: 'the HCL parser gave no tree' }] };
  if (!whole.hasError) {
    const body = topBody(conv, whole.root, problems, text, starts);
    return { path, body, comments: whole.comments, problems: [...problems, ...conv.problems] };
  }
  // Recovery: parse each top-level piece alone; its nodes are shifted back to file offsets, and
  // since a piece starts at a line start, the file's line table serves for it too.
  const body: Body = [];
  const comments: Comment[] = [];
  const cuts = chunkStarts(text, starts);
  for (let i = 0; i < cuts.length; i++) {
    const from = cuts[i]!;
    const to = cuts[i + 1] ?? text.length;
    const piece = text.slice(from, to);
    if (piece.trim() === '') continue;
    const pieceStarts = lineStarts(piece);
    const firstLine = lineAt(starts, from) - 1;
    const cst = parseCst(parser, piece, pieceStarts);
    if (cst === undefined) continue;
    for (const c of cst.comments) comments.push({ line: c.line + firstLine, text: c.text });
    const pieceConv = new Converter(text, starts);
    const root = shift(cst.root, from);
    if (!cst.hasError) {
      for (const item of pieceConv.body(root.kids.find((k) => k.type === 'body') ?? root, 0)) body.push(item);
    } else {
      const err = firstError(root);
      problems.push({ line: err === undefined ? lineAt(starts, from) : lineAt(starts, err.s), reason: `syntax error: ${err === undefined ? 'invalid syntax' : describe(text, err)}` });
      for (const item of topBody(pieceConv, root, [], text, starts)) body.push(item);
    }
    for (const p of pieceConv.problems) problems.push(p);
    if (problems.length >= LIMITS.maxProblemsPerFile) break;
  }
  if (problems.length === 0) {
    // The whole file had an error that every piece alone does not (e.g. an unclosed heredoc).
    const err = firstError(whole.root);
    problems.push({ line: err === undefined ? 1 : lineAt(starts, err.s), reason: `syntax error: ${err === undefined ? 'invalid syntax' : describe(text, err)}` });
  }
  return { path, body, comments, problems: problems.slice(0, LIMITS.maxProblemsPerFile) };
}

/** A copy of a piece's tree with offsets moved into the whole file. */
function shift(n: CNode, by: number): CNode {
  const stack: [CNode, CNode[]][] = [];
  const root: CNode = { ...n, s: n.s + by, e: n.e + by, kids: [] };
  stack.push([n, root.kids]);
  while (stack.length > 0) {
    const [src, dst] = stack.pop()!;
    for (const k of src.kids) {
      const copy: CNode = { ...k, s: k.s + by, e: k.e + by, kids: [] };
      dst.push(copy);
      stack.push([k, copy.kids]);
    }
  }
  return root;
}

const MARK = 'VIGIL_JSON_TEMPLATE_EOT';

/**
 * A template string from HCL JSON syntax, read as the body of a heredoc (same template rules
 * once the JSON escapes are decoded). Every node gets the JSON string's line.
 */
export function parseJsonTemplate(parser: Parser, value: string, line: number): Expr {
  const lit: Expr = { k: 'lit', v: value, line, t: value };
  if (value.split('\n').some((l) => l.trim() === MARK)) return lit;
  const text = `x = <<${MARK}\n${value}\n${MARK}\n`;
  const starts = lineStarts(text);
  const cst = parseCst(parser, text, starts);
  if (cst === undefined || cst.hasError) return lit;
  const conv = new Converter(text, starts, line);
  const attr = conv.body(cst.root.kids.find((k) => k.type === 'body') ?? cst.root, 0)[0];
  if (attr?.k !== 'attr' || attr.e.k !== 'tpl') return lit;
  const parts = [...attr.e.parts];
  const last = parts[parts.length - 1];
  if (last?.k === 'str' && last.s.endsWith('\n')) {
    if (last.s === '\n') parts.pop();
    else parts[parts.length - 1] = { k: 'str', s: last.s.slice(0, -1) };
  }
  return { k: 'tpl', parts, line, t: value };
}
