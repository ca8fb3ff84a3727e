import type { Edge, Hash, Inventory, Package, ReadProblem, Scope } from '../model.js';
import { PackageIds, purl as makePurl } from '../purl.js';
import { ecosystemOf, packageNameOf, parsePurlParts } from './ecosystem.js';
import { PROP, restoreFields } from './properties.js';

/** The id edges use for the project itself (the SBOM's main component / described package). */
export const ROOT = 'root';

/** One component (CycloneDX) or package (SPDX), as the document mapper hands it over. */
export interface SbomElement {
  /** bom-ref / SPDXID: the document-local name dependency entries use. */
  readonly ref?: string | undefined;
  readonly name: string;
  /** CycloneDX `group`, used for the name only when there is no purl. */
  readonly group?: string | undefined;
  readonly version: string;
  readonly purl?: string | undefined;
  readonly cpe?: string | undefined;
  readonly licenses?: readonly string[] | undefined;
  readonly hashes?: readonly Hash[] | undefined;
  readonly scope?: Scope | undefined;
  readonly groups?: readonly string[] | undefined;
  readonly properties?: Readonly<Record<string, string>> | undefined;
  readonly line?: number | undefined;
  /** JSON pointer (or tag-value position) for messages. */
  readonly where: string;
  /** The document's main component / a described package: the root of the dependency graph. */
  readonly main?: boolean | undefined;
  /** Package id of the component this one is nested in. */
  readonly parentId?: string | undefined;
}

/** A package being assembled: `direct` is known only once every edge is (see finish). */
type Draft = { -readonly [K in keyof Package]: Package[K] };

/**
 * Collects what a document mapper finds and turns it into an Inventory: package ids from the
 * purl (PackageIds), ecosystem and name from the purl, the main component as the root (kept as
 * a package too when it has a purl or CPE, since it can have advisories of its own), edges
 * resolved from document refs after every element is known, `direct` from the root's edges.
 */
export class SbomInventoryBuilder {
  private readonly ids = new PackageIds();
  private readonly drafts: Draft[] = [];
  /** Per draft: whether it is the document's main component. */
  private readonly mains: boolean[] = [];
  /** document ref → package id, or ROOT for the main component(s). */
  private readonly refs = new Map<string, string>();
  /** Refs of elements that are not packages (SPDX files, snippets, the document). */
  private readonly others = new Set<string>();
  private readonly rawEdges: { from: string; to: string; where: string }[] = [];
  private readonly problems: ReadProblem[] = [];
  private main: { name: string; version: string } | undefined;

  constructor(
    private readonly file: string,
    private readonly reader: string,
  ) {}

  warn(message: string, line?: number): void {
    this.problems.push({ location: { file: this.file, line }, reader: this.reader, message, severity: 'warning' });
  }

  /** A document ref that is known but is not a package (edges to it are dropped quietly). */
  addOther(ref: string): void {
    this.others.add(ref);
  }

