/**
 * CloudFormation JSON → located tree (tree.ts) through jsonc-parser, which keeps offsets and
 * tolerates errors: an invalid file is a problem at the error's line and whatever parsed
 * around the error is still read. Comments and trailing commas are errors (CloudFormation
 * refuses them). Duplicate keys are found here (jsonc-parser keeps both). Pure, never throws.
 */
import { moreOpenersThan } from '../../../core/json-input.js';
import { createScanner, parseTree, printParseErrorCode, SyntaxKind, type Node, type ParseError } from 'jsonc-parser';
import { CFN_LIMITS } from './limits.js';
import { lineOfOffset, lineStarts, map, scalar, seq, type LEntry, type LNode } from './tree.js';
import type { ReadProblem, ReadResult } from './yaml.js';

class Refused extends Error {}

export function readJsonTemplate(source: string): ReadResult {
  const problems: ReadProblem[] = [];
  const starts = lineStarts(source);
  const lineAt = (offset: number): number => lineOfOffset(starts, offset);
  const deep = jsonDepthExceeds(source, CFN_LIMITS.maxDepth);
  if (deep !== undefined) {
    return { root: undefined, comments: [], problems: [{ line: lineAt(deep), reason: `template nested deeper than ${CFN_LIMITS.maxDepth} levels; not read` }] };
  }
  const errors: ParseError[] = [];
  let tree: Node | undefined;
  try {
    tree = parseTree(source, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: true });
  } catch (err) {
    return { root: undefined, comments: [], problems: [{ reason: `JSON could not be read: ${err instanceof Error ? err.message : String(err)}` }] };
  }
  for (const e of errors.slice(0, CFN_LIMITS.maxProblemsPerFile)) {
    problems.push({ line: lineAt(e.offset), reason: `invalid JSON: ${printParseErrorCode(e.error)}` });
  }
  if (tree === undefined) return { root: undefined, comments: [], problems };
  let budget: number = CFN_LIMITS.maxNodes;
  const lastLine = (n: Node): number => lineAt(Math.max(n.offset, n.offset + n.length - 1));

  const walk = (n: Node, depth: number): LNode => {
    if (--budget < 0) throw new Refused(`template has more than ${CFN_LIMITS.maxNodes} nodes; not read`);
    if (depth > CFN_LIMITS.maxDepth) throw new Refused(`template nested deeper than ${CFN_LIMITS.maxDepth} levels; not read`);
    const line = lineAt(n.offset);
    const end = lastLine(n);
    switch (n.type) {
      case 'object': {
        const entries: LEntry[] = [];
        const index = new Map<string, number>();
        for (const prop of n.children ?? []) {
          const [k, v] = prop.children ?? [];
          if (k === undefined || typeof k.value !== 'string') continue;
          const key = k.value;
          const kLine = lineAt(k.offset);
          const e: LEntry = { key, line: kLine, value: v === undefined ? scalar(null, kLine) : walk(v, depth + 1) };
          const seen = index.get(key);
          if (seen === undefined) {
            index.set(key, entries.length);
            entries.push(e);
          } else {
            problems.push({ line: kLine, reason: `duplicate key "${key.slice(0, 100)}" (first at line ${entries[seen]!.line}); the last value is used` });
            entries[seen] = e;
          }
        }
        return map(entries, line, end);
      }
      case 'array':
        return seq(
          (n.children ?? []).map((c) => walk(c, depth + 1)),
          line,
          end,
        );
      case 'string':
      case 'boolean':
        return scalar(n.value as string | boolean, line, end);
      case 'number': {
        // As in YAML: a number whose canonical form differs from the source keeps the source text.
        const v = n.value as number;
        const raw = source.slice(n.offset, n.offset + n.length);
        return scalar(Number.isFinite(v) && String(v) === raw ? v : raw, line, end);
      }
      case 'null':
      case 'property':
        return scalar(null, line, end);
    }
  };

  try {
    return { root: walk(tree, 0), comments: [], problems };
  } catch (err) {
    if (!(err instanceof Refused) && !(err instanceof RangeError)) throw err;
    problems.push({ reason: err.message });
    return { root: undefined, comments: [], problems };
  }
}

/**
 * Offset of the first `{` / `[` nested deeper than `max`, with jsonc-parser's own scanner (so
 * brackets inside strings do not count), or undefined. jsonc-parser's `parseTree` recurses once
 * per level, so deep input must be refused before it.
 */
function jsonDepthExceeds(source: string, max: number): number | undefined {
  if (!moreOpenersThan(source, max)) return undefined;
  const scanner = createScanner(source, true);
  let depth = 0;
  for (let kind = scanner.scan(); kind !== SyntaxKind.EOF; kind = scanner.scan()) {
    if (kind === SyntaxKind.OpenBraceToken || kind === SyntaxKind.OpenBracketToken) {
      if (++depth > max) return scanner.getTokenOffset();
    } else if ((kind === SyntaxKind.CloseBraceToken || kind === SyntaxKind.CloseBracketToken) && depth > 0) {
      depth--;
    }
  }
  return undefined;
}
