/**
 * pip requirements files, layer 2: one logical line → an option or a requirement. A
 * hand-written scanner for the PEP 508 subset pip accepts in requirements files (name, extras,
 * version specifiers, `@ url`, `; marker`), URL / VCS / path requirements (`#egg=name`), and
 * per-requirement options (`--hash=…`). No regexes over the whole line.
 */
import { isPypiName, nameLength } from '../pypi-shared/names.js';

export type Line =
  | { readonly kind: 'option'; readonly name: string; readonly value: string }
  | { readonly kind: 'requirement'; readonly req: Requirement }
  | { readonly kind: 'unnamed'; readonly target: string }
  | { readonly kind: 'invalid'; readonly reason: string };

export interface Requirement {
  /** The distribution name as written (callers normalise). */
  readonly name: string;
  /** The pinned version (`==`/`===`), else the lower bound of `>=`/`~=`, else ''. */
  readonly version: string;
  /** The version specifier as written (`>= 1.2, < 2`), '' when none. */
  readonly specifier: string;
  readonly extras: readonly string[];
  readonly marker: string;
  /** For `name @ url` and URL/VCS lines with `#egg=`. */
  readonly url?: string | undefined;
  /** VCS revision after `@` in a VCS URL, when it is a commit hash. */
  readonly commit?: string | undefined;
  /** VCS revision that is not a commit (branch, tag). */
  readonly ref?: string | undefined;
  /** `git+https://…` (no fragment) when the URL is a VCS URL. */
  readonly vcsUrl?: string | undefined;
  /** `--hash=alg:hex` values. */
  readonly hashes: readonly string[];
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\f' || c === '\v' || c === '\r';
const OPERATORS = ['===', '==', '~=', '!=', '<=', '>=', '<', '>'] as const;
const VCS_PREFIXES = ['git+', 'hg+', 'svn+', 'bzr+'];
const ARCHIVES = ['.whl', '.zip', '.tar.gz', '.tgz', '.tar.bz2', '.tbz', '.tar.xz', '.txz', '.tar', '.egg'];
const COMMIT = /^[0-9a-f]{7,40}$/i;

/** One logical line (comment removed, trimmed, non-empty). */
export function classifyLine(line: string): Line {
  if (line.startsWith('-')) return parseOption(line);
  const [reqPart, optionPart] = splitOptions(line);
  const hashes = hashOptions(optionPart);
  if (isUrlOrPath(reqPart)) return urlRequirement(reqPart, hashes);
  return pep508(reqPart, hashes);
}

/** `--name=value`, `--name value`, `-x value`, `-xvalue` (quotes around the value removed). */
export function parseOption(line: string): Line & { kind: 'option' } {
  let name: string;
  let value: string;
  if (line.startsWith('--')) {
    let end = 2;
    while (end < line.length && line[end] !== '=' && !isSpace(line[end])) end++;
    name = line.slice(0, end);
    value = line.slice(end + (line[end] === '=' ? 1 : 0)).trim();
  } else {
    name = line.slice(0, 2);
    value = line.slice(2).trim();
    if (value.startsWith('=')) value = value.slice(1).trim();
  }
  if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) value = value.slice(1, -1);
  return { kind: 'option', name, value };
}

/**
 * Splits a requirement line before its first per-requirement option: whitespace then `--…` or
 * `-C`, outside quotes (markers may quote strings).
 */
function splitOptions(line: string): [string, string] {
  let quote: string | undefined;
  for (let i = 1; i < line.length; i++) {
    const c = line[i];
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '-' && isSpace(line[i - 1]) && (line[i + 1] === '-' || (line[i + 1] === 'C' && (i + 2 === line.length || isSpace(line[i + 2]) || line[i + 2] === '=')))) {
      return [line.slice(0, i).trim(), line.slice(i)];
    }
  }
  return [line, ''];
}

