/**
 * A reader for the subset of Elixir term syntax `mix.lock` is written in: maps `%{k: v}` /
 * `%{k => v}`, tuples `{…}`, lists `[…]` (with keyword entries `key: value`), strings,
 * atoms `:name` / `:"name"`, numbers, `true` / `false` / `nil`, `#` comments, trailing
 * commas. Recursive descent over the text, linear in its length, nesting capped. Errors are
 * thrown as {@link TermError} with an offset; the lock reader recovers per entry.
 */
export type Term = string | number | Atom | Tuple | readonly Term[] | TermMap;
export interface Atom {
  readonly atom: string;
}
export interface Tuple {
  readonly tuple: readonly Term[];
}
export interface TermMap {
  readonly map: readonly (readonly [Term, Term, number])[];
}

export class TermError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

export const isAtom = (t: Term | undefined): t is Atom => typeof t === 'object' && t !== null && 'atom' in t;
export const isTuple = (t: Term | undefined): t is Tuple => typeof t === 'object' && t !== null && 'tuple' in t;

const MAX_DEPTH = 64;
const ATOM_CHAR = /[A-Za-z0-9_@!?.]/;
const IDENT_START = /[a-z_]/;

export class TermReader {
  pos = 0;
  private depth = 0;
  /** Offset of the next backslash at or after `pos` (-1: none left), found once and reused so strings stay linear. */
  private escAt = -2;

  constructor(readonly text: string) {}

  fail(message: string): never {
    throw new TermError(message, this.pos);
  }

  /** Skips whitespace and `#` comments. */
  skip(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.pos++;
      else if (c === 0x23) {
        const nl = t.indexOf('\n', this.pos);
        this.pos = nl === -1 ? t.length : nl + 1;
      } else break;
    }
  }

  peek(): string {
    this.skip();
    return this.text.charAt(this.pos);
  }

  expect(s: string): void {
    this.skip();
    if (!this.text.startsWith(s, this.pos)) this.fail(`expected "${s}"`);
    this.pos += s.length;
  }

  value(): Term {
    this.skip();
    const c = this.text.charAt(this.pos);
    if (c === '%') {
      this.expect('%{');
      return this.nested(() => ({ map: this.entries('}') }));
    }
    if (c === '{') {
      this.pos++;
      return this.nested(() => ({ tuple: this.items('}') }));
    }
    if (c === '[') {
      this.pos++;
      return this.nested(() => this.items(']'));
    }
    if (c === '"') return this.string();
    if (c === ':') {
      this.pos++;
      if (this.text.charAt(this.pos) === '"') return { atom: this.string() };
      return { atom: this.word(ATOM_CHAR) || this.fail('expected an atom name after ":"') };
    }
    if (/[-0-9]/.test(c)) {
      const word = this.word(/[-+0-9._eE]/);
      const n = Number(word.replaceAll('_', ''));
      return Number.isFinite(n) ? n : this.fail(`malformed number "${word.slice(0, 20)}"`);
    }
    if (IDENT_START.test(c)) {
      const word = this.word(ATOM_CHAR);
      if (word === 'true' || word === 'false' || word === 'nil') return { atom: word };
      this.pos -= word.length;
      this.fail(`unexpected identifier "${word.slice(0, 40)}"`);
    }
    return this.fail(c === '' ? 'unexpected end of input' : `unexpected character "${c}"`);
  }

  /** Map entries up to `close`: `"key": value`, `key: value` or `key => value`. */
  entries(close: string): [Term, Term, number][] {
    const out: [Term, Term, number][] = [];
    while (this.peek() !== close) {
      const at = this.pos;
      out.push([...this.entry(), at]);
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) this.fail(`expected "," or "${close}"`);
    }
    this.pos++;
    return out;
  }

  /** One `key: value` / `key => value` pair (also used by the lock reader, entry by entry). */
  entry(): [Term, Term] {
    this.skip();
    const c = this.text.charAt(this.pos);
    let key: Term;
    if (c === '"' || IDENT_START.test(c)) {
      key = c === '"' ? this.string() : { atom: this.word(ATOM_CHAR) };
      if (this.text.charAt(this.pos) === ':' && /\s/.test(this.text.charAt(this.pos + 1))) {
        this.pos++;
        return [key, this.value()];
      }
    } else {
      key = this.value();
    }
    this.expect('=>');
    return [key, this.value()];
  }

  private items(close: string): Term[] {
    const out: Term[] = [];
    while (this.peek() !== close) {
      const c = this.text.charAt(this.pos);
      const keyword = IDENT_START.test(c) && /^[A-Za-z0-9_@!?]*: /.test(this.text.slice(this.pos, this.pos + 64));
      if (keyword) {
        const key = this.word(ATOM_CHAR);
        this.pos++;
        out.push({ tuple: [{ atom: key }, this.value()] });
      } else {
        out.push(this.value());
      }
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) this.fail(`expected "," or "${close}"`);
    }
    this.pos++;
    return out;
  }

  private nested<T>(read: () => T): T {
    if (++this.depth > MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} levels`);
    const v = read();
    this.depth--;
    return v;
  }

  private word(chars: RegExp): string {
    const start = this.pos;
    while (this.pos < this.text.length && chars.test(this.text.charAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  private string(): string {
    const t = this.text;
    this.pos++;
    let out = '';
    let start = this.pos;
    for (;;) {
      const end = t.indexOf('"', this.pos);
      if (this.escAt !== -1 && this.escAt < this.pos) this.escAt = t.indexOf('\\', this.pos);
      const esc = this.escAt;
      if (end === -1) this.fail('unterminated string');
      if (esc !== -1 && esc < end) {
        out += t.slice(start, esc);
        const e = t.charAt(esc + 1);
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
        this.pos = esc + 2;
        start = this.pos;
        continue;
      }
      out += t.slice(start, end);
      this.pos = end + 1;
      return out;
    }
  }
}
