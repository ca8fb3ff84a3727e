/**
 * Template text of HCL strings and heredocs. The grammar's `template_literal` nodes leave out
 * surrounding whitespace (it is an "extra"), so literal text is always taken from the source
 * between the structural nodes (interpolations, directives, delimiters), then unescaped.
 * Written by hand: HCL's escapes are few (quoted: \n \r \t \" \\ \uNNNN \UNNNNNNNN; both kinds:
 * $${ and %%{ for literal ${ and %{).
 */

/** Unescape the text of a quoted string (`quoted`) or of a heredoc body. */
export function unescapeTemplate(raw: string, quoted: boolean): string {
  if (!raw.includes('\\') && !raw.includes('$${') && !raw.includes('%%{')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw[i]!;
    if (quoted && c === '\\' && i + 1 < raw.length) {
      const n = raw[i + 1]!;
      switch (n) {
        case 'n': out += '\n'; i += 2; continue;
        case 'r': out += '\r'; i += 2; continue;
        case 't': out += '\t'; i += 2; continue;
        case '"': out += '"'; i += 2; continue;
        case '\\': out += '\\'; i += 2; continue;
        case 'u':
        case 'U': {
          const len = n === 'u' ? 4 : 8;
          const hex = raw.slice(i + 2, i + 2 + len);
          const cp = /^[0-9a-fA-F]+$/.test(hex) && hex.length === len ? Number.parseInt(hex, 16) : NaN;
          if (Number.isFinite(cp) && cp <= 0x10ffff) {
            out += String.fromCodePoint(cp);
            i += 2 + len;
            continue;
          }
          break;
        }
        default:
          break;
      }
    }
    if ((c === '$' || c === '%') && raw[i + 1] === c && raw[i + 2] === '{') {
      out += c + '{';
      i += 3;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Leading whitespace width common to all non-blank lines (for `<<-` heredocs). */
export function commonIndent(body: string): number {
  let min = Infinity;
  for (const line of body.split('\n')) {
    let n = 0;
    while (n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
    if (n === line.length) continue; // blank line
    if (n < min) min = n;
  }
  return min === Infinity ? 0 : min;
}

/** Remove up to `indent` leading blanks of one line. */
export function dedentLine(line: string, indent: number): string {
  let n = 0;
  while (n < indent && n < line.length && (line[n] === ' ' || line[n] === '\t')) n++;
  return line.slice(n);
}
