/**
 * The `.vigilignore` file, in either of two forms (docs/scan-formats.md):
 *
 *   # id                 package (optional)   expiry (optional)    reason (required)
 *   CVE-2024-1234        pkg:npm/lodash       expires=2027-01-31   "only used in tests"
 *   GHSA-xxxx-yyyy-zzzz                                           "not reachable: we never call foo()"
 *   CVE-2023-0001        lodash@4.17.20       reason=vendored copy, patched in place
 *
 * or YAML, recognised by a first entry line `ignore:` (src/match/ignore/yaml.ts). The line
 * form is read by a small hand-written scanner (one pass per line, no regular expression over
 * the line): `#` starts a comment at the start of a line or after a quoted reason. Every
 * problem names file:line; an entry with a problem is left out and the problem is an error
 * (the CLI exits 2), never dropped. Pure, never throws.
 */
import { badDate, badId, badPackage, REASON_REQUIRED } from './fields.js';
import { DEFAULT_IGNORE_LIMITS, type IgnoreEntry, type IgnoreFile, type IgnoreLimits, type IgnoreProblem } from './model.js';
import { parseIgnoreYaml } from './yaml.js';

/** Whether the text is the YAML form: its first line that is neither blank nor a comment starts with `ignore:`. */
export function isYamlIgnore(text: string): boolean {
  for (const raw of text.split('\n', 200)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line === '---') continue;
    return /^ignore\s*:/.test(line);
  }
  return false;
}

export function parseIgnoreFile(text: string, name: string, limits: IgnoreLimits = DEFAULT_IGNORE_LIMITS): IgnoreFile {
  if (text.length > limits.maxChars) return { format: 'lines', entries: [], problems: [{ source: name, message: `the file is ${text.length} characters, over the ${limits.maxChars} limit`, severity: 'error' }] };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (isYamlIgnore(body)) return parseIgnoreYaml(body, name, limits);
  const entries: IgnoreEntry[] = [];
  const problems: IgnoreProblem[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const source = `${name}:${i + 1}`;
    const r = parseLine(lines[i]!.replace(/\r$/, ''));
    if (r === null) continue;
    if (typeof r === 'string') problems.push({ source, message: r, severity: 'error' });
    else entries.push({ ...r, source });
    if (entries.length > limits.maxEntries) {
      problems.push({ source, message: `more than ${limits.maxEntries} entries; the rest of the file was not read`, severity: 'error' });
      entries.length = limits.maxEntries;
      break;
    }
  }
  return { format: 'lines', entries, problems: [...problems, ...duplicates(entries)] };
}

/** Later entries with the same id and package as an earlier one (they can never apply). */
export function duplicates(entries: readonly IgnoreEntry[]): IgnoreProblem[] {
  const seen = new Map<string, string>();
  const out: IgnoreProblem[] = [];
  for (const e of entries) {
    const key = `${e.id.toUpperCase()}\0${e.package ?? ''}`;
    const first = seen.get(key);
    if (first !== undefined) out.push({ source: e.source, message: `duplicate of the entry at ${first} (the first one applies)`, severity: 'warning' });
    else seen.set(key, e.source);
  }
  return out;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** A double-quoted string starting at `start` (at the quote): its text and the index after it, or an error. */
function quoted(line: string, start: number): { text: string; end: number } | string {
  let out = '';
  for (let i = start + 1; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) {
      out += line[++i]!;
    } else if (c === '"') {
      return { text: out, end: i + 1 };
    } else {
      out += c;
    }
  }
  return 'the reason has no closing double quote';
}

type Parsed = Omit<IgnoreEntry, 'source'>;

/** One line: null for a blank or comment line, a message for a bad one, else the entry. */
export function parseLine(line: string): Parsed | string | null {
  let i = 0;
  const skip = (): void => {
    while (isSpace(line[i])) i++;
  };
  skip();
  if (i >= line.length || line[i] === '#') return null;
  const word = (): string => {
    const s = i;
    while (i < line.length && !isSpace(line[i])) i++;
    return line.slice(s, i);
  };
  const id = word();
  const idProblem = badId(id);
  if (idProblem) return idProblem;
  let pkg: string | undefined;
  let expires: string | undefined;
  let reason: string | undefined;
  for (skip(); i < line.length; skip()) {
    if (reason !== undefined) return line[i] === '#' ? finish(id, pkg, expires, reason) : `unexpected text after the reason: ${JSON.stringify(line.slice(i, i + 40))}`;
    if (line[i] === '"') {
      const q = quoted(line, i);
      if (typeof q === 'string') return q;
      reason = q.text;
      i = q.end;
      continue;
    }
    if (line.startsWith('reason=', i)) {
      i += 'reason='.length;
      if (line[i] === '"') {
        const q = quoted(line, i);
        if (typeof q === 'string') return q;
        reason = q.text;
        i = q.end;
      } else {
        reason = line.slice(i).trim();
        i = line.length;
      }
      continue;
    }
    const token = word();
    if (token.startsWith('expires=')) {
      if (expires !== undefined) return 'expires= is given twice';
      expires = token.slice('expires='.length);
      const bad = badDate(expires);
      if (bad) return bad;
    } else if (/^[a-z_]+=/.test(token)) {
      return `unknown field ${JSON.stringify(token.slice(0, token.indexOf('=') + 1))}: an entry is ID [PACKAGE] [expires=YYYY-MM-DD] "REASON"`;
    } else if (pkg === undefined) {
      const bad = badPackage(token);
      if (bad) return bad;
      pkg = token;
    } else {
      return `unexpected ${JSON.stringify(token.slice(0, 40))}: an entry is ID [PACKAGE] [expires=YYYY-MM-DD] "REASON" (put the reason in double quotes)`;
    }
  }
  return finish(id, pkg, expires, reason);
}

function finish(id: string, pkg: string | undefined, expires: string | undefined, reason: string | undefined): Parsed | string {
  if (reason === undefined || reason.trim() === '') return REASON_REQUIRED;
  return { id, package: pkg, expires, reason: reason.trim() };
}
