/**
 * `yarn.lock`, both generations:
 * - v1 (Yarn 1): yarn's own line format, read by a hand-written linear tokenizer (v1.ts);
 * - Berry (Yarn 2+): YAML with `__metadata`, read with the core `readYamlText` (failsafe
 *   schema) through npm-shared/yaml-doc.ts (berry.ts).
 *
 * Each entry is one package; its key's specifiers (`name@range`) are how dependencies find
 * it. The name comes from the Berry `resolution`, or from the specifier (the real name of an
 * `npm:` alias); the version is the `version` field as written; a git or git-host archive
 * resolution gives the commit. Berry `workspace:` entries are the projects (the root one is
 * kept as a package, as osv-scanner does, flagged `workspace: .`); `patch:` entries are the
 * patched copy of another entry and are folded into it. Neither format says which
 * dependencies are direct or dev: the package.json beside the lockfile (and each Berry
 * workspace's own package.json) does, when `readFile` can read it.
 */
import type { ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LockGraph, type DepKind, type NodeRef } from '../npm-shared/graph.js';
import { readSiblingManifest, readWorkspaceManifest, type Manifest } from '../npm-shared/input.js';
import { integrityHashes, redactUrl, splitNameAt, tryExtractCommit } from '../npm-shared/spec.js';
import { isBerry, readBerry } from './berry.js';
import { nameOfSpecifier, type YarnEntry } from './entry.js';
import { tokenizeV1 } from './v1.js';

export const YARN_LOCK_READER_ID = 'yarn-lock';

const MAX_LINE_PROBLEMS = 20;
const DEFAULT_REGISTRIES = ['https://registry.yarnpkg.com/', 'https://registry.npmjs.org/'];

export function parseYarnLock(input: ReaderInput): ReadResult {
  const g = new LockGraph(input.path, YARN_LOCK_READER_ID);
  const berry = isBerry(input.text);
  let entries: YarnEntry[];
  let bad: { line: number | undefined; message: string }[];
  if (berry) {
    const r = readBerry(input.text);
    if (!r.ok) return fail(g, `could not extract from ${input.path}: ${r.reason}`);
    ({ entries, bad } = r);
  } else {
    ({ entries, bad } = tokenizeV1(input.text));
    if (entries.length === 0 && bad.length > 0) return fail(g, `could not extract from ${input.path}: not a yarn.lock (line ${bad[0]!.line}: ${bad[0]!.message})`);
  }
  for (const b of bad.slice(0, MAX_LINE_PROBLEMS)) g.problem(b.message, 'warning', b.line);
  if (bad.length > MAX_LINE_PROBLEMS) g.problem(`${bad.length - MAX_LINE_PROBLEMS} more lines could not be read`, 'warning');
  return build(g, entries, berry, input);
}

function fail(g: LockGraph, message: string): ReadResult {
  g.problem(message, 'error');
  return { packages: [], edges: [], problems: g.problems };
}

interface Placed {
  readonly entry: YarnEntry;
  readonly index: number;
  /** Berry workspace folder ('.' for the root project). */
  readonly workspace: string | undefined;
}

