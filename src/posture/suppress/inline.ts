/**
 * Inline suppressions: a `vigil:ignore=RULE-ID reason` comment (`#` or `//` in HCL, `#` in YAML
 * and Dockerfiles). A comment applies to the resource whose lines contain it, or to the
 * resource that starts right after the block of comment lines it belongs to.
 * Kubernetes objects may also carry the annotation `vigil.dev/ignore` whose value holds one or
 * more `RULE-ID reason` entries separated by `;` or new lines.
 */
import type { InlineSuppression } from '../model.js';

export interface Comment {
  readonly line: number;
  /** The comment text without its `#` / `//` / `/*` marker. */
  readonly text: string;
}

const IGNORE = /vigil:ignore=([A-Za-z0-9][A-Za-z0-9_.-]{0,99})(?:[ \t]+([^\r\n]{0,1000}))?/;
const ENTRY = /^\s*([A-Za-z0-9][A-Za-z0-9_.-]{0,99})(?:[ \t=:]+(.{0,1000}))?$/;

export function parseIgnoreComment(comment: Comment): InlineSuppression | undefined {
  if (!comment.text.includes('vigil:ignore=')) return undefined;
  const m = IGNORE.exec(comment.text);
  if (m === null) return undefined;
  return { ruleId: m[1]!, reason: (m[2] ?? '').trim(), line: comment.line };
}

/** Entries of a `vigil.dev/ignore` annotation value. */
export function parseIgnoreAnnotation(value: string, line: number): InlineSuppression[] {
  const out: InlineSuppression[] = [];
  for (const part of value.slice(0, 20_000).split(/[;\n]/)) {
    if (part.trim() === '') continue;
    const m = ENTRY.exec(part);
    if (m !== null) out.push({ ruleId: m[1]!, reason: (m[2] ?? '').trim(), line });
  }
  return out;
}

/**
 * The suppressions that belong to a resource spanning [startLine, endLine]: comments inside it,
 * and the contiguous run of comment lines ending on the line just above it. `comments` must be
 * sorted by line.
 */
export function suppressionsFor(
  comments: readonly Comment[],
  startLine: number,
  endLine: number,
): InlineSuppression[] {
  const out: InlineSuppression[] = [];
  const lines = new Set(comments.map((c) => c.line));
  let first = startLine;
  while (lines.has(first - 1)) first--;
  for (const c of comments) {
    if (c.line < first || c.line > endLine) continue;
    const s = parseIgnoreComment(c);
    if (s !== undefined) out.push(s);
  }
  return out;
}
