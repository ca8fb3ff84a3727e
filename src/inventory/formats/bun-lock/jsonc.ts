/**
 * bun.lock is JSONC: JSON plus `//` and `/* *\/` comments and trailing commas. This turns it
 * into JSON in one linear pass that knows where strings are (so `"a//b"` and `"x,]"` stay
 * intact): comments become spaces (newlines kept) and a comma followed only by whitespace or
 * comments before `}` / `]` becomes a space. The result has the same length and line breaks
 * as the input, so offsets found in either point at the same line.
 */
export function jsoncToJson(text: string): string {
  const blanks: [number, number][] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      i = skipString(text, i);
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = lineEnd(text, i);
      blanks.push([i, end]);
      i = end;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      const end = close === -1 ? n : close + 2;
      blanks.push([i, end]);
      i = end;
    } else if (c === 0x2c) {
      const next = nextSignificant(text, i + 1);
      if (next < n && (text.charCodeAt(next) === 0x7d || text.charCodeAt(next) === 0x5d)) blanks.push([i, i + 1]);
      i++;
    } else i++;
  }
  if (blanks.length === 0) return text;
  const parts: string[] = [];
  let last = 0;
  for (const [start, end] of blanks) {
    parts.push(text.slice(last, start), text.slice(start, end).replace(/[^\n\r]/g, ' '));
    last = end;
  }
  parts.push(text.slice(last));
  return parts.join('');
}

/** Offset just after the string starting at `at` (or the end of the text when unterminated). */
function skipString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i + 1;
  }
  return text.length;
}

function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl === -1 ? text.length : nl;
}

/** The next offset that is neither whitespace nor inside a comment. */
function nextSignificant(text: string, from: number): number {
  let i = from;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) i = lineEnd(text, i);
    else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const close = text.indexOf('*/', i + 2);
      i = close === -1 ? text.length : close + 2;
    } else return i;
  }
  return i;
}
