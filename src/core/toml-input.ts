import { parse, TomlError } from 'smol-toml';

/**
 * Reading untrusted TOML with smol-toml, within a size limit; smol-toml itself refuses
 * excessive nesting. Pure; failures are values. (smol-toml returns prototype-less objects:
 * `__proto__` keys are inert.) The lockfile readers (Cargo.lock, poetry.lock, uv.lock,
 * pdm.lock, pylock.toml) read through the faster parser in src/inventory/toml, which is
 * tested against smol-toml; the helpers below serve both.
 */
export const TOML_MAX_CHARS = 64 * 1024 * 1024;

export type TomlRead =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | { readonly ok: false; readonly message: string; readonly line?: number | undefined };

export function readToml(text: string, maxChars = TOML_MAX_CHARS): TomlRead {
  if (text.length > maxChars) return { ok: false, message: `file is ${text.length} characters, over the ${maxChars} limit` };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: parse(body) };
  } catch (err) {
    if (err instanceof TomlError) {
      const first = (err.message.split('\n', 1)[0] ?? '').replace(/^Invalid TOML document:\s*/, '');
      return { ok: false, message: `malformed TOML: ${first.slice(0, 200)}`, line: err.line };
    }
    // A RangeError (stack) or anything else from the parser: the input was not readable.
    return { ok: false, message: `TOML refused: ${err instanceof Error ? err.message.slice(0, 200) : String(err)}` };
  }
}

/**
 * 1-based lines of each `[[header]]` array-table line (e.g. `[[package]]`), in document order,
 * so the i-th entry of the parsed array gets the i-th line. One linear pass; a header inside a
 * multi-line string would shift the count, which callers detect by comparing lengths.
 */
export function arrayTableLines(text: string, header: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let start = 0;
  while (start <= text.length) {
    const nl = text.indexOf('\n', start);
    const end = nl === -1 ? text.length : nl;
    let s = start;
    while (s < end && (text[s] === ' ' || text[s] === '\t')) s++;
    if (text.startsWith(header, s)) {
      let e = s + header.length;
      while (e < end && (text[e] === ' ' || text[e] === '\t' || text[e] === '\r')) e++;
      if (e === end || text[e] === '#') lines.push(line);
    }
    if (nl === -1) break;
    start = nl + 1;
    line++;
  }
  return lines;
}

/** Lines for `count` array entries, or an empty array when the header count does not match. */
export function entryLines(text: string, header: string, count: number): readonly (number | undefined)[] {
  const lines = arrayTableLines(text, header);
  return lines.length === count ? lines : [];
}

export const isTable = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
