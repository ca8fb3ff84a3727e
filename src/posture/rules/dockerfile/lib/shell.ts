/**
 * A small POSIX shell reader for RUN instructions: script text → simple commands joined by
 * `&&`, `||`, `;`, `&`, `|` and line breaks, quotes removed, redirections dropped (a here-doc's
 * body is skipped), leading `NAME=value` assignments set apart, and command or process
 * substitutions (`$(…)`, backticks, `<(…)`) kept as text on the command for rules to read
 * again. Not a shell: no expansion, and control-flow keywords are only skipped. Never throws;
 * one forward pass (linear), substitutions are re-read by callers to a fixed depth.
 *
 * Written by hand: the npm shell parsers are unmaintained (bash-parser) or not installed and
 * drop what rules need (shell-quote keeps no substitutions).
 */

export type ShellOperator = '&&' | '||' | ';' | '&' | '|';

export interface ShellCommand {
  /** Command name first, quotes removed; `$VAR` and `$(…)` are kept as written. */
  readonly words: readonly string[];
  /** `NAME=value` words before the command name. */
  readonly assignments: readonly string[];
  /** The operator joining this command to the one before it (null for the first). */
  readonly op: ShellOperator | null;
  /** Commands joined by `|` share a pipeline number. */
  readonly pipeline: number;
  /** The text inside each `$(…)`, backtick or `<(…)`/`>(…)` of this command. */
  readonly substitutions: readonly string[];
}

