/**
 * C/C++ Conan `conan.lock` (JSON through the `readJsonText` guards of ../../json.ts),
 * both generations:
 *  - Conan 1 (lock versions 0.1–0.4): `graph_lock.nodes`, keyed by node id, each with a
 *    reference (`ref`, or `pref` before Conan 1.28) and `requires` / `build_requires` (an
 *    array of node ids, or an object ref → node id in 0.1–0.3). The consumer (a node with
 *    `path`, or without reference) is the project: its requirements are the direct ones.
 *  - Conan 2 (0.5+): flat `requires`, `build_requires`, `python_requires` (and
 *    `config_requires`) lists; the list is the package's group, as osv-scanner names them.
 * References are `name/version[@user[/channel]][#rrev][:package_id[#prev]][%timestamp]`;
 * a reference without a name (a consumer conanfile) is not a package, as in osv-scanner.
 */
import type { JsonLimits } from '../../../core/json-input.js';
import { readJsonText } from '../../json.js';
import type { Edge, Package, ReadProblem, ReadResult, Scope } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { ForwardLines, LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';

export const CONAN_LOCK_READER_ID = 'conan-lock';
const ECOSYSTEM = 'ConanCenter';
const LIMITS: JsonLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 32 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export interface ConanReference {
  readonly name: string;
  readonly version: string;
  readonly user?: string | undefined;
  readonly channel?: string | undefined;
  readonly recipeRevision?: string | undefined;
  readonly packageId?: string | undefined;
}

/** Splits a Conan reference as osv-scanner does (timestamp, package id, revision, user/channel, name/version). */
export function parseConanReference(reference: string): ConanReference {
  let ref = reference;
  const pct = ref.indexOf('%');
  if (pct !== -1) ref = ref.slice(0, pct);
  let packageId: string | undefined;
  const colon = ref.indexOf(':');
  if (colon !== -1) {
    packageId = ref.slice(colon + 1).split('#', 1)[0];
    ref = ref.slice(0, colon);
  }
  let recipeRevision: string | undefined;
  const hash = ref.indexOf('#');
  if (hash !== -1) {
    recipeRevision = ref.slice(hash + 1);
    ref = ref.slice(0, hash);
  }
  let user: string | undefined;
  let channel: string | undefined;
  const at = ref.indexOf('@');
  if (at !== -1) {
    const uc = ref.slice(at + 1);
    const slash = uc.indexOf('/');
    user = slash === -1 ? uc : uc.slice(0, slash);
    channel = slash === -1 ? undefined : uc.slice(slash + 1);
    ref = ref.slice(0, at);
  }
  const slash = ref.indexOf('/');
  return slash === -1
    ? { name: '', version: ref, user, channel, recipeRevision, packageId }
    : { name: ref.slice(0, slash), version: ref.slice(slash + 1), user, channel, recipeRevision, packageId };
}

function conanPurl(r: ConanReference): string {
  const qualifiers = { channel: r.channel, rrev: r.recipeRevision };
  try {
    return purl('conan', r.user, r.name, r.version, qualifiers);
  } catch {
    // A user without channel or revision: the purl rules want qualifiers with a namespace.
    return purl('conan', undefined, r.name, r.version, { rrev: r.recipeRevision });
  }
}

/** Node ids a v1 node requires: an array of ids (0.4) or an object ref → id (0.1–0.3). */
const requiredIds = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : isRecord(v) ? Object.values(v).filter((x): x is string => typeof x === 'string') : []);

