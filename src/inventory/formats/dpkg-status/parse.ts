/**
 * dpkg's database of installed packages: `var/lib/dpkg/status` (and the one-stanza-per-file
 * `var/lib/dpkg/status.d/*` of distroless images). RFC 822-style stanzas (deb822(5)): fields
 * `Name: value`, continuation lines starting with a space or tab, stanzas separated by blank
 * lines. Hand-written linear tokenizer (one pass with indexOf, no regexes over the input):
 * there is no maintained deb822 parser for Node and the format is small.
 *
 * Kept: every stanza whose `Status` says the package's files are on disk (current state
 * `installed`, or a half-done `unpacked`/`half-*`/`triggers-*` state, whatever the wanted
 * state: `deinstall ok installed` is still installed), and stanzas with no `Status` at all
 * (distroless `status.d` files carry none). Skipped: `not-installed` and `config-files`.
 */
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import { PackageIds, purl } from '../../purl.js';

export const READER_ID = 'dpkg-status';

export interface DpkgContext {
  /** OSV ecosystem, e.g. `Debian`, `Debian:12`, `Ubuntu:22.04:LTS`. */
  readonly ecosystem: string;
  /** purl namespace: `debian`, `ubuntu` … */
  readonly vendor: string;
  /** purl `distro` qualifier, e.g. `debian-12`. */
  readonly distro?: string | undefined;
}

interface Stanza {
  line: number;
  packageLine: number;
  fields: number;
  package?: string;
  status?: string;
  version?: string;
  source?: string;
  arch?: string;
  depends?: string;
  preDepends?: string;
  provides?: string;
}

type Kept = 'package' | 'status' | 'version' | 'source' | 'arch' | 'depends' | 'preDepends' | 'provides';

const KEPT: Readonly<Record<string, Kept>> = {
  package: 'package',
  status: 'status',
  version: 'version',
  source: 'source',
  architecture: 'arch',
  depends: 'depends',
  'pre-depends': 'preDepends',
  provides: 'provides',
};

/** Warnings reported per file before the rest are summarised in one line. */
const MAX_LINE_WARNINGS = 50;

/** States in which none of the package's files are on disk. */
const GONE_STATES = new Set(['not-installed', 'config-files']);
const KNOWN_STATES = new Set(['installed', 'unpacked', 'half-installed', 'half-configured', 'triggers-awaited', 'triggers-pending', ...GONE_STATES]);

export function parseDpkgStatus(text: string, path: string, ctx: DpkgContext): ReadResult {
  const problems: ReadProblem[] = [];
  let suppressed = 0;
  const warn = (line: number | undefined, message: string, severity: ReadProblem['severity'] = 'warning'): void => {
    if (severity === 'warning' && problems.length >= MAX_LINE_WARNINGS) {
      suppressed++;
      return;
    }
    problems.push({ location: { file: path, line }, reader: READER_ID, message, severity });
  };

  const stanzas: Stanza[] = [];
  let validFields = 0;
  let cur: Stanza | undefined;
  let cont: Kept | undefined;
  let lineNo = 0;
  const close = (): void => {
    if (cur && cur.fields > 0) stanzas.push(cur);
    cur = undefined;
    cont = undefined;
  };

  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (nl === -1 && line === '') break;

    const first = line.charCodeAt(0);
    if (line.length === 0) {
      close();
    } else if (first === 0x20 || first === 0x09) {
      const rest = line.trim();
      if (rest === '') close();
      else if (!cur) warn(lineNo, 'continuation line outside a stanza (expected a `Field: value` line first)');
      else if (cont) cur[cont] = `${cur[cont] ?? ''} ${rest}`;
    } else if (first === 0x23) {
      // `#` comment line: deb822 allows them; nothing to keep.
    } else {
      const colon = line.indexOf(':');
      const name = colon > 0 ? line.slice(0, colon) : '';
      if (name === '' || name.includes(' ') || name.includes('\t')) {
        warn(lineNo, `expected a \`Field: value\` line or a continuation line, got ${JSON.stringify(clip(line))}`);
        cont = undefined;
        continue;
      }
      validFields++;
      const key = KEPT[name.toLowerCase()];
      if (key === 'package' && cur?.package !== undefined) {
        warn(lineNo, `second Package field in the stanza starting at line ${cur.line} (missing blank line?): starting a new stanza`);
        close();
      }
      cur ??= { line: lineNo, packageLine: lineNo, fields: 0 };
      cur.fields++;
      cont = key;
      if (key) {
        cur[key] = line.slice(colon + 1).trim();
        if (key === 'package') cur.packageLine = lineNo;
      }
    }
  }
  close();

  if (validFields === 0 && text.trim() !== '') {
    return {
      packages: [],
      edges: [],
      problems: [{ location: { file: path, line: 1 }, reader: READER_ID, message: 'not a dpkg status file: no `Field: value` lines found', severity: 'error' }],
    };
  }

  const packages: Package[] = [];
  const ids = new PackageIds();
  const kept: { stanza: Stanza; pkg: Package }[] = [];
  for (const s of stanzas) {
    const pkg = toPackage(s, path, ctx, ids, warn);
    if (pkg) {
      packages.push(pkg);
      kept.push({ stanza: s, pkg });
    }
  }
  const edges = dependencyEdges(kept);
  if (suppressed > 0) {
    problems.push({ location: { file: path }, reader: READER_ID, message: `${suppressed} more malformed lines not reported`, severity: 'warning' });
  }
  return { packages, edges, problems };
}

