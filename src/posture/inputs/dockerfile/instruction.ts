/**
 * One Dockerfile instruction as rule-friendly data. dockerfile-ast finds the instructions,
 * their ranges, keywords, heredocs and ENV/ARG/LABEL properties; the argument text is read
 * here by hand (the library keeps comment lines inside continuations in its joined text, and
 * its word list keeps quotes and mis-reads exec-form strings with spaces): continuation lines
 * joined as BuildKit joins them, flags, exec (JSON) form, and shell-like words. Linear, pure.
 */
import type { Heredoc, Instruction, ModifiableInstruction } from 'dockerfile-ast';

/** What `attrs.instructions[i]` holds. */
export type DockerInstruction = {
  /** Upper case: `RUN`, `COPY`, … (an unknown keyword is kept, and reported as a problem). */
  readonly keyword: string;
  /**
   * The argument text after the flags, with line continuations joined and comment lines
   * inside them dropped. For an instruction with heredocs, only its first logical line: the
   * bodies are in `heredocs`.
   */
  readonly args: string;
  /**
   * The words after the flags: the JSON strings of the exec form, else shell-like words with
   * quotes removed (`RUN echo "a b"` → `['echo', 'a b']`). HEALTHCHECK keeps its `CMD`/`NONE`
   * word first; ONBUILD's words start with the trigger's keyword.
   */
  readonly arguments: readonly string[];
  /** `--name=value` flags before the arguments (the last value of a repeated flag; null when no value). */
  readonly flags: Readonly<Record<string, string | null>>;
  /** Every flag in order (RUN may repeat `--mount`). */
  readonly flagList: readonly { readonly name: string; readonly value: string | null }[];
  /** Exec (JSON array) form: RUN/CMD/ENTRYPOINT/SHELL/ADD/COPY/VOLUME and HEALTHCHECK CMD. */
  readonly exec: boolean;
  /** Here-documents (`RUN <<EOF`), with their bodies as written. */
  readonly heredocs?: readonly { readonly name: string; readonly content: string; readonly terminated: boolean }[];
};

export const KEYWORDS: ReadonlySet<string> = new Set([
  'ADD', 'ARG', 'CMD', 'COPY', 'ENTRYPOINT', 'ENV', 'EXPOSE', 'FROM', 'HEALTHCHECK', 'LABEL',
  'MAINTAINER', 'ONBUILD', 'RUN', 'SHELL', 'STOPSIGNAL', 'USER', 'VOLUME', 'WORKDIR',
]);

interface HeredocCapable {
  getHeredocs(): Heredoc[];
}

/** Offset of a (line, character) position, from the file's line starts. */
export type OffsetOf = (line: number, character: number) => number;

export function readInstruction(ins: Instruction, source: string, offsetOf: OffsetOf, escape: string): DockerInstruction {
  const keyword = ins.getKeyword();
  const raw = ins.getRawArgumentsContent() ?? '';
  const heredocList = keyword === 'RUN' || keyword === 'COPY' || keyword === 'ADD' ? (ins as unknown as HeredocCapable).getHeredocs() : [];
  const args = joinContinuations(raw, escape, heredocList.length > 0);
  const words = splitWords(args, escape);
  // dockerfile-ast reads the leading `--flag`s and leaves them out of the argument text.
  const flagList = 'getFlags' in ins ? (ins as ModifiableInstruction).getFlags().map((f) => ({ name: f.getName(), value: f.getValue() })) : [];
  let exec = false;
  let argumentsOut = words.map((w) => w.text);
  const jsonAt = keyword === 'HEALTHCHECK' && argumentsOut[0]?.toUpperCase() === 'CMD' ? words[1] : words[0];
  if (jsonAt !== undefined && JSON_FORM.has(keyword)) {
    const parsed = execForm(args.slice(jsonAt.start));
    if (parsed !== undefined) {
      exec = true;
      argumentsOut = keyword === 'HEALTHCHECK' ? ['CMD', ...parsed] : parsed;
    }
  }
  const out: DockerInstruction = {
    keyword,
    args,
    arguments: argumentsOut,
    flags: Object.fromEntries(flagList.map((f) => [f.name, f.value])),
    flagList,
    exec,
  };
  if (heredocList.length === 0) return out;
  const heredocs = heredocList.map((h) => {
    const c = h.getContentRange();
    const content = c === null ? '' : source.slice(offsetOf(c.start.line, c.start.character), offsetOf(c.end.line, c.end.character));
    return { name: h.getName(), content, terminated: h.getDelimiterRange() !== null };
  });
  return { ...out, heredocs };
}

const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL', 'ADD', 'COPY', 'VOLUME', 'HEALTHCHECK']);

/** A JSON array of strings (the exec form), else undefined. */
export function execForm(text: string): string[] | undefined {
  const t = text.trim();
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  try {
    const v: unknown = JSON.parse(t);
    return Array.isArray(v) && v.every((x): x is string => typeof x === 'string') ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Argument text as BuildKit reads it: a line ending in the escape character continues on the
 * next line (the escape and the line break are removed), and blank or comment lines inside a
 * continuation are dropped. With heredocs, reading stops at the end of the first logical line.
 */
export function joinContinuations(raw: string, escape: string, stopAtFirstLine: boolean): string {
  const lines = raw.split('\n');
  let out = '';
  let continuing = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.endsWith('\r') ? lines[n]!.slice(0, -1) : lines[n]!;
    if (continuing && n > 0) {
      const t = line.trimStart();
      if (t === '' || t.startsWith('#')) continue;
    }
    const trimmed = line.trimEnd();
    if (trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape)) {
      out += trimmed.slice(0, -escape.length);
      continuing = true;
      continue;
    }
    out += line;
    continuing = false;
    if (stopAtFirstLine || n === lines.length - 1) break;
    out += '\n';
  }
  return out;
}

export interface Word {
  readonly text: string;
  /** Offset of the word's first character in the text. */
  readonly start: number;
}

/**
 * Shell-like words: split on unquoted blanks, quotes removed, the escape character (backslash,
 * or a backtick under `# escape=\``) keeps the next character outside single quotes. Linear.
 */
export function splitWords(text: string, escape = '\\'): Word[] {
  const words: Word[] = [];
  let cur = '';
  let start = -1;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === null && (c === ' ' || c === '\t' || c === '\n' || c === '\r')) {
      if (start !== -1) words.push({ text: cur, start });
      cur = '';
      start = -1;
      continue;
    }
    if (start === -1) start = i;
    if (c === escape && quote !== "'" && i + 1 < text.length) {
      const next = text[i + 1]!;
      // Inside double quotes only \" \\ \$ \` are escapes (the rest keeps its backslash).
      if (quote === '"' && next !== '"' && next !== escape && next !== '$' && next !== '`') cur += c;
      cur += next;
      i++;
    } else if (quote === null && (c === '"' || c === "'")) {
      quote = c;
    } else if (c === quote) {
      quote = null;
    } else {
      cur += c;
    }
  }
  if (start !== -1) words.push({ text: cur, start });
  return words;
}