  /** Adds an element; returns its package id (ROOT for a main component kept only as the root), or undefined when skipped. */
  add(el: SbomElement): string | undefined {
    if (el.main) {
      this.main ??= { name: el.group ? `${el.group}/${el.name}` : el.name, version: el.version };
      if (el.ref !== undefined) this.refs.set(el.ref, ROOT);
    }
    const restored = restoreFields(el.properties ?? {});
    const properties = restored.properties;
    let parsed = el.purl === undefined ? undefined : parsePurlParts(el.purl);
    if (parsed && !parsed.ok) {
      this.warn(`${el.where}: invalid purl ${JSON.stringify(el.purl)} (${parsed.reason}); using a generic purl`, el.line);
      properties[PROP.invalidPurl] = el.purl!;
      parsed = undefined;
    }
    if (el.main && !parsed && el.cpe === undefined) return ROOT;
    if (!parsed && el.name === '') {
      this.warn(`${el.where}: component has neither a name nor a purl; skipped`, el.line);
      return undefined;
    }
    const p = parsed?.ok ? parsed.purl : undefined;
    const purlText = p ? el.purl! : makePurl('generic', el.group, el.name, el.version);
    const id = this.ids.next(purlText);
    if (el.ref !== undefined && !el.main) {
      if (this.refs.has(el.ref)) this.warn(`${el.where}: duplicate reference ${JSON.stringify(el.ref)}; dependencies name the first`, el.line);
      else this.refs.set(el.ref, id);
    }
    if (el.cpe !== undefined) properties[PROP.cpe] = el.cpe;
    if (el.parentId !== undefined) properties[PROP.parent] = el.parentId;
    if (el.main) properties[PROP.main] = 'true';
    this.drafts.push({
      id,
      name: p ? packageNameOf(p) : el.group ? `${el.group}/${el.name}` : el.name,
      version: p?.version ?? el.version,
      ecosystem: restored.ecosystem ?? (p ? ecosystemOf(p) : ''),
      purl: purlText,
      scope: restored.scope ?? el.scope,
      groups: restored.groups ?? (el.groups && el.groups.length > 0 ? el.groups : undefined),
      location: { file: this.file, line: el.line },
      commit: restored.commit,
      sourceName: restored.sourceName,
      sourceVersion: restored.sourceVersion,
      licenses: el.licenses && el.licenses.length > 0 ? el.licenses : undefined,
      hashes: el.hashes && el.hashes.length > 0 ? el.hashes : undefined,
      layer: restored.layer,
      properties: Object.keys(properties).length > 0 ? properties : undefined,
      direct: undefined,
    });
    this.mains.push(el.main ?? false);
    return el.main ? ROOT : id;
  }

  /** `fromRef` depends on (or contains) `toRef`; resolved in finish(). */
  edge(fromRef: string, toRef: string, where: string): void {
    this.rawEdges.push({ from: fromRef, to: toRef, where });
  }

  finish(fallbackName: string): Inventory {
    const edges = this.resolveEdges();
    const direct = new Set<string>();
    for (const e of edges) if (e.from === ROOT) direct.add(e.to);
    // Filled in place: copying 100,000 drafts into new objects costs time and memory.
    const packages: Package[] = this.drafts;
    this.drafts.forEach((d, i) => {
      d.direct = this.mains[i] || direct.size === 0 ? undefined : direct.has(d.id);
    });
    return {
      source: { kind: 'sbom', name: this.main?.name || fallbackName, version: this.main?.version || undefined },
      packages,
      edges,
      problems: this.problems,
      files: [{ path: this.file, reader: this.reader, packages: packages.length }],
    };
  }

  private resolveEdges(): Edge[] {
    const edges: Edge[] = [];
    const seen = new Set<string>();
    let unknown = 0;
    let example = '';
    const resolve = (ref: string, where: string): string | undefined => {
      const id = this.refs.get(ref);
      if (id === undefined && !this.others.has(ref) && !isExternalRef(ref)) {
        if (unknown++ === 0) example = `${JSON.stringify(ref)} at ${where}`;
      }
      return id;
    };
    for (const raw of this.rawEdges) {
      const from = resolve(raw.from, raw.where);
      const to = resolve(raw.to, raw.where);
      if (from === undefined || to === undefined || to === ROOT || from === to) continue;
      const key = `${from}\u0000${to}`;
      if (seen.has(key)) continue;
      seen.add(key);
      edges.push({ from, to });
    }
    if (unknown > 0) this.warn(`${unknown} dependency reference(s) name no component in the document (first: ${example}); those edges were dropped`);
    return edges;
  }
}

/** SPDX refs into other documents, and the NONE / NOASSERTION placeholders. */
function isExternalRef(ref: string): boolean {
  return ref.startsWith('DocumentRef-') || ref === 'NONE' || ref === 'NOASSERTION';
}
