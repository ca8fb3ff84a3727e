/**
 * Maven `pom.xml`, read with fast-xml-parser (see ./xml.ts for the guards). What the POM
 * declares, after Maven's inheritance and interpolation, without a repository:
 *  - the parent chain is followed inside the scanned tree through `readFile`
 *    (`<relativePath>`, default `../pom.xml`; a candidate whose coordinates differ from the
 *    declared parent is not used, as Maven does); the child inherits `<properties>`,
 *    `<dependencies>` and `<dependencyManagement>`;
 *  - `${…}` is interpolated from properties and `project.*` / `pom.*` / `parent.*`
 *    (nested, several per value);
 *  - a dependency without version takes it from dependencyManagement (own or inherited);
 *  - entries of this file's own dependencyManagement that are not dependencies are reported
 *    too, marked `maven:managed` (osv-scanner lists them: they pin what transitive
 *    resolution will pick);
 *  - a version range keeps its lower bound, as osv-scanner does, with a warning; a version
 *    that stays unresolved is reported as a warning with version '' (never guessed).
 * Scopes: compile/runtime/provided/system → prod, test → test; a scope other than the default
 * `compile` is the package's group, as osv-scanner reports it.
 */
import { posix } from 'node:path';
import type { Edge, Package, ReadProblem, ReadResult, Scope } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { PackageIds, purl } from '../../purl.js';
import { readPom, type Pom, type PomDependency } from './pom.js';

export const MAVEN_POM_READER_ID = 'maven-pom';
const ECOSYSTEM = 'Maven';
const MAX_PARENTS = 10;
const MAX_WARNINGS = 200;
const PLACEHOLDER = /\$\{([^${}]+)\}/g;

/** `child/pom.xml` + `../pom.xml` → `pom.xml`; undefined when it leaves the scanned tree. */
export function resolveRelative(from: string, relative: string): string | undefined {
  const rel = relative.replaceAll('\\', '/');
  const target = rel.endsWith('.xml') ? rel : `${rel.replace(/\/$/, '')}/pom.xml`;
  if (target.startsWith('/')) return undefined;
  const joined = posix.normalize(posix.join(posix.dirname(from), target));
  return joined === '..' || joined.startsWith('../') ? undefined : joined;
}

/** `${a}.${b}` → resolved text and the names still unresolved (nested, bounded). */
export function interpolate(value: string, props: ReadonlyMap<string, string>): { value: string; unresolved: string[] } {
  if (!value.includes('${')) return { value, unresolved: [] };
  let out = value;
  for (let pass = 0; pass < 10 && out.includes('${'); pass++) {
    let changed = false;
    out = out.replace(PLACEHOLDER, (whole, key: string) => {
      const v = props.get(key.trim());
      if (v === undefined) return whole;
      changed = true;
      return v;
    });
    if (!changed || out.length > 4096) break;
  }
  const unresolved = [...out.matchAll(PLACEHOLDER)].map((m) => m[1]!);
  return { value: out, unresolved };
}

/** A version or range as osv-scanner reads it: `[1.0,2.0)` → `1.0` (the first bound). */
export function versionFromSpec(spec: string): { version: string; range: string | undefined } {
  const t = spec.trim();
  if (!t.startsWith('[') && !t.startsWith('(')) return { version: t, range: undefined };
  const end = t.slice(1).search(/[,\])]/);
  return { version: (end === -1 ? t.slice(1) : t.slice(1, end + 1)).trim(), range: t };
}

const SCOPES: Record<string, Scope | undefined> = { compile: 'prod', runtime: 'prod', provided: 'prod', system: 'prod', test: 'test', import: undefined };
const depKey = (g: string, a: string, type: string | undefined, classifier: string | undefined): string => `${g}:${a}:${type ?? 'jar'}:${classifier ?? ''}`;

