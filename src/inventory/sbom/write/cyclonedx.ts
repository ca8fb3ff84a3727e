/**
 * Inventory → CycloneDX 1.6, JSON or XML, as a stream of text chunks. Each package becomes a
 * `@cyclonedx/cyclonedx-library` Component model and goes through the library's per-component
 * normaliser for the spec (licence choice, hash algorithms and values the spec accepts, XML
 * element order); the document envelope and the dependency list are written here, one
 * component at a time, so no copy of the whole document is ever built. (The library's
 * Bom-level serialisers build the whole document in memory, and its XML one needs
 * xmlbuilder2, which is not installed.)
 */
import CDX from '@cyclonedx/cyclonedx-library';
import type { Inventory, Package, Scope } from '../../model.js';
import { parsePurl } from '../ecosystem.js';
import { PROP, packageProperties } from '../properties.js';
import { assignRefs, Chunker, documentProperties, groupEdges, licenseForms, normaliseHash, resolveOptions, type ResolvedWriteOptions, type SbomWriteOptions } from './common.js';
import { escapeAttr, stringifyElement } from './xml.js';

const { Enums, Models, Serialize, Spec } = CDX;
const SPEC = Spec.Spec1dot6;
const NAMESPACE = 'http://cyclonedx.org/schema/bom/1.6';

const SCOPES: Readonly<Record<Scope, CDX.Enums.ComponentScope | undefined>> = {
  prod: Enums.ComponentScope.Required,
  optional: Enums.ComponentScope.Optional,
  dev: Enums.ComponentScope.Excluded,
  test: Enums.ComponentScope.Excluded,
  peer: undefined,
};

const COMPONENT_TYPES = new Set<string>(Object.values(Enums.ComponentType));

function licenses(pkg: Package): CDX.Models.License[] {
  return licenseForms(pkg.licenses).map((f) =>
    f.kind === 'id' ? new Models.SpdxLicense(f.value) : f.kind === 'expression' ? new Models.LicenseExpression(f.value) : new Models.NamedLicense(f.value),
  );
}

/** The library model of one package (what it cannot carry is listed by preflight()). */
function component(pkg: Package, ref: string, badPurls: ReadonlySet<string>): CDX.Models.Component {
  const typeProp = pkg.properties?.[PROP.componentType];
  const type = typeProp !== undefined && COMPONENT_TYPES.has(typeProp) ? (typeProp as CDX.Enums.ComponentType) : Enums.ComponentType.Library;
  const c = new Models.Component(type, pkg.name || pkg.purl, { bomRef: ref, version: pkg.version, scope: pkg.scope ? SCOPES[pkg.scope] : undefined });
  // Written as the inventory spells it (packageurl-js would reorder qualifiers), when it parses.
  if (!badPurls.has(pkg.purl)) c.purl = pkg.purl;
  const cpe = pkg.properties?.[PROP.cpe];
  if (cpe !== undefined) {
    try {
      c.cpe = cpe;
    } catch {
      c.properties.add(new Models.Property(PROP.cpe, cpe));
    }
  }
  for (const l of licenses(pkg)) c.licenses.add(l);
  for (const h of pkg.hashes ?? []) {
    const n = normaliseHash(h);
    if (n) c.hashes.set(n.alg as CDX.Enums.HashAlgorithm, n.content);
  }
  for (const [name, value] of packageProperties(pkg)) if (name !== PROP.componentType) c.properties.add(new Models.Property(name, value));
  return c;
}

function rootComponent(inv: Inventory, rootRef: string): CDX.Models.Component {
  const type = inv.source.kind === 'image' ? Enums.ComponentType.Container : Enums.ComponentType.Application;
  return new Models.Component(type, inv.source.name || 'unnamed', { bomRef: rootRef, version: inv.source.version });
}

function metadata(inv: Inventory, o: ResolvedWriteOptions, rootRef: string, notes: readonly string[]): CDX.Models.Metadata {
  const tool = new Models.Component(Enums.ComponentType.Application, o.toolName, { version: o.toolVersion });
  const props = documentProperties(inv, notes).map(([n, v]) => new Models.Property(n, v));
  return new Models.Metadata({
    timestamp: o.timestamp,
    tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
    component: rootComponent(inv, rootRef),
    properties: new Models.PropertyRepository(props),
  });
}

/**
 * What the components will not carry (an invalid purl, a hash that is not valid for its
 * algorithm), listed before streaming so the notes can go in the metadata, which comes first.
 */
