/**
 * SPDX 2.2 / 2.3 document → Inventory, for JSON documents and tag-value documents (which
 * ./tag-value.ts turns into the JSON shape first). The document has been validated by
 * ./schema.ts. Hand-written: there is no maintained SPDX 2.x reader on npm.
 *
 * Packages become packages (files and snippets do not: they are known refs that edges may
 * name). The purl comes from an external reference of type `purl` (PACKAGE-MANAGER first, any
 * category accepted, as real documents put purls under SECURITY too). The described
 * package(s) (`DESCRIBES` from the document, `documentDescribes`) are the graph root.
 * Relationships become edges: DEPENDS_ON / CONTAINS / HAS_PREREQUISITE / *_LINK point from A
 * to B; the *_DEPENDENCY_OF, CONTAINED_BY, PREREQUISITE_FOR, OPTIONAL_COMPONENT_OF and
 * PACKAGE_OF types from B to A, and the typed dependency ones give the scope.
 */
import type { Hash, Inventory, Scope } from '../../model.js';
import { SbomInventoryBuilder } from '../build.js';
import { PROPERTIES_ANNOTATION, VIGIL_ANNOTATOR_PREFIX } from '../properties.js';
import type { RelationshipType, SpdxDocument, SpdxPackage } from './schema.js';

const FORWARD: ReadonlySet<RelationshipType> = new Set<RelationshipType>(['DEPENDS_ON', 'CONTAINS', 'HAS_PREREQUISITE', 'STATIC_LINK', 'DYNAMIC_LINK']);

const BACKWARD: ReadonlyMap<RelationshipType, Scope | undefined> = new Map<RelationshipType, Scope | undefined>([
  ['DEPENDENCY_OF', undefined],
  ['RUNTIME_DEPENDENCY_OF', 'prod'],
  ['DEV_DEPENDENCY_OF', 'dev'],
  ['BUILD_DEPENDENCY_OF', 'dev'],
  ['TEST_DEPENDENCY_OF', 'test'],
  ['OPTIONAL_DEPENDENCY_OF', 'optional'],
  ['PROVIDED_DEPENDENCY_OF', undefined],
  ['CONTAINED_BY', undefined],
  ['PREREQUISITE_FOR', undefined],
  ['OPTIONAL_COMPONENT_OF', 'optional'],
  ['PACKAGE_OF', undefined],
]);

/** SPDX checksum algorithm → CycloneDX name (others are kept as SPDX spells them). */
const HASH_ALGS: Readonly<Record<string, string>> = {
  SHA1: 'SHA-1',
  SHA256: 'SHA-256',
  SHA384: 'SHA-384',
  SHA512: 'SHA-512',
  MD5: 'MD5',
  'SHA3-256': 'SHA3-256',
  'SHA3-384': 'SHA3-384',
  'SHA3-512': 'SHA3-512',
  'BLAKE2b-256': 'BLAKE2b-256',
  'BLAKE2b-384': 'BLAKE2b-384',
  'BLAKE2b-512': 'BLAKE2b-512',
  BLAKE3: 'BLAKE3',
};

export const spdxHashAlg = (alg: string): string => HASH_ALGS[alg] ?? alg;

const PURL_TYPES = new Set(['purl', 'http://spdx.org/rdf/references/purl']);
const CPE_TYPES = new Set(['cpe23Type', 'cpe22Type', 'http://spdx.org/rdf/references/cpe23Type', 'http://spdx.org/rdf/references/cpe22Type']);
const NO_LICENSE = new Set(['NOASSERTION', 'NONE', '']);

function purlOf(p: SpdxPackage): string | undefined {
  const refs = (p.externalRefs ?? []).filter((r) => PURL_TYPES.has(r.referenceType));
  const pm = refs.find((r) => r.referenceCategory === 'PACKAGE-MANAGER' || r.referenceCategory === 'PACKAGE_MANAGER');
  return (pm ?? refs[0])?.referenceLocator;
}

function propertiesOf(p: SpdxPackage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of p.annotations ?? []) {
    if (!a.annotator.startsWith(VIGIL_ANNOTATOR_PREFIX) || !a.comment.startsWith(PROPERTIES_ANNOTATION)) continue;
    let props: unknown;
    try {
      props = JSON.parse(a.comment.slice(PROPERTIES_ANNOTATION.length));
    } catch {
      continue;
    }
    if (typeof props !== 'object' || props === null) continue;
    for (const [k, v] of Object.entries(props)) if (typeof v === 'string') out[k] = v;
  }
  return out;
}

export function mapSpdx(doc: SpdxDocument, file: string, reader: string, lineOf: (index: number) => number | undefined): Inventory {
  const b = new SbomInventoryBuilder(file, reader);
  b.addOther(doc.SPDXID);
  for (const f of doc.files ?? []) b.addOther(f.SPDXID);
  for (const s of doc.snippets ?? []) b.addOther(s.SPDXID);

  const described = new Set(doc.documentDescribes ?? []);
  const scopes = new Map<string, Set<Scope>>();
  for (const r of doc.relationships ?? []) {
    if (r.relationshipType === 'DESCRIBES' && r.spdxElementId === doc.SPDXID) described.add(r.relatedSpdxElement);
    else if (r.relationshipType === 'DESCRIBED_BY' && r.relatedSpdxElement === doc.SPDXID) described.add(r.spdxElementId);
    const scope = BACKWARD.get(r.relationshipType);
    if (scope !== undefined) {
      const set = scopes.get(r.spdxElementId) ?? new Set<Scope>();
      set.add(scope);
      scopes.set(r.spdxElementId, set);
    }
  }

  (doc.packages ?? []).forEach((p, i) => {
    const license = [p.licenseDeclared, p.licenseConcluded].find((l) => l !== undefined && !NO_LICENSE.has(l));
    const hashes: Hash[] = (p.checksums ?? []).map((c) => ({ alg: spdxHashAlg(c.algorithm), content: c.checksumValue }));
    const s = scopes.get(p.SPDXID);
    b.add({
      ref: p.SPDXID,
      name: p.name,
      version: p.versionInfo ?? '',
      purl: purlOf(p),
      cpe: (p.externalRefs ?? []).find((r) => CPE_TYPES.has(r.referenceType))?.referenceLocator,
      licenses: license === undefined ? undefined : [license],
      hashes,
      scope: s === undefined ? undefined : s.size === 1 ? [...s][0] : s.has('prod') ? 'prod' : undefined,
      properties: propertiesOf(p),
      line: lineOf(i),
      where: `/packages/${i}`,
      main: described.has(p.SPDXID),
    });
  });

  (doc.relationships ?? []).forEach((r, i) => {
    if (FORWARD.has(r.relationshipType)) b.edge(r.spdxElementId, r.relatedSpdxElement, `/relationships/${i}`);
    else if (BACKWARD.has(r.relationshipType)) b.edge(r.relatedSpdxElement, r.spdxElementId, `/relationships/${i}`);
  });
  return b.finish(doc.name || file);
}