export function parseMavenPom(input: ReaderInput): ReadResult {
  const { path } = input;
  const problems: ReadProblem[] = [];
  let warnings = 0;
  const warn = (message: string, file: string = path, line?: number): void => {
    if (++warnings <= MAX_WARNINGS) problems.push({ location: { file, line }, reader: MAVEN_POM_READER_ID, message, severity: 'warning' });
  };

  const first = readPom(path, input.text);
  if (!first.ok) return { packages: [], edges: [], problems: [{ location: { file: path, line: first.line }, reader: MAVEN_POM_READER_ID, message: `could not read pom.xml: ${first.reason}`, severity: 'error' }] };

  // The parent chain, child first, as far as the scanned tree holds it.
  const chain: Pom[] = [first.pom];
  let parentNote = '';
  for (let cur = first.pom; cur.parent && chain.length <= MAX_PARENTS; ) {
    const { groupId, artifactId, version, relativePath } = cur.parent;
    const coords = `${groupId ?? '?'}:${artifactId ?? '?'}:${version ?? '?'}`;
    if (relativePath === '') {
      parentNote = `parent ${coords} comes from a repository (empty <relativePath/>)`;
      break;
    }
    const target = resolveRelative(cur.path, relativePath ?? '../pom.xml');
    if (target !== undefined && chain.some((p) => p.path === target)) {
      warn(`parent ${coords} at ${target} is already in this POM's parent chain (a cycle): not followed`, cur.path);
      break;
    }
    const text = target === undefined ? undefined : input.readFile?.(target);
    if (target === undefined || text === undefined) {
      parentNote = `parent ${coords} is not in the scanned tree${target ? ` (looked for ${target})` : ''}`;
      break;
    }
    const parent = readPom(target, text);
    if (!parent.ok) {
      warn(`parent pom ${target} could not be read: ${parent.reason}`, target, parent.line);
      parentNote = `parent ${coords} could not be read`;
      break;
    }
    const pg = parent.pom.groupId ?? parent.pom.parent?.groupId;
    if (parent.pom.artifactId !== artifactId || (groupId !== undefined && pg !== groupId)) {
      parentNote = `parent ${coords} is not the pom at ${target} (${pg ?? '?'}:${parent.pom.artifactId ?? '?'}), so it comes from a repository`;
      break;
    }
    chain.push(parent.pom);
    cur = parent.pom;
  }
  const note = parentNote ? `; ${parentNote}` : '';

  // Effective properties: ancestors first, the child overriding; then the project model.
  const child = chain[0]!;
  const props = new Map<string, string>();
  for (const pom of [...chain].reverse()) for (const [k, v] of pom.properties) props.set(k, v);
  const model: Record<string, string | undefined> = {
    'project.groupId': child.groupId ?? child.parent?.groupId,
    'project.artifactId': child.artifactId,
    'project.version': child.version ?? child.parent?.version,
    'project.parent.groupId': child.parent?.groupId,
    'project.parent.artifactId': child.parent?.artifactId,
    'project.parent.version': child.parent?.version,
  };
  for (const [k, v] of Object.entries(model)) {
    if (v === undefined) continue;
    props.set(k, v);
    props.set(k.replace(/^project\./, 'pom.'), v);
    if (k.startsWith('project.parent.')) props.set(k.replace(/^project\./, ''), v);
  }
  const interp = (s: string): string => (s.includes('${') ? interpolate(s, props).value : s);

  // dependencyManagement (inherited, the child overriding) and the effective dependencies.
  const managed = new Map<string, PomDependency>();
  const deps = new Map<string, PomDependency>();
  const keyOf = (d: PomDependency): string => depKey(interp(d.groupId), interp(d.artifactId), d.type && interp(d.type), d.classifier && interp(d.classifier));
  for (const pom of [...chain].reverse()) {
    for (const d of pom.managed) managed.set(keyOf(d), d);
    const own = new Set<string>();
    for (const d of pom.dependencies) {
      const key = keyOf(d);
      // Maven warns about a duplicate declaration and keeps the last one (as osv-scanner does).
      if (own.has(key)) warn(`${interp(d.groupId)}:${interp(d.artifactId)} is declared more than once: the last declaration is used`, d.file, d.line);
      own.add(key);
      deps.set(key, d);
    }
  }
  for (const pom of chain) for (const line of pom.incomplete) warn('dependency without groupId or artifactId: skipped', pom.path, line);

  const boms = [...managed.values()].filter((d) => d.scope === 'import').map((d) => `${interp(d.groupId)}:${interp(d.artifactId)}:${interp(d.version ?? '?')}`);
  const bomNote = boms.length ? `; it may come from the imported BOM${boms.length > 1 ? 's' : ''} ${boms.slice(0, 5).join(', ')}${boms.length > 5 ? ' …' : ''}, which a reader without a repository cannot open` : '';

  const ids = new PackageIds();
  const packages: Package[] = [];
  const edges: Edge[] = [];
  const make = (d: PomDependency, key: string, isManaged: boolean): void => {
    const groupId = interp(d.groupId);
    const artifactId = interp(d.artifactId);
    const name = `${groupId}:${artifactId}`;
    const from = isManaged ? undefined : managed.get(key);
    const raw = d.version ?? from?.version;
    let version = '';
    const properties: Record<string, string> = {};
    if (raw === undefined) {
      warn(`${name} has no version and no dependencyManagement entry in reach supplies one${bomNote}${note}`, d.file, d.line);
    } else {
      const r = interpolate(raw, props);
      if (r.unresolved.length) {
        warn(`${name}: version ${raw} uses \${${r.unresolved.join('}, ${')}}, which no property defines${note}`, d.file, d.line);
      } else {
        const spec = versionFromSpec(r.value);
        version = spec.version;
        if (spec.range) {
          properties['maven:versionRange'] = spec.range;
          warn(`${name}: version range ${spec.range}: reported as its lower bound ${spec.version || '(none)'}; Maven resolves it against a repository`, d.file, d.line);
        }
      }
      if (raw !== d.version) properties['maven:versionFrom'] = 'dependencyManagement';
    }
    const scopeText = d.scope ?? from?.scope;
    const scope = scopeText ? interp(scopeText) : undefined;
    const type = d.type ? interp(d.type) : undefined;
    const classifier = d.classifier ? interp(d.classifier) : undefined;
    if (isManaged) properties['maven:managed'] = 'true';
    if (d.optional) properties['maven:optional'] = 'true';
    if (groupId.includes('${') || artifactId.includes('${')) warn(`${name}: coordinates use a property no POM in reach defines${note}`, d.file, d.line);
    let p: string;
    try {
      p = purl('maven', groupId, artifactId, version, { type: type && type !== 'jar' ? type : undefined, classifier });
    } catch {
      p = purl('generic', undefined, name, version);
    }
    const id = ids.next(p);
    packages.push({
      id,
      name,
      version,
      ecosystem: ECOSYSTEM,
      purl: p,
      ...(isManaged ? {} : { direct: true }),
      ...(scope !== undefined && SCOPES[scope] !== undefined ? { scope: SCOPES[scope] } : scope === undefined && !isManaged ? { scope: 'prod' as const } : {}),
      ...(scope && scope !== 'compile' ? { groups: [scope] } : {}),
      location: { file: d.file, line: d.line },
      ...(Object.keys(properties).length ? { properties } : {}),
    });
    if (!isManaged) edges.push({ from: 'root', to: id });
  };

  const declared = new Set<string>();
  for (const [key, d] of deps) {
    make(d, key, false);
    declared.add(`${interp(d.groupId)}:${interp(d.artifactId)}`);
  }
  for (const d of child.managed) {
    const key = keyOf(d);
    if (!declared.has(`${interp(d.groupId)}:${interp(d.artifactId)}`) && managed.get(key) === d) make(d, key, true);
  }
  if (warnings > MAX_WARNINGS) problems.push({ location: { file: path }, reader: MAVEN_POM_READER_ID, message: `${warnings - MAX_WARNINGS} more warnings not shown`, severity: 'warning' });
  return { packages, edges, problems };
}
