/**
 * Helpers of the TOML differential tests: outcomes of smol-toml and of our parser in one
 * comparable shape, a seeded random source and a random TOML document generator.
 */
import assert from 'node:assert/strict';
import { parse as smolParse, TomlDate, TomlError } from 'smol-toml';
import { parseToml } from '../parse.js';

/** Tables (whatever their prototype) as plain objects, dates as their ISO text and kind. */
export function normalise(v: unknown): unknown {
  if (v instanceof TomlDate) return { date: v.toISOString(), isDate: v.isDate(), isTime: v.isTime(), isLocal: v.isLocal() };
  if (Array.isArray(v)) return v.map(normalise);
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) Object.defineProperty(out, k, { value: normalise((v as Record<string, unknown>)[k]), enumerable: true });
    return out;
  }
  return v;
}

export type Outcome = { ok: true; value: unknown } | { ok: false; line: number | undefined };

export function smol(text: string): Outcome {
  try {
    return { ok: true, value: normalise(smolParse(text)) };
  } catch (err) {
    if (err instanceof TomlError) return { ok: false, line: err.line };
    if (err instanceof RangeError) return { ok: false, line: undefined };
    throw err;
  }
}

export function mine(text: string): Outcome {
  const r = parseToml(text);
  return r.ok ? { ok: true, value: normalise(r.value) } : { ok: false, line: r.line };
}

/** Same verdict and value; for refused documents the line too, unless `lineMayDiffer`. */
export function assertSame(text: string, label: string, lineMayDiffer = false): void {
  const a = smol(text);
  const b = mine(text);
  assert.equal(b.ok, a.ok, `${label}: smol-toml ${a.ok ? 'accepts' : `refuses (line ${a.line})`}, ours ${b.ok ? 'accepts' : `refuses (line ${b.line})`}\n${text.slice(0, 400)}`);
  if (a.ok && b.ok) assert.deepStrictEqual(b.value, a.value, label);
  else if (!a.ok && !b.ok && !lineMayDiffer && a.line !== undefined) assert.equal(b.line, a.line, `${label}: error line\n${text.slice(0, 400)}`);
}

/** Deterministic pseudo-random numbers (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BARE = ['a', 'b', 'c', 'name', 'version', '1', 'x-y', 'x_y', 'A', 'true'];

/** A random TOML document: valid most of the time, invalid in the ways real mistakes are. */
export function randomDocument(random: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const chance = (p: number): boolean => random() < p;
  const key = (): string => {
    const part = (): string => (chance(0.8) ? pick(BARE) : chance(0.5) ? `"${pick(BARE)} ${pick(['q', '\\u00e9', '\\t', '.'])}"` : `'${pick(BARE)}.lit'`);
    const parts = [part()];
    while (chance(0.25)) parts.push(part());
    return parts.join(chance(0.8) ? '.' : ' . ');
  };
  const digits = (n: number): string => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
  const scalar = (): string =>
    pick([
      () => String(Math.floor(random() * 2000) - 1000),
      () => `${pick(['', '+', '-'])}${1 + Math.floor(random() * 9)}_${digits(3)}`,
      () => pick(['0x', '0o', '0b']) + pick(['DEAD_beef', '755', '1010', '0', '_1', '1_', 'g']),
      () => `${pick(['', '-', '+'])}${digits(1 + Math.floor(random() * 3))}.${digits(1 + Math.floor(random() * 3))}${pick(['', 'e10', 'E-2', 'e+05', 'e'])}`,
      () => pick(['inf', '+inf', '-inf', 'nan', '-nan', 'true', 'false', '0', '-0', '00', '1__0', '9007199254740993', '1.', '.5', '3e2.1']),
      () => `"${pick(['plain', 'tab\\there', 'quote \\" in', 'uni \\u00E9 \\U0001F600', 'esc \\e \\x41', 'bad \\q', 'bs \\\\', ''])}"`,
      () => `'${pick(['lit \\n raw', 'C:\\path', '', 'a"b'])}'`,
      () => `"""${pick(['\nmulti\nline', 'one "" two', 'trim \\\n    here', 'ws \\  \n  x', 'quotes ""', ''])}"""`,
      () => `'''${pick(['\nraw\nlines', "it's ''", ''])}'''`,
      () => pick(['1979-05-27T07:32:00Z', '1979-05-27T00:32:00.999999-07:00', '1979-05-27 07:32:00', '1979-05-27T07:32', '1979-05-27', '07:32:00', '00:32:00.5', '2000-02-29', '1979-05-27t07:32:00z', '1979-13-01', '24:00:00']),
    ])();
  const value = (depth: number): string => {
    if (depth < 3 && chance(0.15)) {
      const items = Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
      const sep = chance(0.3) ? ',\n  ' : ', ';
      return `[${chance(0.2) ? ' # c\n' : ''}${items.join(sep)}${chance(0.2) ? ',' : ''}${chance(0.2) ? '\n' : ''}]`;
    }
    if (depth < 3 && chance(0.15)) {
      const items = Array.from({ length: Math.floor(random() * 4) }, () => `${key()} = ${value(depth + 1)}`);
      return `{${items.join(chance(0.2) ? ',\n' : ', ')}${chance(0.1) ? ',' : ''}}`;
    }
    return scalar();
  };
  const lines: string[] = [];
  const pairs = (): void => {
    for (let i = Math.floor(random() * 4); i > 0; i--) lines.push(`${chance(0.1) ? '  ' : ''}${key()} = ${value(0)}${chance(0.2) ? ' # note' : ''}`);
  };
  pairs();
  for (let i = Math.floor(random() * 5); i > 0; i--) {
    const k = key();
    lines.push(chance(0.4) ? `[[${k}]]` : `[${k}]${chance(0.1) ? ' # t' : ''}`);
    pairs();
  }
  return lines.join(chance(0.1) ? '\r\n' : '\n') + (chance(0.5) ? '\n' : '');
}
