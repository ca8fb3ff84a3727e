/**
 * Go modules: `go.mod` (+ `go.sum` beside it for `h1:` hashes). Hand-written, linear-time
 * tokenizer following golang.org/x/mod/modfile's lexical rules (directives, `( … )` blocks,
 * `//` comments, "interpreted" and `raw` strings); no library parses go.mod in JavaScript.
 *
 * Semantics follow osv-scanner: `require` lines are the packages (`// indirect` → transitive),
 * `replace` directives rewrite them (a left side without version replaces every version; one
 * with a version only that version, and only if it is required), versions lose their `v`
 * prefix (OSV's Go ecosystem writes `1.2.3`; the purl keeps `v1.2.3`), and the toolchain
 * (`toolchain go1.21.3`, else the `go` directive) is reported as the package `stdlib`.
 */
import type { Edge, Hash, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { golangPurl, PackageIds, purl } from '../../purl.js';

export const GO_MOD_READER_ID = 'go-mod';
const ECOSYSTEM = 'Go';
const MAX_WARNINGS = 100;
const KNOWN_VERBS = new Set(['module', 'go', 'toolchain', 'godebug', 'require', 'exclude', 'replace', 'retract', 'tool', 'ignore']);

interface Require {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
  readonly line: number;
}
interface Replace {
  readonly oldPath: string;
  readonly oldVersion: string | undefined;
  readonly newPath: string;
  readonly newVersion: string | undefined;
  readonly line: number;
}
interface Entry {
  name: string;
  /** Version as written (`v1.2.3`), '' for a local replacement. */
  raw: string;
  direct: boolean;
  line: number;
  replaces?: string;
  local?: boolean;
}

interface Tokens {
  readonly tokens: string[];
  readonly comment: string | undefined;
  readonly error?: string;
}

/** One line → tokens and the trailing `//` comment (modfile's lexer, one line at a time). */
export function tokenizeGoModLine(line: string): Tokens {
  const tokens: string[] = [];
  const n = line.length;
  let i = 0;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0d) {
      i++;
    } else if (c === 0x2f && line.charCodeAt(i + 1) === 0x2f) {
      return { tokens, comment: line.slice(i + 2).trim() };
    } else if (c === 0x22) {
      let j = i + 1;
      let s = '';
      while (j < n && line.charCodeAt(j) !== 0x22) {
        if (line.charCodeAt(j) === 0x5c) j++;
        s += line.charAt(j);
        j++;
      }
      if (j >= n) return { tokens, comment: undefined, error: 'unterminated quoted string' };
      tokens.push(s);
      i = j + 1;
    } else if (c === 0x60) {
      const j = line.indexOf('`', i + 1);
      if (j === -1) return { tokens, comment: undefined, error: 'unterminated raw string' };
      tokens.push(line.slice(i + 1, j));
      i = j + 1;
    } else if (c === 0x28 || c === 0x29) {
      tokens.push(line.charAt(i));
      i++;
    } else if (c === 0x3d && line.charCodeAt(i + 1) === 0x3e) {
      tokens.push('=>');
      i += 2;
    } else {
      let j = i;
      while (j < n) {
        const d = line.charCodeAt(j);
        if (d === 0x20 || d === 0x09 || d === 0x0d || d === 0x22 || d === 0x60 || d === 0x28 || d === 0x29) break;
        if (d === 0x2f && line.charCodeAt(j + 1) === 0x2f) break;
        if (d === 0x3d && line.charCodeAt(j + 1) === 0x3e) break;
        j++;
      }
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return { tokens, comment: undefined };
}

const isIndirect = (comment: string | undefined): boolean => comment !== undefined && (comment === 'indirect' || comment.startsWith('indirect;'));
const isLocalPath = (p: string): boolean => p.startsWith('./') || p.startsWith('../') || p.startsWith('/') || p === '.' || p === '..' || /^[A-Za-z]:[\\/]/.test(p);
const stripV = (v: string): string => (v.startsWith('v') ? v.slice(1) : v);

/** `go.sum` lines `module version h1:…` (the `/go.mod` lines hash only the go.mod file and are skipped). */
export function parseGoSum(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const line of text.split('\n')) {
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 3) continue;
    const [mod, version, hash] = parts as [string, string, string];
    if (version.endsWith('/go.mod') || !hash.startsWith('h1:')) continue;
    sums.set(`${mod} ${version}`, hash);
  }
  return sums;
}

