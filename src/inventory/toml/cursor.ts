/**
 * The lexical layer of the hand-written TOML parser (see ./parse.ts for why it exists): a
 * cursor over the text with whitespace, comment, key and string scanning. Every scan is one
 * forward pass over the characters (no regular expressions, no backtracking); a syntax error
 * throws {@link TomlSyntaxError} with the offset, which parse.ts turns into a line and column.
 */

export class TomlSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const HASH = 0x23;
const APOSTROPHE = 0x27;
const DOT = 0x2e;
const BACKSLASH = 0x5c;
const DEL = 0x7f;

/** Characters of a bare key: A-Z a-z 0-9 `_` `-`. */
export function isBareKeyChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2d;
}

/** A control character TOML refuses in strings and comments (tab is allowed). */
const isControl = (c: number): boolean => (c < SPACE && c !== TAB) || c === DEL;

const hexValue = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/** The control characters TOML refuses in strings, other than the line breaks (looked for one by one). */
const CONTROL_CHARS: readonly string[] = [...Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).filter((c) => c !== '\t' && c !== '\n' && c !== '\r'), '\x7f'];

/** Offset of `ch` at or after `from`, or `end` when there is none. */
function nextOf(s: string, ch: string, from: number, end: number): number {
  const at = s.indexOf(ch, from);
  return at === -1 ? end : at;
}

/** Slots of the bare-key cache (a power of two). */
const KEY_CACHE_SLOTS = 1024;