function hashOptions(options: string): string[] {
  if (options === '') return [];
  const tokens = options.split(/\s+/);
  const hashes: string[] = [];
  tokens.forEach((t, i) => {
    if (t.startsWith('--hash=')) hashes.push(t.slice('--hash='.length));
    else if (t === '--hash' && tokens[i + 1] !== undefined) hashes.push(tokens[i + 1]!);
  });
  return hashes.map((h) => h.replace(/^["']|["']$/g, ''));
}

function isUrlOrPath(s: string): boolean {
  if (s.startsWith('.') || s.startsWith('/') || s.startsWith('~') || s.startsWith('\\')) return true;
  if (VCS_PREFIXES.some((p) => s.startsWith(p)) || s.startsWith('file:')) return true;
  const head = s.split(/[\s;]/, 1)[0] ?? '';
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(head)) return true;
  if (/^[A-Za-z]:[\\/]/.test(head)) return true; // Windows drive path
  const lower = head.toLowerCase();
  return ARCHIVES.some((ext) => lower.endsWith(ext)) || (head.includes('/') && !head.includes('@'));
}

/** URL, VCS or path line: named only by a `#egg=name` fragment. */
function urlRequirement(s: string, hashes: string[]): Line {
  const markerAt = s.search(/\s;/);
  const target = (markerAt === -1 ? s : s.slice(0, markerAt)).trim();
  const marker = markerAt === -1 ? '' : s.slice(markerAt).trim().slice(1).trim();
  const egg = fragmentValue(target, 'egg');
  if (egg === undefined || !isPypiName(eggName(egg))) return { kind: 'unnamed', target };
  return { kind: 'requirement', req: { name: eggName(egg), version: '', specifier: '', extras: [], marker, ...vcsParts(target), url: target, hashes } };
}

/** `#egg=name` or `#egg=name[extra]`; older lines also wrote `name-1.0` (the version is ignored). */
function eggName(egg: string): string {
  return egg.slice(0, nameLength(egg));
}

function fragmentValue(url: string, key: string): string | undefined {
  const hash = url.indexOf('#');
  if (hash === -1) return undefined;
  for (const part of url.slice(hash + 1).split('&')) if (part.startsWith(`${key}=`)) return part.slice(key.length + 1);
  return undefined;
}

/** The revision of a VCS URL (`git+https://host/repo.git@rev#…`) and the URL without fragment. */
function vcsParts(url: string): Pick<Requirement, 'commit' | 'ref' | 'vcsUrl'> {
  if (!VCS_PREFIXES.some((p) => url.startsWith(p))) return {};
  const base = url.split('#', 1)[0]!;
  const scheme = base.indexOf('://');
  const pathStart = scheme === -1 ? base.indexOf(':') + 1 : base.indexOf('/', scheme + 3);
  const at = pathStart > 0 ? base.lastIndexOf('@') : -1;
  if (at <= pathStart) return { vcsUrl: base };
  const rev = base.slice(at + 1);
  return COMMIT.test(rev) ? { commit: rev, vcsUrl: base } : { ref: rev, vcsUrl: base };
}

/** `name [extras] (specifiers | @ url) [; marker]`. */
function pep508(s: string, hashes: string[]): Line {
  const n = nameLength(s);
  if (n === 0) return { kind: 'invalid', reason: `not a requirement: ${JSON.stringify(s.slice(0, 80))}` };
  const name = s.slice(0, n);
  let i = n;
  while (isSpace(s[i])) i++;
  let extras: string[] = [];
  if (s[i] === '[') {
    const close = s.indexOf(']', i);
    if (close === -1) return { kind: 'invalid', reason: `unclosed extras in ${JSON.stringify(s.slice(0, 80))}` };
    extras = s.slice(i + 1, close).split(',').map((x) => x.trim()).filter(Boolean);
    i = close + 1;
    while (isSpace(s[i])) i++;
  }
  const rest = s.slice(i);
  if (rest.startsWith('@')) {
    const markerAt = rest.search(/\s;/);
    const url = (markerAt === -1 ? rest.slice(1) : rest.slice(1, markerAt)).trim();
    const marker = markerAt === -1 ? '' : rest.slice(markerAt).trim().slice(1).trim();
    return { kind: 'requirement', req: { name, version: '', specifier: '', extras, marker, url, ...vcsParts(url), hashes } };
  }
  const semi = rest.indexOf(';');
  const marker = semi === -1 ? '' : rest.slice(semi + 1).trim();
  let spec = (semi === -1 ? rest : rest.slice(0, semi)).trim();
  if (spec.startsWith('(') && spec.endsWith(')')) spec = spec.slice(1, -1).trim();
  const version = chooseVersion(spec);
  if (version === null) return { kind: 'invalid', reason: `unexpected ${JSON.stringify(spec.slice(0, 80))} after ${JSON.stringify(name)}` };
  return { kind: 'requirement', req: { name, version, specifier: spec, extras, marker, hashes } };
}

/**
 * The version osv-scanner reports for a specifier: the pinned one (`==`, `===`, without `*`),
 * else the lower bound of `>=` / `~=`, else ''. null when a clause has no operator.
 */
function chooseVersion(spec: string): string | null {
  if (spec === '') return '';
  let pinned: string | undefined;
  let lower: string | undefined;
  for (const raw of spec.split(',')) {
    const clause = raw.trim();
    if (clause === '') continue;
    const op = OPERATORS.find((o) => clause.startsWith(o));
    if (op === undefined) return null;
    const value = clause.slice(op.length).trim().split(/\s/, 1)[0] ?? '';
    if ((op === '==' || op === '===') && !value.includes('*')) pinned ??= value;
    else if (op === '>=' || op === '~=') lower ??= value;
  }
  return pinned ?? lower ?? '';
}