function h1Hash(h1: string): Hash | undefined {
  const bytes = Buffer.from(h1.slice(3), 'base64');
  return bytes.length === 32 ? { alg: 'SHA-256', content: bytes.toString('hex') } : undefined;
}

function siblingPath(path: string, name: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? name : `${path.slice(0, slash + 1)}${name}`;
}

export function parseGoMod(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  let warnings = 0;
  const warn = (line: number, message: string): void => {
    if (++warnings <= MAX_WARNINGS) problems.push({ location: { file: path, line }, reader: GO_MOD_READER_ID, message, severity: 'warning' });
  };

  const requires: Require[] = [];
  const replaces: Replace[] = [];
  const excludes = new Set<string>();
  let goVersion: { value: string; line: number } | undefined;
  let toolchain: { value: string; line: number } | undefined;
  let known = 0;
  let content = 0;
  let block: { verb: string; line: number } | undefined;

  const directive = (verb: string, args: readonly string[], comment: string | undefined, line: number): void => {
    switch (verb) {
      case 'go':
        if (args.length === 1) goVersion = { value: args[0]!, line };
        else warn(line, 'expected `go <version>`');
        return;
      case 'toolchain':
        if (args.length === 1) toolchain = { value: args[0]!, line };
        else warn(line, 'expected `toolchain <name>`');
        return;
      case 'require':
      case 'exclude': {
        const [p, v] = args;
        if (args.length !== 2 || p === undefined || v === undefined) {
          warn(line, `expected \`${verb} <module path> <version>\`, got ${args.length} field(s)`);
          return;
        }
        if (verb === 'require') requires.push({ path: p, version: v, indirect: isIndirect(comment), line });
        else excludes.add(`${p}@${v}`);
        return;
      }
      case 'replace': {
        const arrow = args.indexOf('=>');
        const left = arrow === -1 ? [] : args.slice(0, arrow);
        const right = arrow === -1 ? [] : args.slice(arrow + 1);
        if (left.length < 1 || left.length > 2 || right.length < 1 || right.length > 2) {
          warn(line, 'expected `replace <module> [version] => <module> <version>` or `=> <local path>`');
          return;
        }
        const newPath = right[0]!;
        if (right.length === 1 && !isLocalPath(newPath)) {
          warn(line, `replacement ${newPath} has no version and is not a local path (./ or ../)`);
          return;
        }
        replaces.push({ oldPath: left[0]!, oldVersion: left[1], newPath, newVersion: right[1], line });
        return;
      }
      default:
        // module, godebug, retract, tool, ignore: nothing installed.
        return;
    }
  };

  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const { tokens, comment, error } = tokenizeGoModLine(lines[i]!);
    if (error) warn(lineNo, error);
    if (tokens.length === 0) continue;
    content++;
    if (block) {
      if (tokens[0] === ')') {
        block = undefined;
        continue;
      }
      directive(block.verb, tokens, comment, lineNo);
      continue;
    }
    const verb = tokens[0]!;
    if (!KNOWN_VERBS.has(verb)) {
      warn(lineNo, `unknown directive \`${verb.slice(0, 40)}\``);
      continue;
    }
    known++;
    if (tokens[1] === '(') {
      if (tokens[2] !== ')') block = { verb, line: lineNo };
      continue;
    }
    directive(verb, tokens.slice(1), comment, lineNo);
  }
  if (block) warn(block.line, `\`${block.verb} (\` block is not closed`);
  if (known === 0 && content > 0) {
    return { packages: [], edges: [], problems: [{ location: { file: path, line: 1 }, reader: GO_MOD_READER_ID, message: 'not a go.mod file: no module directive (module, go, require, replace …) found', severity: 'error' }] };
  }
  if (warnings > MAX_WARNINGS) problems.push({ location: { file: path }, reader: GO_MOD_READER_ID, message: `${warnings - MAX_WARNINGS} more warnings not shown`, severity: 'warning' });

  // require → entries keyed module@version (as osv-scanner); replace rewrites them in place.
  const entries = new Map<string, Entry>();
  const byName = new Map<string, Set<string>>();
  const index = (name: string, key: string): void => {
    const set = byName.get(name) ?? new Set<string>();
    set.add(key);
    byName.set(name, set);
  };
  for (const r of requires) {
    const key = `${r.path}@${r.version}`;
    const seen = entries.get(key);
    entries.set(key, { name: r.path, raw: r.version, direct: !r.indirect || (seen?.direct ?? false), line: seen?.line ?? r.line });
    index(r.path, key);
    if (excludes.has(key)) warn(r.line, `${key} is both required and excluded: go selects the next version not excluded, which this file does not name`);
  }
  for (const rep of replaces) {
    const keys = rep.oldVersion === undefined ? [...(byName.get(rep.oldPath) ?? [])] : entries.has(`${rep.oldPath}@${rep.oldVersion}`) ? [`${rep.oldPath}@${rep.oldVersion}`] : [];
    for (const key of keys) {
      const e = entries.get(key)!;
      byName.get(e.name)?.delete(key);
      const local = rep.newVersion === undefined;
      entries.set(key, {
        name: rep.newPath,
        raw: rep.newVersion ?? '',
        direct: e.direct,
        line: e.line,
        replaces: `${e.name}@${e.raw}`,
        ...(local ? { local } : {}),
      });
      index(rep.newPath, key);
    }
  }

  const sumText = input.readFile?.(siblingPath(path, 'go.sum'));
  const sums = sumText === undefined ? new Map<string, string>() : parseGoSum(sumText);

  const ids = new PackageIds();
  const packages: Package[] = [];
  const edges: Edge[] = [];
  const dedupe = new Map<string, number>();
  for (const e of entries.values()) {
    const version = stripV(e.raw);
    const key = `${e.name}@${version}`;
    const at = dedupe.get(key);
    if (at !== undefined) {
      if (e.direct && !packages[at]!.direct) packages[at] = { ...packages[at]!, direct: true };
      continue;
    }
    let p: string;
    try {
      // A local directory is not a module anyone publishes: a generic purl, not a golang one.
      p = e.local ? purl('generic', undefined, e.name, undefined) : golangPurl(e.name, e.raw);
    } catch {
      p = golangPurl(e.name, '');
      warn(e.line, `version ${e.raw} of ${e.name} is not a valid Go module version`);
    }
    const h1 = e.local ? undefined : sums.get(`${e.name} ${e.raw}`);
    const hash = h1 === undefined ? undefined : h1Hash(h1);
    const properties: Record<string, string> = {};
    if (e.replaces) properties['go:replaces'] = e.replaces;
    if (e.local) properties['go:localReplacement'] = 'true';
    if (h1) properties['go:h1'] = h1;
    dedupe.set(key, packages.length);
    packages.push({
      id: ids.next(p),
      name: e.name,
      version,
      ecosystem: ECOSYSTEM,
      purl: p,
      direct: e.direct,
      location: { file: path, line: e.line },
      ...(hash ? { hashes: [hash] } : {}),
      ...(Object.keys(properties).length ? { properties } : {}),
    });
  }
  for (const p of packages) if (p.direct) edges.push({ from: 'root', to: p.id });

  // The toolchain wins over the go directive (osv-scanner): `go1.21.3-custom` → 1.21.3.
  const from = toolchain ?? goVersion;
  const stdlib = toolchain ? (toolchain.value.split('-', 1)[0] ?? '').replace(/^go/, '') : goVersion?.value;
  if (from && stdlib) {
    let p: string;
    try {
      p = purl('golang', undefined, 'stdlib', stdlib);
    } catch {
      p = purl('golang', undefined, 'stdlib', undefined);
    }
    packages.push({
      id: ids.next(p),
      name: 'stdlib',
      version: stdlib,
      ecosystem: ECOSYSTEM,
      purl: p,
      location: { file: path, line: from.line },
      properties: { 'go:from': `${toolchain ? 'toolchain' : 'go'} ${from.value}` },
    });
  }
  return { packages, edges, problems };
}
