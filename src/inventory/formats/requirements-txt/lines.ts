/**
 * pip requirements files, layer 1: physical lines → logical lines, the way pip's
 * `req_file.py` does it: a line ending in an odd number of backslashes continues on the next
 * (one backslash removed, as osv-scanner does; an even number is a literal), a whole-line
 * comment ends a continuation, then comments (`#` at the start or after whitespace) are cut.
 * Each logical line keeps the number of its first physical line. Linear in the input.
 */
export interface LogicalLine {
  /** The logical line with continuations joined and the comment removed, trimmed. */
  readonly text: string;
  /** 1-based number of its first physical line. */
  readonly line: number;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0c || c === 0x0b || c === 0x0d;

/** Whether the line ends with an odd number of backslashes (an unescaped continuation). */
export function continues(line: string): boolean {
  let n = 0;
  for (let i = line.length - 1; i >= 0 && line.charCodeAt(i) === 0x5c; i--) n++;
  return n % 2 === 1;
}

/** A whole-line comment: `#` as the first non-blank character. */
function isCommentLine(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 0x23) return true;
    if (!isSpace(c)) return false;
  }
  return false;
}

/** Cuts a comment: `#` at the start of the line or after whitespace (so `#egg=` in a URL stays). */
export function stripComment(line: string): string {
  for (let i = line.indexOf('#'); i !== -1; i = line.indexOf('#', i + 1)) {
    if (i === 0 || isSpace(line.charCodeAt(i - 1))) return line.slice(0, i);
  }
  return line;
}

export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let pending: string[] | null = null;
  let pendingLine = 0;
  const emit = (raw: string, line: number): void => {
    const cleaned = stripComment(raw).trim();
    if (cleaned !== '') out.push({ text: cleaned, line });
  };

  let lineNo = 0;
  let start = 0;
  while (start <= body.length) {
    const nl = body.indexOf('\n', start);
    const end = nl === -1 ? body.length : nl;
    let physical = body.slice(start, end);
    if (physical.endsWith('\r')) physical = physical.slice(0, -1);
    lineNo++;
    const comment = isCommentLine(physical);
    if (pending !== null) {
      if (comment) {
        // pip: a comment line ends the continuation (and is itself stripped as a comment).
        emit(pending.join(''), pendingLine);
        pending = null;
      } else if (continues(physical)) {
        pending.push(physical.slice(0, -1));
      } else {
        pending.push(physical);
        emit(pending.join(''), pendingLine);
        pending = null;
      }
    } else if (!comment && continues(physical)) {
      pending = [physical.slice(0, -1)];
      pendingLine = lineNo;
    } else {
      emit(physical, lineNo);
    }
    if (nl === -1) break;
    start = nl + 1;
  }
  if (pending !== null) emit(pending.join(''), pendingLine);
  return out;
}
