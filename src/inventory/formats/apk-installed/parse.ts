/**
 * Alpine's database of installed packages, `lib/apk/db/installed` (apk-tools v2): records
 * separated by blank lines, one `K:value` line per field with a one-character key
 * (https://wiki.alpinelinux.org/wiki/Apk_spec). Hand-written linear tokenizer: the format is
 * line-based and tiny, no library exists for it.
 *
 * Kept: `P:` name, `V:` version, `A:` arch, `L:` licence, `o:` origin (source package),
 * `c:` aports commit, `C:` checksum (as a property), `D:`/`p:` for dependency edges.
 */
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import { PackageIds, purl } from '../../purl.js';

export const READER_ID = 'apk-installed';

export interface ApkContext {
  /** OSV ecosystem, e.g. `Alpine:v3.20`, `Wolfi`. */
  readonly ecosystem: string;
  /** purl namespace: `alpine`, `wolfi` … */
  readonly vendor: string;
  /** purl `distro` qualifier, e.g. `alpine-3.20.1`. */
  readonly distro?: string | undefined;
}

interface ApkRecord {
  line: number;
  nameLine: number;
  fields: number;
  P?: string;
  V?: string;
  A?: string;
  L?: string;
  o?: string;
  c?: string;
  C?: string;
  D?: string;
  p?: string;
}

type Kept = 'P' | 'V' | 'A' | 'L' | 'o' | 'c' | 'C' | 'D' | 'p';
const KEPT = new Set<string>(['P', 'V', 'A', 'L', 'o', 'c', 'C', 'D', 'p']);
const isKept = (k: string): k is Kept => KEPT.has(k);

const MAX_LINE_WARNINGS = 50;

export function parseApkInstalled(text: string, path: string, ctx: ApkContext): ReadResult {
  const problems: ReadProblem[] = [];
  let suppressed = 0;
  const warn = (line: number | undefined, message: string): void => {
    if (problems.length >= MAX_LINE_WARNINGS) suppressed++;
    else problems.push({ location: { file: path, line }, reader: READER_ID, message, severity: 'warning' });
  };

  const records: ApkRecord[] = [];
  let cur: ApkRecord | undefined;
  let valid = 0;
  let lineNo = 0;
  const close = (): void => {
    if (cur && cur.fields > 0) records.push(cur);
    cur = undefined;
  };
  for (let pos = 0; pos <= text.length; ) {
    const nl = text.indexOf('\n', pos);
    const end = nl === -1 ? text.length : nl;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (nl === -1 && line === '') break;
    if (line.trim() === '') {
      close();
      continue;
    }
    if (line.length < 2 || line[1] !== ':' || line[0] === ' ' || line[0] === '\t') {
      warn(lineNo, `expected a \`K:value\` line (one-character key), got ${JSON.stringify(clip(line))}`);
      continue;
    }
    valid++;
    const key = line[0]!;
    if (key === 'P' && cur?.P !== undefined) {
      warn(lineNo, `second P: line in the record starting at line ${cur.line} (missing blank line?): starting a new record`);
      close();
    }
    cur ??= { line: lineNo, nameLine: lineNo, fields: 0 };
    cur.fields++;
    if (isKept(key)) {
      cur[key] = line.slice(2);
      if (key === 'P') cur.nameLine = lineNo;
    }
  }
  close();

  if (valid === 0 && text.trim() !== '') {
    return {
      packages: [],
      edges: [],
      problems: [{ location: { file: path, line: 1 }, reader: READER_ID, message: 'not an apk installed database: no `K:value` lines found', severity: 'error' }],
    };
  }

  const ids = new PackageIds();
  const packages: Package[] = [];
  const kept: { rec: ApkRecord; pkg: Package }[] = [];
  for (const rec of records) {
    const name = rec.P?.trim() ?? '';
    if (name === '') {
      warn(rec.line, 'record has no P: (package name) line: skipped');
      continue;
    }
    const version = rec.V?.trim() ?? '';
    if (version === '') warn(rec.nameLine, `package ${JSON.stringify(name)} has no V: (version) line`);
    const arch = rec.A?.trim() || undefined;
    const p = purl('apk', ctx.vendor, name, version, { arch, distro: ctx.distro });
    const license = rec.L?.trim();
    const pkg: Package = {
      id: ids.next(p),
      name,
      version,
      ecosystem: ctx.ecosystem,
      purl: p,
      location: { file: path, line: rec.nameLine },
      commit: rec.c?.trim() || undefined,
      sourceName: rec.o?.trim() || undefined,
      sourceVersion: rec.o?.trim() ? version : undefined,
      licenses: license ? [license] : undefined,
      properties: rec.C ? { 'apk:checksum': rec.C.trim() } : undefined,
    };
    packages.push(pkg);
    kept.push({ rec, pkg });
  }
  if (suppressed > 0) {
    problems.push({ location: { file: path }, reader: READER_ID, message: `${suppressed} more malformed lines not reported`, severity: 'warning' });
  }
  return { packages, edges: dependencyEdges(kept), problems };
}

/** `D:` dependencies to installed packages, by name or through `p:` provides (`so:libc.musl-x86_64.so.1`). */
function dependencyEdges(kept: readonly { rec: ApkRecord; pkg: Package }[]): Edge[] {
  const byName = new Map<string, string>();
  for (const { pkg } of kept) if (!byName.has(pkg.name)) byName.set(pkg.name, pkg.id);
  for (const { rec, pkg } of kept) {
    for (const token of words(rec.p)) {
      const n = depName(token);
      if (n && !byName.has(n)) byName.set(n, pkg.id);
    }
  }
  const edges: Edge[] = [];
  for (const { rec, pkg } of kept) {
    const seen = new Set<string>();
    for (const token of words(rec.D)) {
      if (token.startsWith('!')) continue; // a conflict, not a dependency
      const to = byName.get(depName(token));
      if (to !== undefined && to !== pkg.id && !seen.has(to)) {
        seen.add(to);
        edges.push({ from: pkg.id, to });
      }
    }
  }
  return edges;
}

const words = (value: string | undefined): string[] => (value ? value.split(' ').filter((w) => w !== '') : []);

/** `musl>=1.2`, `so:libz.so.1=1.3`, `cmd:apk=2.12` → the name before the constraint. */
function depName(token: string): string {
  let end = token.length;
  for (const stop of ['<', '>', '=', '~']) {
    const i = token.indexOf(stop);
    if (i !== -1 && i < end) end = i;
  }
  return token.slice(0, end);
}

const clip = (s: string): string => (s.length > 80 ? `${s.slice(0, 77)}...` : s);
