import type { Edge, Hash, Package, ReadProblem, ReadResult, Scope } from '../../model.js';
import { PackageIds, purl } from '../../purl.js';

/**
 * The part every JavaScript lockfile reader shares once the format is parsed: package
 * drafts, dependency edges (from the project root, a workspace or another package), which
 * packages are direct, dev/prod scope propagated through the graph when the format does not
 * record it, unique ids and the final {@link ReadResult}. Linear in packages + edges.
 */

/** How a project (the root or a workspace) lists a dependency. */
export type DepKind = 'prod' | 'dev' | 'optional' | 'peer';

export interface Draft {
  readonly name: string;
  readonly version: string;
  readonly line?: number | undefined;
  readonly commit?: string | undefined;
  /** The format's own group names, kept as written. */
  readonly groups?: readonly string[] | undefined;
  /** Scope when the format records it; otherwise propagated from the projects (see `finish`). */
  readonly scope?: Scope | undefined;
  readonly hashes?: readonly Hash[] | undefined;
  readonly properties?: Readonly<Record<string, string>> | undefined;
  /** Set for a workspace project listed as a package (its folder, relative to the lockfile). */
  readonly workspace?: string | undefined;
}

/** `root` (the project owning the lockfile) or a draft index. */
export type NodeRef = 'root' | number;

export interface FinishOptions {
  /**
   * Every project's dependency list is known (the lockfile, or package.json, says): packages
   * no project lists are then transitive (`direct: false`). Otherwise they stay undefined;
   * the packages a project was seen to list are direct either way.
   */
  readonly knowsDirect: boolean;
  /** Derive scope from the projects' dependency kinds for drafts without one. */
  readonly propagateScope: boolean;
}

export class LockGraph {
  readonly drafts: Draft[] = [];
  readonly problems: ReadProblem[] = [];
  /** [from, to, optional]: an optional edge is one only an `optionalDependencies` list gives. */
  private readonly edgeList: [NodeRef, number, boolean][] = [];
  private readonly edgeAt = new Map<number, number>();
  private readonly projectEdges: [NodeRef, number, DepKind | undefined][] = [];

  constructor(
    private readonly file: string,
    private readonly reader: string,
  ) {}

  add(draft: Draft): number {
    this.drafts.push(draft);
    return this.drafts.length - 1;
  }

  /**
   * `from` depends on `to` (optionally: through `optionalDependencies` only); duplicates
   * and self-loops are dropped, and a required edge wins over an optional one.
   */
  edge(from: NodeRef, to: number, optional = false): void {
    if (from === to) return;
    // (from + 1) · 2^26 + to: exact in a double for any lockfile under 67 million packages.
    const key = (from === 'root' ? 0 : from + 1) * 67_108_864 + to;
    const at = this.edgeAt.get(key);
    if (at !== undefined) {
      if (!optional) this.edgeList[at]![2] = false;
      return;
    }
    this.edgeAt.set(key, this.edgeList.length);
    this.edgeList.push([from, to, optional]);
  }

  /** A project (root or workspace draft) lists `to` as a dependency of the given kind (undefined: not known). */
  projectEdge(from: NodeRef, to: number, kind: DepKind | undefined): void {
    this.edge(from, to, kind === 'optional');
    this.projectEdges.push([from, to, kind]);
  }

  problem(message: string, severity: 'error' | 'warning', line?: number): void {
    this.problems.push({ location: { file: this.file, line }, reader: this.reader, message, severity });
  }