/** Keywords skipped at the start of a command (`if apt-get …; then …; fi`). */
const RESERVED = new Set(['!', '{', '}', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'time', 'esac', 'in']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=/;
const BLANK = new Set([' ', '\t', '\r']);

export function parseShell(text: string): ShellCommand[] {
  return new Reader(text).read();
}

class Reader {
  private i = 0;
  private readonly out: ShellCommand[] = [];
  private words: string[] = [];
  private subs: string[] = [];
  private cur = '';
  private inWord = false;
  /** The next finished word is a redirection target (or here-doc delimiter): dropped. */
  private dropNext = false;
  private heredocNext = false;
  private readonly heredocs: { delimiter: string; strip: boolean }[] = [];
  private strip = false;
  private nextOp: ShellOperator | null = null;
  private pipeline = 0;

  constructor(private readonly s: string) {}

  read(): ShellCommand[] {
    const s = this.s;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (BLANK.has(c)) {
        this.endWord();
        this.i++;
      } else if (c === '\n') {
        this.endCommand(null);
        this.i++;
        this.skipHeredocBodies();
      } else if (c === '#' && !this.inWord) {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
      } else if (c === "'") {
        this.inWord = true;
        const end = s.indexOf("'", this.i + 1);
        this.cur += s.slice(this.i + 1, end === -1 ? s.length : end);
        this.i = end === -1 ? s.length : end + 1;
      } else if (c === '"') {
        this.inWord = true;
        this.i = this.doubleQuoted(this.i + 1);
      } else if (c === '\\') {
        if (s[this.i + 1] === '\n') this.i += 2;
        else {
          this.inWord = true;
          this.cur += s[this.i + 1] ?? '';
          this.i += 2;
        }
      } else if (c === '$' && s[this.i + 1] === '(') {
        this.inWord = true;
        this.i = this.substitution(this.i, 2, s[this.i + 2] !== '(');
      } else if (c === '$' && s[this.i + 1] === '{') {
        this.inWord = true;
        const end = s.indexOf('}', this.i + 2);
        const stop = end === -1 ? s.length : end + 1;
        this.cur += s.slice(this.i, stop);
        this.i = stop;
      } else if (c === '`') {
        this.inWord = true;
        this.i = this.backtick(this.i);
      } else if ((c === '<' || c === '>') && s[this.i + 1] === '(' && !this.inWord) {
        this.inWord = true;
        this.i = this.substitution(this.i, 2, true);
      } else if (c === '<' || c === '>') {
        this.redirection();
      } else if (c === '&' && s[this.i + 1] === '>') {
        this.endWord();
        this.i += s[this.i + 2] === '>' ? 3 : 2;
        this.dropNext = true;
      } else if (c === '&' || c === '|' || c === ';') {
        this.operator(c);
      } else if (c === '(' || c === ')') {
        this.endCommand(null);
        this.i++;
      } else {
        this.inWord = true;
        this.cur += c;
        this.i++;
      }
    }
    this.endCommand(null);
    return this.out;
  }

  private operator(c: string): void {
    const s = this.s;
    const next = s[this.i + 1];
    if (c === '&' && next === '&') {
      this.endCommand('&&');
      this.i += 2;
    } else if (c === '|' && next === '|') {
      this.endCommand('||');
      this.i += 2;
    } else if (c === '|') {
      this.endCommand('|');
      this.i += next === '&' ? 2 : 1;
    } else if (c === ';') {
      this.endCommand(';');
      this.i += next === ';' ? 2 : 1;
    } else {
      this.endCommand('&');
      this.i++;
    }
  }

  /** `>`, `>>`, `>|`, `>&N`, `<`, `<<`, `<<-`, `<<<`, `<>`, `<&N`, with an optional fd number before. */
  private redirection(): void {
    const s = this.s;
    if (this.inWord && /^\d+$/.test(this.cur)) {
      this.cur = '';
      this.inWord = false;
    } else {
      this.endWord();
    }
    const c = s[this.i]!;
    let j = this.i + 1;
    let heredoc = false;
    if (c === '<' && s[j] === '<' && s[j + 1] === '<') j += 2;
    else if (c === '<' && s[j] === '<') {
      heredoc = true;
      j++;
      this.strip = s[j] === '-';
      if (this.strip) j++;
    } else if (s[j] === c || s[j] === '|' || (c === '<' && s[j] === '>')) j++;
    if (s[j] === '&') {
      j++;
      while (j < s.length && (/\d/.test(s[j]!) || s[j] === '-')) j++;
      this.i = j;
      return;
    }
    this.i = j;
    this.dropNext = true;
    this.heredocNext = heredoc;
  }

  /** Reads a double-quoted string from `from` (after the quote); returns the index after the closing quote. */
  private doubleQuoted(from: number): number {
    const s = this.s;
    let i = from;
    while (i < s.length && s[i] !== '"') {
      const c = s[i]!;
      if (c === '\\' && i + 1 < s.length) {
        const n = s[i + 1]!;
        if (n === '\n') {
          i += 2;
          continue;
        }
        if (n !== '"' && n !== '\\' && n !== '$' && n !== '`') this.cur += c;
        this.cur += n;
        i += 2;
      } else if (c === '$' && s[i + 1] === '(') {
        i = this.substitution(i, 2, s[i + 2] !== '(');
      } else if (c === '`') {
        i = this.backtick(i);
      } else {
        this.cur += c;
        i++;
      }
    }
    return i + 1;
  }

  /**
   * A `$(…)` (or `<(…)`, `>(…)`, `$((…))`) starting at `at`: appends it as written to the word,
   * records its inner text when `capture`, returns the index after the closing parenthesis.
   */
  private substitution(at: number, open: number, capture: boolean): number {
    const s = this.s;
    // What encloses the scan position: parentheses or a double-quoted string (which may hold
    // further substitutions).
    const stack: ('(' | '"')[] = ['('];
    let i = at + open;
    while (i < s.length && stack.length > 0) {
      const c = s[i]!;
      const inQuotes = stack[stack.length - 1] === '"';
      if (c === '\\') i += 2;
      else if (c === '`') {
        const end = s.indexOf('`', i + 1);
        i = end === -1 ? s.length : end + 1;
      } else if (inQuotes) {
        if (c === '"') stack.pop();
        else if (c === '$' && s[i + 1] === '(') {
          stack.push('(');
          i++;
        }
        i++;
      } else if (c === "'") {
        const end = s.indexOf("'", i + 1);
        i = end === -1 ? s.length : end + 1;
      } else {
        if (c === '"' || c === '(') stack.push(c);
        else if (c === ')') stack.pop();
        i++;
      }
    }
    const end = Math.min(i, s.length);
    this.cur += s.slice(at, end);
    if (capture) this.subs.push(s.slice(at + open, stack.length === 0 ? end - 1 : end));
    return end;
  }

  private backtick(at: number): number {
    const s = this.s;
    let i = at + 1;
    while (i < s.length && s[i] !== '`') i += s[i] === '\\' ? 2 : 1;
    const end = Math.min(i, s.length);
    this.cur += s.slice(at, end + 1);
    this.subs.push(s.slice(at + 1, end));
    return end + 1;
  }

  private endWord(): void {
    if (!this.inWord) return;
    if (this.dropNext) {
      if (this.heredocNext) this.heredocs.push({ delimiter: this.cur, strip: this.strip });
      this.dropNext = false;
      this.heredocNext = false;
    } else {
      this.words.push(this.cur);
    }
    this.cur = '';
    this.inWord = false;
  }

  /** Ends the current command; `op` is the operator that ended it (null for a line break or parenthesis). */
  private endCommand(op: ShellOperator | null): void {
    this.endWord();
    this.dropNext = false;
    let k = 0;
    const assignments: string[] = [];
    for (; k < this.words.length; k++) {
      const w = this.words[k]!;
      if (ASSIGNMENT.test(w)) assignments.push(w);
      else if (!RESERVED.has(w)) break;
    }
    const words = this.words.slice(k);
    if (words.length > 0 || assignments.length > 0) {
      if (this.nextOp !== '|' && this.out.length > 0) this.pipeline++;
      this.out.push({ words, assignments, op: this.out.length === 0 ? null : this.nextOp, pipeline: this.pipeline, substitutions: this.subs });
      this.nextOp = op ?? ';';
    } else if (op !== null) {
      this.nextOp = op;
    }
    this.words = [];
    this.subs = [];
  }

  /** After a line break: skips the bodies of here-documents opened on the line just read. */
  private skipHeredocBodies(): void {
    const s = this.s;
    while (this.heredocs.length > 0) {
      const { delimiter, strip } = this.heredocs.shift()!;
      while (this.i < s.length) {
        const nl = s.indexOf('\n', this.i);
        const lineEnd = nl === -1 ? s.length : nl;
        let line = s.slice(this.i, lineEnd);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        this.i = nl === -1 ? s.length : nl + 1;
        if ((strip ? line.replace(/^\t+/, '') : line) === delimiter) break;
      }
    }
  }
}

/** The last path segment of a command word: `/usr/bin/apt-get` → `apt-get`. */
export function baseName(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

/** A word still holding a variable, substitution or glob the reader cannot resolve. */
export function isDynamic(word: string): boolean {
  return word.includes('$') || word.includes('`');
}