export class TomlCursor {
  p = 0;
  readonly n: number;
  /** Bare keys met so far, by a hash of their characters: a repeated key reuses one string. */
  private readonly keyCache: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SLOTS);

  /**
   * Strings are found with indexOf, which V8 runs far faster than a loop over the characters:
   * once the text is known to hold no control characters but line breaks (one indexOf per
   * character kind, for the whole text), a single-line string is plain when its closing quote
   * comes before the next backslash (basic strings), line feed and carriage return, whose
   * offsets are kept as the scan moves forward.
   */
  private plainText: boolean | undefined;
  private nextBackslash = -1;
  private nextLf = -1;
  private nextCr = -1;

  constructor(readonly s: string) {
    this.n = s.length;
  }

  /** The closing quote of a single-line string starting at `start`, when nothing in between needs a closer look. */
  private plainEnd(quote: string, start: number, escapes: boolean): number {
    const s = this.s;
    this.plainText ??= !CONTROL_CHARS.some((c) => s.includes(c));
    if (!this.plainText) return -1;
    const q = s.indexOf(quote, start);
    if (q === -1) return -1;
    if (this.nextLf < start) this.nextLf = nextOf(s, '\n', start, this.n);
    if (this.nextCr < start) this.nextCr = nextOf(s, '\r', start, this.n);
    if (escapes && this.nextBackslash < start) this.nextBackslash = nextOf(s, '\\', start, this.n);
    return q < this.nextLf && q < this.nextCr && (!escapes || q < this.nextBackslash) ? q : -1;
  }

  fail(message: string, at = this.p): never {
    throw new TomlSyntaxError(message, at);
  }

  /** Spaces and tabs. */
  skipSpaces(): void {
    const s = this.s;
    let p = this.p;
    for (let c = s.charCodeAt(p); c === SPACE || c === TAB; c = s.charCodeAt(++p));
    this.p = p;
  }

  /** From `#` to the end of the line (the newline itself is left). */
  skipComment(): void {
    const s = this.s;
    let p = this.p + 1;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c >= SPACE && c !== DEL) {
        p++;
        continue;
      }
      if (c === TAB) {
        p++;
        continue;
      }
      if (p >= this.n || c === LF || (c === CR && s.charCodeAt(p + 1) === LF)) break;
      this.fail('control characters are not allowed in comments', p);
    }
    this.p = p;
  }

  /** Spaces, tabs, newlines (LF or CRLF) and comments. */
  skipVoid(): void {
    const s = this.s;
    for (;;) {
      const c = s.charCodeAt(this.p);
      if (c === SPACE || c === TAB || c === LF) this.p++;
      else if (c === CR && s.charCodeAt(this.p + 1) === LF) this.p += 2;
      else if (c === HASH) this.skipComment();
      else return;
    }
  }

  /** Spaces, tabs and a comment, then the end of the line or of the text. */
  expectLineEnd(): void {
    this.skipSpaces();
    if (this.s.charCodeAt(this.p) === HASH) this.skipComment();
    if (this.p >= this.n) return;
    const c = this.s.charCodeAt(this.p);
    if (c === LF) this.p++;
    else if (c === CR && this.s.charCodeAt(this.p + 1) === LF) this.p += 2;
    else this.fail('each key-value declaration must be followed by an end-of-line');
  }

  /**
   * A key, bare, quoted or dotted, up to and including `end` (`=` for a key-value pair, `]`
   * for a table header). One part comes back as a string, a dotted key as the list of parts.
   */
  parseKey(end: number): string | string[] {
    const start = this.p;
    let parts: string[] | undefined;
    for (;;) {
      this.skipSpaces();
      const part = this.keyPart();
      this.skipSpaces();
      const c = this.s.charCodeAt(this.p);
      if (c === DOT) {
        (parts ??= []).push(part);
        this.p++;
        continue;
      }
      if (c === end) {
        this.p++;
        if (parts === undefined) return part;
        parts.push(part);
        return parts;
      }
      if (this.p >= this.n || c === LF || c === CR) this.fail('incomplete key-value: cannot find end of key', start);
      this.fail(isBareKeyChar(c) || c === QUOTE || c === APOSTROPHE ? 'illegal character in key' : `illegal character in key: ${JSON.stringify(this.s[this.p])}`);
    }
  }

  private keyPart(): string {
    const s = this.s;
    const start = this.p;
    const c0 = s.charCodeAt(start);
    if (c0 === QUOTE || c0 === APOSTROPHE) {
      if (s.charCodeAt(start + 1) === c0 && s.charCodeAt(start + 2) === c0) this.fail('illegal quoted key: multiline strings are not allowed');
      return c0 === QUOTE ? this.basicString() : this.literalString();
    }
    let p = start;
    let hash = 0;
    for (let c = c0; isBareKeyChar(c); c = s.charCodeAt(++p)) hash = (Math.imul(hash, 31) + c) | 0;
    if (p === start) this.fail(this.p >= this.n ? 'incomplete key-value: cannot find end of key' : 'illegal empty bare key');
    this.p = p;
    const slot = hash & (KEY_CACHE_SLOTS - 1);
    const cached = this.keyCache[slot];
    if (cached !== undefined && cached.length === p - start && s.startsWith(cached, start)) return cached;
    const key = s.slice(start, p);
    this.keyCache[slot] = key;
    return key;
  }

  /** Any of the four string forms, the cursor on its first quote. */
  parseString(): string {
    const s = this.s;
    const q = s.charCodeAt(this.p);
    if (s.charCodeAt(this.p + 1) === q && s.charCodeAt(this.p + 2) === q) return this.multilineString(q === APOSTROPHE);
    return q === QUOTE ? this.basicString() : this.literalString();
  }

  /** `"…"`: the common case (no escape) is one scan and one slice. */
  basicString(): string {
    const s = this.s;
    const start = this.p + 1;
    const end = this.plainEnd('"', start, true);
    if (end !== -1) {
      this.p = end + 1;
      return s.slice(start, end);
    }
    let p = start;
    for (;;) {
      let c = s.charCodeAt(p);
      while (c > QUOTE && c !== BACKSLASH && c !== DEL) c = s.charCodeAt(++p);
      if (c === QUOTE) {
        this.p = p + 1;
        return s.slice(start, p);
      }
      if (c === SPACE || c === 0x21 || c === TAB) {
        p++;
        continue;
      }
      if (c === BACKSLASH) return this.escapedString(start, p);
      if (p >= this.n) this.fail('unfinished string', start - 1);
      this.fail('control characters are not allowed in strings', p);
    }
  }

  /** The rest of a single-line basic string from its first backslash. */
  private escapedString(start: number, firstEscape: number): string {
    const s = this.s;
    let out = s.slice(start, firstEscape);
    let p = firstEscape;
    let from = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === QUOTE) {
        this.p = p + 1;
        return out + s.slice(from, p);
      }
      if (c === BACKSLASH) {
        out += s.slice(from, p);
        const esc = this.escape(p);
        out += esc.text;
        p = from = esc.next;
        continue;
      }
      if (p >= this.n) this.fail('unfinished string', start - 1);
      if (isControl(c)) this.fail('control characters are not allowed in strings', p);
      p++;
    }
  }

  /** One escape sequence at `at` (the backslash): its text and the offset after it. */
  private escape(at: number): { text: string; next: number } {
    const c = this.s.charCodeAt(at + 1);
    switch (c) {
      case 0x62:
        return { text: '\b', next: at + 2 };
      case 0x74:
        return { text: '\t', next: at + 2 };
      case 0x6e:
        return { text: '\n', next: at + 2 };
      case 0x66:
        return { text: '\f', next: at + 2 };
      case 0x72:
        return { text: '\r', next: at + 2 };
      case 0x65:
        return { text: '\x1b', next: at + 2 };
      case QUOTE:
        return { text: '"', next: at + 2 };
      case BACKSLASH:
        return { text: '\\', next: at + 2 };
      case 0x78:
        return this.unicodeEscape(at, 2);
      case 0x75:
        return this.unicodeEscape(at, 4);
      case 0x55:
        return this.unicodeEscape(at, 8);
      default:
        return this.fail('unrecognised escape sequence', at + 1);
    }
  }

  private unicodeEscape(at: number, digits: number): { text: string; next: number } {
    let value = 0;
    for (let i = 0; i < digits; i++) {
      const d = hexValue(this.s.charCodeAt(at + 2 + i));
      if (d < 0) this.fail('invalid non-hex character in unicode escape', at + 2 + i);
      value = value * 16 + d;
    }
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) this.fail('invalid unicode escape', at);
    return { text: String.fromCodePoint(value), next: at + 2 + digits };
  }

  /** `'…'`: no escapes. */
  literalString(): string {
    const s = this.s;
    const start = this.p + 1;
    const end = this.plainEnd("'", start, false);
    if (end !== -1) {
      this.p = end + 1;
      return s.slice(start, end);
    }
    let p = start;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === APOSTROPHE) {
        this.p = p + 1;
        return s.slice(start, p);
      }
      if (c > APOSTROPHE && c !== DEL) {
        p++;
        continue;
      }
      if (p >= this.n) this.fail('unfinished string', start - 1);
      if (isControl(c)) this.fail('control characters are not allowed in strings', p);
      p++;
    }
  }

  /**
   * `"""…"""` and `'''…'''`: a newline right after the opening quotes is dropped, LF and CRLF
   * are kept, up to two quotes may precede the closing three, and (basic form only) a
   * backslash at the end of a line removes the newline and the whitespace after it.
   */
  private multilineString(literal: boolean): string {
    const s = this.s;
    const q = literal ? APOSTROPHE : QUOTE;
    const open = this.p;
    let p = open + 3;
    if (s.charCodeAt(p) === LF) p++;
    else if (s.charCodeAt(p) === CR && s.charCodeAt(p + 1) === LF) p += 2;
    let out = '';
    let from = p;
    for (;;) {
      const c = s.charCodeAt(p);
      if (c === q && s.charCodeAt(p + 1) === q && s.charCodeAt(p + 2) === q) {
        let end = p;
        if (s.charCodeAt(end + 3) === q) end++;
        if (s.charCodeAt(end + 3) === q) end++;
        this.p = end + 3;
        return out + s.slice(from, end);
      }
      if (c === LF || (c === CR && s.charCodeAt(p + 1) === LF)) {
        p += c === LF ? 1 : 2;
        continue;
      }
      if (!literal && c === BACKSLASH) {
        out += s.slice(from, p);
        const after = this.lineEndingBackslash(p);
        if (after !== undefined) {
          p = from = after;
          continue;
        }
        const esc = this.escape(p);
        out += esc.text;
        p = from = esc.next;
        continue;
      }
      if (p >= this.n) this.fail('unfinished string', open);
      if (isControl(c)) this.fail('control characters are not allowed in strings', p);
      p++;
    }
  }

  /**
   * A backslash followed by optional spaces/tabs and a newline: the offset of the first
   * character that is not whitespace or a newline after it; undefined when the backslash
   * starts an ordinary escape.
   */
  private lineEndingBackslash(at: number): number | undefined {
    const s = this.s;
    let p = at + 1;
    let c = s.charCodeAt(p);
    if (c !== SPACE && c !== TAB && c !== LF && c !== CR) return undefined;
    while (c === SPACE || c === TAB) c = s.charCodeAt(++p);
    if (!(c === LF || (c === CR && s.charCodeAt(p + 1) === LF))) this.fail('invalid escape: only line-ending whitespace may be escaped', at);
    for (;;) {
      if (c === SPACE || c === TAB || c === LF) p++;
      else if (c === CR && s.charCodeAt(p + 1) === LF) p += 2;
      else return p;
      c = s.charCodeAt(p);
    }
  }
}