  finish(opts: FinishOptions): ReadResult {
    const n = this.drafts.length;
    const direct = new Uint8Array(n);
    for (const [from, to] of this.projectEdges) if (from === 'root' || this.drafts[from]?.workspace !== undefined) direct[to] = 1;
    const scopes = opts.propagateScope ? this.propagate() : undefined;
    const ids = new PackageIds();
    const idOf: string[] = new Array<string>(n);
    const packages: Package[] = new Array<Package>(n);
    for (let i = 0; i < n; i++) {
      const d = this.drafts[i]!;
      const p = jsPurl(d.name, d.version);
      const id = ids.next(p);
      idOf[i] = id;
      const isDirect = direct[i] === 1 ? true : opts.knowsDirect && d.workspace === undefined ? false : undefined;
      const properties = d.workspace === undefined ? d.properties : { ...d.properties, workspace: d.workspace };
      packages[i] = {
        id,
        name: d.name,
        version: d.version,
        ecosystem: 'npm',
        purl: p,
        direct: isDirect,
        scope: d.scope ?? scopes?.[i],
        groups: d.groups,
        location: { file: this.file, line: d.line },
        commit: d.commit || undefined,
        hashes: d.hashes,
        properties,
      };
    }
    const edges: Edge[] = this.edgeList.map(([from, to]) => ({ from: from === 'root' ? 'root' : idOf[from]!, to: idOf[to]! }));
    return { packages, edges, problems: this.problems };
  }

  /**
   * Breadth-first from the projects' dependencies: prod (and peer) first along required
   * edges, then optional (the projects' optional dependencies and what prod packages reach
   * only through optional edges), then dev. The first pass to reach a package sets its scope;
   * a workspace's own dependencies are seeded with the kinds it lists them under.
   */
  private propagate(): (Scope | undefined)[] {
    const n = this.drafts.length;
    const adjacency: [number, boolean][][] = Array.from({ length: n }, () => []);
    for (const [from, to, optional] of this.edgeList) if (from !== 'root') adjacency[from]!.push([to, optional]);
    const scopes = new Array<Scope | undefined>(n);
    const isWorkspace = (i: number): boolean => this.drafts[i]!.workspace !== undefined;
    const run = (scope: Scope, seeds: number[], requiredOnly: boolean): void => {
      const queue: number[] = [];
      for (const s of seeds) {
        if (scopes[s] === undefined) {
          scopes[s] = scope;
          queue.push(s);
        }
      }
      for (let q = 0; q < queue.length; q++) {
        if (isWorkspace(queue[q]!)) continue;
        for (const [next, optional] of adjacency[queue[q]!]!) {
          if ((requiredOnly && optional) || scopes[next] !== undefined || isWorkspace(next)) continue;
          scopes[next] = scope;
          queue.push(next);
        }
      }
    };
    const seeds = (kinds: readonly DepKind[]): number[] => this.projectEdges.filter(([, , k]) => k !== undefined && kinds.includes(k)).map(([, to]) => to);
    run('prod', seeds(['prod', 'peer']), true);
    const optionalSeeds = seeds(['optional']);
    for (const [from, to, optional] of this.edgeList) if (optional && from !== 'root' && scopes[from] === 'prod') optionalSeeds.push(to);
    run('optional', optionalSeeds, false);
    run('dev', seeds(['dev']), false);
    return scopes;
  }
}

const PLAIN_NAME = /^[a-z0-9._-]+$/;
const PLAIN_VERSION = /^[0-9A-Za-z.+-]*$/;

/**
 * The npm purl of a package (`@scope/name` → namespace `@scope`), without a version when
 * there is none. Built by packageurl-js; names and versions made only of characters it
 * leaves as they are (checked against it in the tests) skip its per-call validation, which
 * costs several microseconds a package.
 */
export function jsPurl(name: string, version: string): string {
  const slash = name.startsWith('@') ? name.indexOf('/') : -1;
  const scope = slash > 0 ? name.slice(1, slash) : undefined;
  const bare = slash > 0 ? name.slice(slash + 1) : name;
  if (PLAIN_NAME.test(bare) && (scope === undefined || PLAIN_NAME.test(scope)) && PLAIN_VERSION.test(version) && bare !== '.' && bare !== '..') {
    return `pkg:npm/${scope === undefined ? '' : `%40${scope}/`}${bare}${version === '' ? '' : `@${version}`}`;
  }
  try {
    return slash > 0 ? purl('npm', name.slice(0, slash), bare, version) : purl('npm', undefined, name, version);
  } catch {
    // packageurl-js refuses some names (e.g. empty); fall back to a percent-encoded form.
    return `pkg:npm/${encodeURIComponent(name)}${version ? `@${encodeURIComponent(version)}` : ''}`;
  }
}