function toPackage(
  s: Stanza,
  path: string,
  ctx: DpkgContext,
  ids: PackageIds,
  warn: (line: number | undefined, message: string, severity?: ReadProblem['severity']) => void,
): Package | undefined {
  let state: string | undefined;
  if (s.status !== undefined) {
    const tokens = s.status.split(/\s+/).filter((t) => t !== '');
    if (tokens.length !== 3) {
      warn(s.line, `Status field ${JSON.stringify(clip(s.status))} is malformed (expected "want flag state", e.g. "install ok installed"): stanza skipped`);
      return undefined;
    }
    state = tokens[2]!;
    if (GONE_STATES.has(state)) return undefined;
    if (!KNOWN_STATES.has(state)) {
      warn(s.line, `Status field has an unknown state ${JSON.stringify(clip(state))}: stanza skipped`);
      return undefined;
    }
  }

  const source = s.source === undefined ? undefined : parseSource(s.source);
  let name = s.package ?? '';
  if (name === '') {
    if (!source?.name) {
      warn(s.line, 'stanza has neither a Package nor a Source field: skipped');
      return undefined;
    }
    name = source.name;
    warn(s.line, `stanza has no Package field: named after its Source ${JSON.stringify(name)}`);
  }
  const version = s.version ?? '';
  if (version === '') warn(s.packageLine, `package ${JSON.stringify(name)} has no Version field`);

  const arch = s.arch === '' ? undefined : s.arch;
  const p = purl('deb', ctx.vendor, name, version, { arch, distro: ctx.distro });
  const properties = state !== undefined && state !== 'installed' ? { 'dpkg:status': s.status ?? '' } : undefined;
  return {
    id: ids.next(p),
    name,
    version,
    ecosystem: ctx.ecosystem,
    purl: p,
    location: { file: path, line: s.packageLine },
    // Debian policy: a missing Source means the source package has the binary's name; a
    // Source without `(version)` means it has the binary's version.
    sourceName: source?.name || name,
    sourceVersion: source?.version || version,
    properties,
  };
}

/** `Source: util-linux (2.36.1-8+deb11u1)` → name and version; `Source: glibc` → name only. */
export function parseSource(value: string): { name: string; version?: string | undefined } {
  const open = value.indexOf('(');
  if (open === -1) return { name: value.trim() };
  const close = value.indexOf(')', open);
  const version = value.slice(open + 1, close === -1 ? undefined : close).trim();
  return { name: value.slice(0, open).trim(), version: version === '' ? undefined : version };
}

/**
 * Depends and Pre-Depends between installed packages: each `a | b` group links to the first
 * alternative that is installed (by name, or through another package's Provides); version
 * constraints are not checked (dpkg already did when it installed them).
 */
function dependencyEdges(kept: readonly { stanza: Stanza; pkg: Package }[]): Edge[] {
  const byName = new Map<string, string>();
  for (const { pkg } of kept) if (!byName.has(pkg.name)) byName.set(pkg.name, pkg.id);
  for (const { stanza, pkg } of kept) {
    for (const provided of splitList(stanza.provides)) {
      const n = relationName(provided);
      if (n && !byName.has(n)) byName.set(n, pkg.id);
    }
  }
  const edges: Edge[] = [];
  for (const { stanza, pkg } of kept) {
    let seen: Set<string> | undefined;
    for (const field of [stanza.preDepends, stanza.depends]) {
      for (const group of splitList(field)) {
        for (const alt of group.split('|')) {
          const to = byName.get(relationName(alt));
          if (to === undefined) continue;
          seen ??= new Set();
          if (to !== pkg.id && !seen.has(to)) {
            seen.add(to);
            edges.push({ from: pkg.id, to });
          }
          break;
        }
      }
    }
  }
  return edges;
}

const splitList = (value: string | undefined): string[] => (value ? value.split(',') : []);

/** `libc6:amd64 (>= 2.17) [linux-any] <!nocheck>` → `libc6`. */
function relationName(relation: string): string {
  let start = 0;
  while (start < relation.length && (relation.charCodeAt(start) === 0x20 || relation.charCodeAt(start) === 0x09)) start++;
  let end = start;
  while (end < relation.length && !RELATION_STOP.has(relation.charCodeAt(end))) end++;
  return relation.slice(start, end);
}

/** Space, tab, `(`, `:`, `[`, `<`: where a relation's package name ends. */
const RELATION_STOP = new Set([0x20, 0x09, 0x28, 0x3a, 0x5b, 0x3c]);

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
