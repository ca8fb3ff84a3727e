/**
 * PostgreSQL COPY text format (https://www.postgresql.org/docs/current/sql-copy.html): one
 * line per row, tab-separated columns, `\N` for NULL; backslash, tab, newline and carriage
 * return escaped. Text with a NUL character cannot be stored at all: callers filter it out.
 */
const COPY_SPECIAL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

const NEEDS_ESCAPE = /[\\\t\n\r]/;
/** Most values need no escape: test first (no allocation), replace only when needed. */
export const copyText = (s: string): string => (NEEDS_ESCAPE.test(s) ? s.replace(COPY_SPECIAL, (c) => COPY_ESCAPES[c]!) : s);
export const copyNullable = (s: string | null | undefined): string => (s === null || s === undefined ? '\\N' : copyText(s));
/** A text[] literal (`{"a","b"}`), then escaped for COPY. */
export const copyArray = (items: readonly string[]): string => copyText(`{${items.map((x) => `"${x.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);
export const copyBool = (b: boolean | null | undefined): string => (b === null || b === undefined ? '\\N' : b ? 't' : 'f');
export const copyInt = (n: number | null | undefined): string => (n === null || n === undefined ? '\\N' : String(Math.trunc(n)));
/**
 * JSON text as JSON.stringify writes it: control characters are escaped inside strings and no
 * whitespace separates tokens, so no raw tab, newline or carriage return can occur and only
 * backslashes need escaping (several times faster than copyText on large documents).
 */
export const copyJson = (json: string): string => (json.includes('\\') ? json.replaceAll('\\', '\\\\') : json);

/**
 * COPY lines given as text or as UTF-8 bytes (the import worker hands rows over as bytes,
 * see produce.ts `packRows`), as one payload for copyFrom: their text joined when every part
 * is text, else their bytes concatenated (the text parts encoded), so that bytes are never
 * decoded only to be encoded again.
 */
export function copyPayload(parts: readonly (string | Uint8Array)[]): string | Buffer {
  if (parts.every((p) => typeof p === 'string')) return parts.join('');
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p)));
}
