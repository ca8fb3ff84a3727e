/**
 * The base image of a FROM line: `[registry/]repository[:tag][@digest]`, after substituting
 * the global ARGs (declared before the first FROM) that have defaults, as BuildKit does.
 * Written by hand: a few lines of string splitting, no library needed. Linear, pure.
 */

/** What `attrs.from` holds. */
export type DockerFrom = {
  /** The image reference as written (`${BASE}:3.19`, `python:3.12-slim@sha256:…`). */
  readonly raw: string;
  /** Repository with registry, after ARG substitution: `python`, `ghcr.io/org/app`; null when FROM names none. */
  readonly image: string | null;
  readonly tag: string | null;
  readonly digest: string | null;
  /** `--platform` value, or null. */
  readonly platform: string | null;
  /** The stage's own name (`AS build`), or null. */
  readonly as: string | null;
  /** The earlier stage this one builds on (`FROM build`), or null. */
  readonly stage: string | null;
  /** True when the reference still holds a variable that could not be substituted. */
  readonly unresolved: boolean;
};

/** `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`, `${NAME+word}`. */
export function substitute(text: string, vars: ReadonlyMap<string, string | null>): { value: string; unresolved: boolean } {
  let out = '';
  let unresolved = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    if (text[i + 1] === '{') {
      const close = text.indexOf('}', i + 2);
      if (close === -1) {
        out += text.slice(i);
        unresolved = true;
        break;
      }
      const inner = text.slice(i + 2, close);
      const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])(.*))?$/s.exec(inner);
      const name = m?.[1];
      const value = name === undefined ? undefined : vars.get(name);
      const op = m?.[2];
      const word = m?.[3] ?? '';
      if (name === undefined) {
        out += text.slice(i, close + 1);
        unresolved = true;
      } else if (op === undefined) {
        if (value === undefined || value === null) unresolved = true;
        out += value ?? text.slice(i, close + 1);
      } else if (op.endsWith('-')) {
        const set = value !== undefined && value !== null && (op === '-' || value !== '');
        out += set ? value : word;
      } else {
        const set = value !== undefined && value !== null && (op === '+' || value !== '');
        out += set ? word : '';
      }
      i = close + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1, i + 257));
    if (m === null) {
      out += c;
      i++;
      continue;
    }
    const value = vars.get(m[0]);
    if (value === undefined || value === null) {
      unresolved = true;
      out += `$${m[0]}`;
    } else {
      out += value;
    }
    i += 1 + m[0].length;
  }
  return { value: out, unresolved };
}

/** Splits `[registry/]repository[:tag][@digest]`. */
export function splitReference(ref: string): { image: string; tag: string | null; digest: string | null } {
  const at = ref.indexOf('@');
  const name = at === -1 ? ref : ref.slice(0, at);
  const digest = at === -1 ? null : ref.slice(at + 1);
  const slash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > slash) return { image: name.slice(0, colon), tag: name.slice(colon + 1), digest };
  return { image: name, tag: null, digest };
}