export function parseConanLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const fatal = (message: string): ReadResult => ({ packages: [], edges: [], problems: [{ location: { file: path }, reader: CONAN_LOCK_READER_ID, message, severity: 'error' }] });
  const json = readJsonText(text, LIMITS);
  if (!json.ok) return fatal(`could not read conan.lock: ${json.problem.reason}`);
  const doc = json.value;
  if (!isRecord(doc)) return fatal('not a conan.lock: the top level is not an object');

  const keyLines = new ForwardLines(new LineIndex(text));
  const lineOf = (needle: string): number | undefined => keyLines.next(needle);
  const ids = new PackageIds();
  const packages: Package[] = [];
  const edges: Edge[] = [];
  const make = (r: ConanReference, line: number | undefined, groups: string[] | undefined, scope: Scope | undefined, direct: boolean | undefined): string => {
    const p = conanPurl(r);
    const id = ids.next(p);
    const properties: Record<string, string> = {};
    if (r.user) properties['conan:user'] = r.user;
    if (r.channel) properties['conan:channel'] = r.channel;
    if (r.recipeRevision) properties['conan:rrev'] = r.recipeRevision;
    if (r.packageId) properties['conan:packageId'] = r.packageId;
    packages.push({
      id,
      name: r.name,
      version: r.version,
      ecosystem: ECOSYSTEM,
      purl: p,
      ...(direct === undefined ? {} : { direct }),
      ...(scope ? { scope } : {}),
      ...(groups ? { groups } : {}),
      location: { file: path, line },
      ...(Object.keys(properties).length ? { properties } : {}),
    });
    return id;
  };

  const graph = doc['graph_lock'];
  if (isRecord(graph) && graph['nodes'] !== undefined) {
    const nodes = graph['nodes'];
    if (!isRecord(nodes)) return fatal('/graph_lock/nodes is not an object');
    const nodeIds = Object.keys(nodes);
    // The consumer: a node with `path`, else one without reference (0.0), else node "0".
    const consumers = new Set(nodeIds.filter((k) => isRecord(nodes[k]) && (str(nodes[k]['path']) !== undefined || (str(nodes[k]['ref']) ?? str(nodes[k]['pref'])) === undefined)));
    if (consumers.size === 0 && nodes['0'] !== undefined) consumers.add('0');
    const directIds = new Set<string>();
    const buildIds = new Set<string>();
    const hostIds = new Set<string>();
    for (const k of nodeIds) {
      const node = nodes[k];
      if (!isRecord(node)) continue;
      for (const r of requiredIds(node['requires'])) {
        hostIds.add(r);
        if (consumers.has(k)) directIds.add(r);
      }
      for (const r of requiredIds(node['build_requires'])) {
        buildIds.add(r);
        if (consumers.has(k)) directIds.add(r);
      }
    }
    const idOf = new Map<string, string>();
    for (const k of nodeIds) {
      const node = nodes[k];
      const line = lineOf(`${JSON.stringify(k)}:`);
      if (!isRecord(node)) {
        problems.push({ location: { file: path, line }, reader: CONAN_LOCK_READER_ID, message: `/graph_lock/nodes/${k} is not an object: skipped`, severity: 'warning' });
        continue;
      }
      if (consumers.has(k)) continue;
      const reference = str(node['pref']) ?? str(node['ref']);
      if (!reference) continue;
      const r = parseConanReference(reference);
      if (!r.name) continue;
      const build = buildIds.has(k) && !hostIds.has(k);
      const context = str(node['context']);
      idOf.set(k, make(r, line, build ? ['build-requires'] : undefined, build || context === 'build' ? 'dev' : undefined, directIds.has(k)));
    }
    for (const k of nodeIds) {
      const node = nodes[k];
      if (!isRecord(node)) continue;
      const from = consumers.has(k) ? 'root' : idOf.get(k);
      if (!from) continue;
      for (const r of [...requiredIds(node['requires']), ...requiredIds(node['build_requires'])]) {
        const to = idOf.get(r);
        if (to) edges.push({ from, to });
      }
    }
    return { packages, edges, problems };
  }

  const lists: [string, string, Scope][] = [['requires', 'requires', 'prod'], ['build_requires', 'build-requires', 'dev'], ['python_requires', 'python-requires', 'dev'], ['config_requires', 'config-requires', 'dev']];
  for (const [key, group, scope] of lists) {
    const list = doc[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) {
      problems.push({ location: { file: path }, reader: CONAN_LOCK_READER_ID, message: `/${key} is not an array: skipped`, severity: 'warning' });
      continue;
    }
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const r = parseConanReference(item);
      const line = lineOf(JSON.stringify(item));
      if (r.name) make(r, line, [group], scope, undefined);
    }
  }
  return { packages, edges, problems };
}