function build(g: LockGraph, entries: readonly YarnEntry[], berry: boolean, input: ReaderInput): ReadResult {
  const bySpecifier = new Map<string, number>();
  const byResolution = new Map<string, number>();
  const placed: Placed[] = [];
  const patches: YarnEntry[] = [];
  for (const entry of entries) {
    const resolution = entry.fields.get(berry ? 'resolution' : 'resolved') ?? '';
    if (berry && resolution.includes('@patch:')) {
      patches.push(entry);
      continue;
    }
    const version = entry.fields.get('version');
    if (version === undefined) g.problem(`entry "${entry.specifiers.join(', ')}" has no version`, 'warning', entry.line);
    const name = berry && resolution !== '' ? splitNameAt(resolution)[0] : nameOfSpecifier(entry.specifiers[0]!);
    const ws = berry ? workspaceOf(resolution) : undefined;
    const properties: Record<string, string> = {};
    if (resolution !== '' && ws === undefined && !isRegistry(resolution, berry)) properties['resolved'] = redactUrl(resolution);
    const index = g.add({
      name,
      version: version ?? '',
      line: entry.line,
      commit: tryExtractCommit(resolution),
      hashes: berry ? undefined : integrityHashes(entry.fields.get('integrity')),
      properties: Object.keys(properties).length > 0 ? properties : undefined,
      workspace: ws,
    });
    for (const s of entry.specifiers) bySpecifier.set(s, index);
    if (berry && resolution !== '') byResolution.set(resolution, index);
    placed.push({ entry, index, workspace: ws });
  }
  // `name@patch:name@npm%3A1.2.3#…` is the entry `name@npm:1.2.3` with a patch applied.
  for (const entry of patches) {
    const resolution = entry.fields.get('resolution')!;
    const base = byResolution.get(patchedResolution(resolution));
    if (base === undefined) {
      const index = g.add({ name: splitNameAt(resolution)[0], version: entry.fields.get('version') ?? '', line: entry.line, properties: { patched: 'true' } });
      for (const s of entry.specifiers) bySpecifier.set(s, index);
      placed.push({ entry, index, workspace: undefined });
    } else {
      const d = g.drafts[base]!;
      g.drafts[base] = { ...d, properties: { ...d.properties, patched: 'true' } };
      for (const s of entry.specifiers) bySpecifier.set(s, base);
    }
  }

  const rootManifest = readSiblingManifest(input);
  const overrides = resolutionOverrides(rootManifest);
  const exact = (name: string, range: string): number | undefined => bySpecifier.get(`${name}@${range}`) ?? (berry ? bySpecifier.get(`${name}@npm:${range}`) : undefined);
  // A `resolutions` override replaces the range a package asks for (Berry keys the lockfile by the replacement).
  const lookup = (name: string, range: string): number | undefined => {
    const hit = exact(name, range);
    if (hit !== undefined || overrides.size === 0) return hit;
    const forced = overrides.get(`${name}@${range}`) ?? overrides.get(name);
    return forced === undefined ? undefined : exact(name, forced);
  };
  let unresolved = 0;
  let example = '';
  let sawRoot = false;
  for (const { entry, index, workspace } of placed) {
    const from: NodeRef = workspace === '.' ? 'root' : index;
    if (workspace === '.') sawRoot = true;
    const manifest = workspace === undefined ? undefined : workspace === '.' ? rootManifest : readWorkspaceManifest(input, workspace);
    const kinds = manifest ? kindsOf(manifest) : undefined;
    for (const [list, optional] of [[entry.deps, false], [entry.optionalDeps, true]] as const) {
      for (const [name, range] of list) {
        const to = lookup(name, range);
        if (to === undefined) {
          if (!optional) {
            unresolved++;
            example ||= `${entry.specifiers[0]} → ${name}@${range}`;
          }
        } else if (workspace !== undefined) g.projectEdge(from, to, kinds ? (kinds.get(name) ?? (optional ? 'optional' : 'prod')) : undefined);
        else g.edge(from, to, optional);
      }
    }
  }
  if (unresolved > 0) g.problem(`${unresolved} dependenc${unresolved === 1 ? 'y is' : 'ies are'} not in the lockfile (first: ${example})`, 'warning');

  // v1 (and a Berry file without its root workspace): the direct dependencies are in package.json.
  const manifest = sawRoot ? undefined : rootManifest;
  if (!sawRoot) {
    for (const dep of manifest?.deps ?? []) {
      const to = lookup(dep.name, dep.range);
      if (to !== undefined) g.projectEdge('root', to, dep.kind);
      else if (dep.kind === 'prod' || dep.kind === 'dev') g.problem(`package.json lists ${dep.name}@${dep.range} but the lockfile has no entry for it`, 'warning');
    }
  }
  // Yarn 1 workspaces are not in the lockfile: with them, what the root does not list may still be direct.
  const knowsDirect = sawRoot || (manifest !== undefined && manifest.workspaces.length === 0);
  return g.finish({ knowsDirect, propagateScope: true });
}

/**
 * `resolutions` keyed by the package they force: `lodash`, `parent/lodash`, a glob ending in
 * `/lodash` and `@s/p@^1` all name their last package (with its range, when given).
 */
function resolutionOverrides(manifest: Manifest | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of manifest?.resolutions ?? []) {
    const segs = key.split('/');
    const last = segs.length >= 2 && segs[segs.length - 2]!.startsWith('@') ? segs.slice(-2).join('/') : segs[segs.length - 1]!;
    const [name, range] = splitNameAt(last);
    out.set(range === '' ? name : `${name}@${range}`, value);
  }
  return out;
}

function kindsOf(manifest: Manifest): Map<string, DepKind> {
  return new Map(manifest.deps.map((d) => [d.name, d.kind]));
}

/** `name@workspace:packages/a` → `packages/a`. */
function workspaceOf(resolution: string): string | undefined {
  const [, rest] = splitNameAt(resolution);
  return rest.startsWith('workspace:') ? rest.slice(10) || '.' : undefined;
}

/** `name@patch:name@npm%3A1.2.3#~builtin<compat/name>::version=1.2.3&hash=…` → `name@npm:1.2.3`. */
function patchedResolution(resolution: string): string {
  const [, rest] = splitNameAt(resolution);
  const inner = rest.slice('patch:'.length);
  const hash = inner.indexOf('#');
  try {
    return decodeURIComponent(hash === -1 ? inner : inner.slice(0, hash));
  } catch {
    return inner;
  }
}

function isRegistry(resolution: string, berry: boolean): boolean {
  if (berry) return splitNameAt(resolution)[1].startsWith('npm:');
  return DEFAULT_REGISTRIES.some((r) => resolution.startsWith(r));
}
