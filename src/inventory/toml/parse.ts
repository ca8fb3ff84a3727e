/**
 * A TOML parser, hand-written for speed: the lockfile readers (uv.lock, Cargo.lock,
 * poetry.lock, pdm.lock, pylock.toml) spent most of their time in smol-toml, whose tables are
 * `Object.create(null)` dictionaries and which keeps a Set per inline table and bookkeeping
 * objects per key. This one reads the same language (TOML 1.0 plus the TOML 1.1 additions
 * smol-toml 1.9 accepts: `\e` and `\xHH` escapes, seconds-less times, newlines and a trailing
 * comma in inline tables) into the same values, and is tested against smol-toml on every TOML
 * file in the shared test data, on generated documents and on hostile input
 * (./parse.test.ts, ./differential.test.ts).
 *
 * Tables are objects whose prototype is an empty, frozen object without a prototype: keys
 * such as `__proto__` or `constructor` are ordinary own properties and nothing is inherited,
 * as with smol-toml's prototype-less objects, but V8 keeps them in its fast object mode.
 *
 * Table definitions follow smol-toml's rules (which follow the TOML specification): a table
 * is defined once by a header; dotted keys cannot reach into header-defined tables and headers
 * cannot redefine dotted-key tables (but may add sub-tables to them); inline tables and arrays
 * are values and cannot be extended; `[[a]]` appends to an array of tables and later headers
 * under it extend its last element.
 */
import type { TomlDate } from 'smol-toml';
import { TomlCursor, TomlSyntaxError } from './cursor.js';
import { parseBareValue } from './scalars.js';

export type TomlValue = string | number | boolean | TomlDate | TomlValue[] | TomlTable;
export interface TomlTable {
  [key: string]: TomlValue;
}

export type TomlParse = { readonly ok: true; readonly value: TomlTable } | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

export interface TomlOptions {
  /** Deepest nesting of inline arrays and tables (smol-toml's default, 1000). */
  readonly maxDepth?: number;
}

const TABLE_PROTO: object = Object.freeze(Object.create(null) as object);
const newTable = (): TomlTable => Object.create(TABLE_PROTO) as TomlTable;

/** How a table came to be, which decides what may later extend or redefine it. */
const enum Kind {
  /** On the path of a `[a.b]` header, not yet defined by a header of its own. */
  HeaderImplicit,
  /** Defined by a `[header]` (or an element of an array of tables). */
  HeaderDefined,
  /** Created by a dotted key (`a.b = 1` creates `a`). */
  Dotted,
  /** On the path of an `[[a.b]]` header, not yet defined. */
  ArrayPathImplicit,
  /** On the path of an `[[a.b]]` header, then defined by an `[a]` header. */
  ArrayPathDefined,
}

const BRACKET_OPEN = 0x5b;
const BRACKET_CLOSE = 0x5d;
const BRACE_OPEN = 0x7b;
const BRACE_CLOSE = 0x7d;
const COMMA = 0x2c;
const EQUALS = 0x3d;

class TomlParser extends TomlCursor {
  private readonly kinds = new Map<TomlTable, Kind>();
  private readonly tableArrays = new Set<TomlValue[]>();
  private depth: number;

  constructor(text: string, maxDepth: number) {
    super(text);
    this.depth = maxDepth;
  }

  document(): TomlTable {
    const root = newTable();
    let current = root;
    if (this.s.charCodeAt(0) === 0xfeff) this.p = 1;
    for (;;) {
      this.skipVoid();
      if (this.p >= this.n) return root;
      if (this.s.charCodeAt(this.p) === BRACKET_OPEN) current = this.header(root);
      else this.keyValue(current);
      this.expectLineEnd();
    }
  }

  private header(root: TomlTable): TomlTable {
    const start = this.p;
    const array = this.s.charCodeAt(this.p + 1) === BRACKET_OPEN;
    this.p += array ? 2 : 1;
    const key = this.parseKey(BRACKET_CLOSE);
    if (array) {
      if (this.s.charCodeAt(this.p) !== BRACKET_CLOSE) this.fail('expected end of table array declaration');
      this.p++;
    }
    const keys = typeof key === 'string' ? [key] : key;
    return array ? this.appendTableArray(root, keys, start) : this.defineTable(root, keys, start);
  }

  private kindOf(value: TomlValue): Kind | 'array' | 'value' {
    if (typeof value === 'object' && !(value instanceof Date)) {
      if (Array.isArray(value)) return this.tableArrays.has(value) ? 'array' : 'value';
      return this.kinds.get(value) ?? 'value';
    }
    return 'value';
  }

  private redefined(at: number): never {
    return this.fail('trying to redefine an already defined table or value', at);
  }

  /** Walks the path of a header (all but the last key), creating tables as needed. */
  private headerPath(root: TomlTable, keys: readonly string[], created: Kind, at: number): TomlTable {
    let t = root;
    for (let i = 0; i < keys.length - 1; i++) {
      const k = keys[i]!;
      const v = t[k];
      if (v === undefined) {
        const child = newTable();
        this.kinds.set(child, created);
        t[k] = child;
        t = child;
        continue;
      }
      const kind = this.kindOf(v);
      if (kind === 'value') this.redefined(at);
      t = kind === 'array' ? ((v as TomlTable[]).at(-1) as TomlTable) : (v as TomlTable);
    }
    return t;
  }

