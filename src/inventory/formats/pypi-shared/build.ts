import type { Edge, Package, ReadProblem, ReadResult, Scope } from '../../model.js';
import { PackageIds, purl } from '../../purl.js';
import { HashSet } from './hashes.js';
import { normalizePypiName } from './names.js';

/** Every Python lockfile names PyPI packages. */
export const PYPI_ECOSYSTEM = 'PyPI';

/** The id `from` takes for the project's own (direct) dependencies. */
export const ROOT_ID = 'root';

/**
 * A package being assembled: mutable while a reader merges duplicates (the same name and
 * version in two Pipfile.lock sections, two included requirements files, pdm's extras
 * entries), frozen into a {@link Package} by {@link PypiResultBuilder.finish}.
 */
export interface PypiDraft {
  /** The name as the package's `name` (see each reader for whether it is normalised). */
  readonly name: string;
  readonly version: string;
  readonly file: string;
  readonly line?: number | undefined;
  direct?: boolean | undefined;
  scope?: Scope | undefined;
  readonly groups: string[];
  commit?: string | undefined;
  readonly hashes: HashSet;
  readonly properties: Record<string, string>;
  /** purl `vcs_url` qualifier for packages taken from a VCS (`git+https://…@commit`). */
  vcsUrl?: string | undefined;
}

export interface DraftInit {
  readonly name: string;
  readonly version: string;
  readonly file: string;
  readonly line?: number | undefined;
  readonly direct?: boolean | undefined;
  readonly scope?: Scope | undefined;
  readonly groups?: readonly string[] | undefined;
  readonly commit?: string | undefined;
  readonly properties?: Readonly<Record<string, string | undefined>> | undefined;
  readonly vcsUrl?: string | undefined;
}

export function draft(init: DraftInit): PypiDraft {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(init.properties ?? {})) if (v !== undefined && v !== '') properties[k] = v;
  return {
    name: init.name,
    version: init.version,
    file: init.file,
    line: init.line,
    direct: init.direct,
    scope: init.scope,
    groups: [...(init.groups ?? [])],
    commit: init.commit || undefined,
    hashes: new HashSet(),
    properties,
    vcsUrl: init.vcsUrl,
  };
}

/** Adds `group` to `groups` unless present (groups are few per package: a scan is cheapest). */
export function addGroup(groups: string[], group: string): void {
  if (!groups.includes(group)) groups.push(group);
}

const SCOPE_RANK: Readonly<Record<Scope, number>> = { prod: 0, peer: 1, optional: 2, dev: 3, test: 4 };

/** The wider of two scopes when a package is reached both ways (prod beats optional beats dev). */
export function widerScope(a: Scope | undefined, b: Scope | undefined): Scope | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return SCOPE_RANK[a] <= SCOPE_RANK[b] ? a : b;
}

/** Collects drafts, edges between draft indices and problems for one file; builds the ReadResult. */
export class PypiResultBuilder {
  readonly drafts: PypiDraft[] = [];
  readonly problems: ReadProblem[] = [];
  private readonly edgePairs: [number | typeof ROOT_ID, number][] = [];
  private readonly edgeKeys = new Set<string>();

  constructor(
    readonly reader: string,
    readonly file: string,
  ) {}

  /** Adds a draft and returns its index. */
  add(d: PypiDraft): number {
    this.drafts.push(d);
    return this.drafts.length - 1;
  }

  /** `from` (a draft index or the root) depends on draft `to`; duplicates and self-loops dropped. */
  edge(from: number | typeof ROOT_ID, to: number): void {
    if (from === to) return;
    const key = `${from}>${to}`;
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edgePairs.push([from, to]);
  }

  problem(message: string, line?: number, severity: ReadProblem['severity'] = 'error', file = this.file): void {
    this.problems.push({ location: { file, line }, reader: this.reader, message, severity });
  }

  /** A file that could not be read at all: one error problem and no packages. */
  static failure(reader: string, file: string, message: string, line?: number): ReadResult {
    return { packages: [], edges: [], problems: [{ location: { file, line }, reader, message, severity: 'error' }] };
  }

  finish(): ReadResult {
    const ids = new PackageIds();
    const packages: Package[] = this.drafts.map((d) => toPackage(d, ids));
    const edges: Edge[] = this.edgePairs.map(([from, to]) => ({ from: from === ROOT_ID ? ROOT_ID : packages[from]!.id, to: packages[to]!.id }));
    return { packages, edges, problems: this.problems };
  }
}

function toPackage(d: PypiDraft, ids: PackageIds): Package {
  const purlText = purl('pypi', undefined, normalizePypiName(d.name), d.version || undefined, d.vcsUrl ? { vcs_url: d.vcsUrl } : undefined);
  const hashes = d.hashes.result;
  return {
    id: ids.next(purlText),
    name: d.name,
    version: d.version,
    ecosystem: PYPI_ECOSYSTEM,
    purl: purlText,
    direct: d.direct,
    scope: d.scope,
    groups: d.groups.length > 0 ? d.groups : undefined,
    location: { file: d.file, line: d.line },
    commit: d.commit,
    hashes,
    properties: Object.keys(d.properties).length > 0 ? d.properties : undefined,
  };
}

/**
 * Resolves dependency references (by name, optionally pinned to a version) to draft indices.
 * Names are compared PEP 503-normalised, since lockfiles spell the same name several ways.
 * A lockfile holds a handful of versions of one name at most; an unpinned reference to a name
 * with more than {@link MAX_CANDIDATES} entries (hostile input) links to the first ones only,
 * which keeps edge building linear.
 */
export class NameIndex {
  static readonly MAX_CANDIDATES = 64;
  private readonly byName = new Map<string, number[]>();
  private readonly byNameVersion = new Map<string, number[]>();

  constructor(drafts: readonly { readonly name: string; readonly version: string }[], skip?: (index: number) => boolean) {
    drafts.forEach((d, i) => {
      if (skip?.(i)) return;
      const key = normalizePypiName(d.name);
      push(this.byName, key, i);
      push(this.byNameVersion, `${key}@${d.version}`, i);
    });
  }

  /** Every draft of that name; only those of `version` when it is given and one matches. */
  resolve(name: string, version?: string): readonly number[] {
    const key = normalizePypiName(name);
    const exact = version === undefined ? undefined : this.byNameVersion.get(`${key}@${version}`);
    const list = exact ?? this.byName.get(key) ?? [];
    return list.length > NameIndex.MAX_CANDIDATES ? list.slice(0, NameIndex.MAX_CANDIDATES) : list;
  }
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