function preflight(inv: Inventory): { notes: string[]; badPurls: Set<string> } {
  const notes: string[] = [];
  const badPurls = new Set<string>();
  for (const pkg of inv.packages) {
    const parsed = parsePurl(pkg.purl);
    if (!parsed.ok) {
      notes.push(`warning: ${pkg.id}: invalid purl left out (${parsed.reason})`);
      badPurls.add(pkg.purl);
    }
    for (const h of pkg.hashes ?? []) if (!normaliseHash(h)) notes.push(`warning: ${pkg.id}: ${h.alg} hash is not a valid ${h.alg} value; left out`);
  }
  return { notes, badPurls };
}

function edgeNote(dropped: number): string[] {
  return dropped > 0 ? [`warning: ${dropped} dependency edge(s) name a package that is not in the inventory; left out`] : [];
}

/** CycloneDX 1.6 JSON, in chunks (`for … of` them into a stream, or join them). */
export function* cycloneDxJsonChunks(inv: Inventory, options?: SbomWriteOptions): Generator<string> {
  const o = resolveOptions(options);
  const { refs, byId, rootRef } = assignRefs(inv);
  const { groups, dropped } = groupEdges(inv.edges, byId, rootRef);
  const { notes, badPurls } = preflight(inv);
  notes.push(...edgeNote(dropped));
  const factory = new Serialize.JSON.Normalize.Factory(SPEC);
  const norm = factory.makeForComponent();
  const out = new Chunker(o.chunkChars);
  const head = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${o.uuid}`,
    version: 1,
    metadata: factory.makeForMetadata().normalize(metadata(inv, o, rootRef, notes), {}),
  };
  let chunk = out.push(`${JSON.stringify(head).slice(0, -1)},\n"components":[`);
  if (chunk) yield chunk;
  for (let i = 0; i < inv.packages.length; i++) {
    const c = norm.normalize(component(inv.packages[i]!, refs[i]!, badPurls), {});
    chunk = out.push(`${i === 0 ? '\n' : ',\n'}${JSON.stringify(c)}`);
    if (chunk) yield chunk;
  }
  chunk = out.push('\n],\n"dependencies":[');
  if (chunk) yield chunk;
  let first = true;
  for (const [ref, dependsOn] of groups) {
    chunk = out.push(`${first ? '\n' : ',\n'}${JSON.stringify({ ref, dependsOn })}`);
    first = false;
    if (chunk) yield chunk;
  }
  chunk = out.finish('\n]}\n');
  if (chunk) yield chunk;
}

/** CycloneDX 1.6 XML, in chunks. */
export function* cycloneDxXmlChunks(inv: Inventory, options?: SbomWriteOptions): Generator<string> {
  const o = resolveOptions(options);
  const { refs, byId, rootRef } = assignRefs(inv);
  const { groups, dropped } = groupEdges(inv.edges, byId, rootRef);
  const { notes, badPurls } = preflight(inv);
  notes.push(...edgeNote(dropped));
  const factory = new Serialize.XML.Normalize.Factory(SPEC);
  const norm = factory.makeForComponent();
  const out = new Chunker(o.chunkChars);
  const meta = factory.makeForMetadata().normalize(metadata(inv, o, rootRef, notes), {}, 'metadata');
  // Empty wrappers are left out: the XSD wants at least one child in each.
  const components = inv.packages.length > 0 ? '\n  <components>' : '';
  let chunk = out.push(
    `<?xml version="1.0" encoding="UTF-8"?>\n<bom xmlns="${NAMESPACE}" serialNumber="${escapeAttr(`urn:uuid:${o.uuid}`)}" version="1">\n${stringifyElement(meta, 1)}${components}`,
  );
  if (chunk) yield chunk;
  for (let i = 0; i < inv.packages.length; i++) {
    const el = norm.normalize(component(inv.packages[i]!, refs[i]!, badPurls), {}, 'component');
    if (!el) continue;
    chunk = out.push(`\n${stringifyElement(el, 2)}`);
    if (chunk) yield chunk;
  }
  chunk = out.push(`${components ? '\n  </components>' : ''}${groups.size > 0 ? '\n  <dependencies>' : ''}`);
  if (chunk) yield chunk;
  for (const [ref, dependsOn] of groups) {
    const inner = dependsOn.map((to) => `\n      <dependency ref="${escapeAttr(to)}"/>`).join('');
    chunk = out.push(`\n    <dependency ref="${escapeAttr(ref)}">${inner}\n    </dependency>`);
    if (chunk) yield chunk;
  }
  chunk = out.finish(`${groups.size > 0 ? '\n  </dependencies>' : ''}\n</bom>\n`);
  if (chunk) yield chunk;
}