  /** `[a.b.c]`: defines table c (once), creating a and b if needed. */
  private defineTable(root: TomlTable, keys: readonly string[], at: number): TomlTable {
    const parent = this.headerPath(root, keys, Kind.HeaderImplicit, at);
    const k = keys[keys.length - 1]!;
    const v = parent[k];
    if (v === undefined) {
      const table = newTable();
      this.kinds.set(table, Kind.HeaderDefined);
      parent[k] = table;
      return table;
    }
    const kind = this.kindOf(v);
    if (kind === Kind.HeaderImplicit) this.kinds.set(v as TomlTable, Kind.HeaderDefined);
    else if (kind === Kind.ArrayPathImplicit) this.kinds.set(v as TomlTable, Kind.ArrayPathDefined);
    else this.redefined(at);
    return v as TomlTable;
  }

  /** `[[a.b.c]]`: appends a table to the array of tables c, creating it (and a, b) if needed. */
  private appendTableArray(root: TomlTable, keys: readonly string[], at: number): TomlTable {
    const parent = this.headerPath(root, keys, Kind.ArrayPathImplicit, at);
    const k = keys[keys.length - 1]!;
    let list = parent[k];
    if (list === undefined) {
      list = [];
      this.tableArrays.add(list);
      parent[k] = list;
    } else if (this.kindOf(list) !== 'array') this.redefined(at);
    const table = newTable();
    this.kinds.set(table, Kind.HeaderDefined);
    (list as TomlValue[]).push(table);
    return table;
  }

  /** `key = value` (the key possibly dotted) into `table`. */
  private keyValue(table: TomlTable): void {
    const start = this.p;
    const key = this.parseKey(EQUALS);
    let t = table;
    let k: string;
    if (typeof key === 'string') k = key;
    else {
      for (let i = 0; i < key.length - 1; i++) {
        const part = key[i]!;
        const v = t[part];
        if (v === undefined) {
          const child = newTable();
          this.kinds.set(child, Kind.Dotted);
          t[part] = child;
          t = child;
          continue;
        }
        const kind = this.kindOf(v);
        if (kind !== Kind.Dotted && kind !== Kind.ArrayPathImplicit && kind !== Kind.ArrayPathDefined) this.redefined(start);
        t = v as TomlTable;
      }
      k = key[key.length - 1]!;
    }
    if (t[k] !== undefined) this.redefined(start);
    this.skipSpaces();
    t[k] = this.value(0);
  }

  /** A value at the cursor; `closer` is the bracket of the enclosing array or inline table (0 at the top). */
  private value(closer: number): TomlValue {
    const c = this.s.charCodeAt(this.p);
    if (c === 0x22 || c === 0x27) return this.parseString();
    if (c === BRACKET_OPEN || c === BRACE_OPEN) {
      if (this.depth-- === 0) this.fail('document contains excessively nested structures. aborting.');
      const v = c === BRACKET_OPEN ? this.array() : this.inlineTable();
      this.depth++;
      return v;
    }
    if (this.p >= this.n || c === 0x0a || c === 0x0d || c === 0x23) this.fail('expected a value');
    return parseBareValue(this, closer);
  }

  private array(): TomlValue[] {
    const start = this.p++;
    const out: TomlValue[] = [];
    while (this.p < this.n) {
      this.skipVoid();
      if (this.s.charCodeAt(this.p) === BRACKET_CLOSE) {
        this.p++;
        return out;
      }
      out.push(this.value(BRACKET_CLOSE));
      this.skipVoid();
      const d = this.s.charCodeAt(this.p++);
      if (d === BRACKET_CLOSE) return out;
      if (d !== COMMA) this.fail('expected comma or end of structure', this.p - 1);
    }
    return this.fail('unfinished array', start);
  }

  /**
   * `{ k = v, … }`. Keys may be dotted (`{ a.b = 1, a.c = 2 }`); a table made that way can be
   * extended within the braces, a value (including an inline table) cannot.
   */
  private inlineTable(): TomlTable {
    const start = this.p++;
    const out = newTable();
    let dotted: Set<TomlTable> | undefined;
    while (this.p < this.n) {
      this.skipVoid();
      if (this.s.charCodeAt(this.p) === BRACE_CLOSE) {
        this.p++;
        return out;
      }
      const at = this.p;
      const key = this.parseKey(EQUALS);
      let t = out;
      let k: string;
      if (typeof key === 'string') k = key;
      else {
        dotted ??= new Set();
        for (let i = 0; i < key.length - 1; i++) {
          const part = key[i]!;
          const v = t[part];
          if (v === undefined) {
            const child = newTable();
            dotted.add(child);
            t[part] = child;
            t = child;
          } else if (dotted.has(v as TomlTable)) t = v as TomlTable;
          else this.fail('trying to redefine an already defined value', at);
        }
        k = key[key.length - 1]!;
      }
      if (t[k] !== undefined) this.fail('trying to redefine an already defined value', at);
      this.skipSpaces();
      t[k] = this.value(BRACE_CLOSE);
      this.skipVoid();
      const d = this.s.charCodeAt(this.p++);
      if (d === BRACE_CLOSE) return out;
      if (d !== COMMA) this.fail('expected comma or end of structure', this.p - 1);
    }
    return this.fail('unfinished table', start);
  }
}

/** 1-based line and column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses a TOML document. Never throws: a syntax error comes back with its line and column. */
export function parseToml(text: string, options: TomlOptions = {}): TomlParse {
  try {
    return { ok: true, value: new TomlParser(text, options.maxDepth ?? 1000).document() };
  } catch (err) {
    if (err instanceof TomlSyntaxError) return { ok: false, message: err.message, ...position(text, Math.min(err.offset, text.length)) };
    if (err instanceof RangeError) return { ok: false, message: `document refused: ${err.message}`, line: 1, column: 1 };
    throw err;
  }
}
