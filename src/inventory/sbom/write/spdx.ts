/**
 * Inventory → SPDX 2.3 JSON, as a stream of text chunks (hand-written: there is no SPDX 2.x
 * writer on npm). The scan's root is the described package; each package carries its purl
 * (PACKAGE-MANAGER external reference), CPE, checksums and declared licence expression
 * (licence names become `LicenseRef-` ids with extracted licensing info); edges become
 * DEPENDS_ON relationships. Model fields SPDX has no place for (ecosystem, scope, location …)
 * and the package's own properties go into one annotation per package
 * (`vigil:properties={…}`), document-level facts (files read, problems) into document
 * annotations, so a partial SBOM says what is missing and reads back into the same inventory.
 */
import type { Hash, Inventory, Package } from '../../model.js';
import { PROP, PROPERTIES_ANNOTATION, packageProperties } from '../properties.js';
import { assignRefs, Chunker, documentProperties, groupEdges, licenseForms, normaliseHash, resolveOptions, type SbomWriteOptions } from './common.js';

/** CycloneDX algorithm name → SPDX checksum algorithm. */
const SPDX_ALGS: Readonly<Record<string, string>> = {
  'SHA-1': 'SHA1',
  'SHA-256': 'SHA256',
  'SHA-384': 'SHA384',
  'SHA-512': 'SHA512',
  MD5: 'MD5',
  'SHA3-256': 'SHA3-256',
  'SHA3-384': 'SHA3-384',
  'SHA3-512': 'SHA3-512',
  'BLAKE2b-256': 'BLAKE2b-256',
  'BLAKE2b-384': 'BLAKE2b-384',
  'BLAKE2b-512': 'BLAKE2b-512',
  BLAKE3: 'BLAKE3',
};
/** Algorithms only SPDX has, kept from an SPDX document as read. */
const SPDX_ONLY = new Set(['SHA224', 'MD2', 'MD4', 'MD6', 'ADLER32']);

const PURPOSES: Readonly<Record<string, string>> = {
  library: 'LIBRARY',
  application: 'APPLICATION',
  framework: 'FRAMEWORK',
  container: 'CONTAINER',
  'operating-system': 'OPERATING_SYSTEM',
  firmware: 'FIRMWARE',
  file: 'FILE',
  device: 'DEVICE',
};

interface Annotation {
  readonly annotationDate: string;
  readonly annotationType: 'OTHER';
  readonly annotator: string;
  readonly comment: string;
}

/** SPDX idstring: letters, digits, `.` and `-`. */
const idPart = (s: string): string => s.replace(/[^A-Za-z0-9.-]+/g, '-').slice(0, 60);

function checksums(hashes: readonly Hash[] | undefined): { algorithm: string; checksumValue: string }[] | undefined {
  const out: { algorithm: string; checksumValue: string }[] = [];
  for (const h of hashes ?? []) {
    if (SPDX_ONLY.has(h.alg) && /^[0-9a-fA-F]+$/.test(h.content)) {
      out.push({ algorithm: h.alg, checksumValue: h.content });
      continue;
    }
    const n = normaliseHash(h);
    if (n) out.push({ algorithm: SPDX_ALGS[n.alg]!, checksumValue: n.content });
  }
  return out.length > 0 ? out : undefined;
}

/** Tracks `LicenseRef-` ids used by the packages, to declare each once as extracted licensing info. */
class LicenseRefs {
  readonly extracted = new Map<string, string>();

  /** One SPDX expression for the package's licences, or NOASSERTION. */
  expression(licenses: readonly string[] | undefined): string {
    const parts = licenseForms(licenses).map((f) => {
      if (f.kind === 'id') return f.value;
      if (f.kind === 'expression') {
        for (const m of f.value.matchAll(/(?<![\w.:-])LicenseRef-[A-Za-z0-9.-]+/g)) if (!this.extracted.has(m[0])) this.extracted.set(m[0], m[0]);
        return f.value;
      }
      const id = `LicenseRef-${idPart(f.value) || 'unnamed'}`;
      if (!this.extracted.has(id) || this.extracted.get(id) === id) this.extracted.set(id, f.value);
      return id;
    });
    if (parts.length === 0) return 'NOASSERTION';
    return parts.length === 1 ? parts[0]! : parts.map((p) => (/\s/.test(p) ? `(${p})` : p)).join(' AND ');
  }
}

export function* spdxJsonChunks(inv: Inventory, options?: SbomWriteOptions): Generator<string> {
  const o = resolveOptions(options);
  const created = o.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const annotator = `Tool: ${o.toolName}-${o.toolVersion}`;
  const annotation = (comment: string): Annotation => ({ annotationDate: created, annotationType: 'OTHER', annotator, comment });
  const { refs, byId, rootRef } = assignRefs(inv);
  const { groups, dropped } = groupEdges(inv.edges, byId, rootRef);
  const spdxIds = new Map<string, string>([[rootRef, 'SPDXRef-RootPackage']]);
  refs.forEach((ref, i) => spdxIds.set(ref, `SPDXRef-Package-${i + 1}-${idPart(inv.packages[i]!.name)}`));
  const notes = dropped > 0 ? [`warning: ${dropped} dependency edge(s) name a package that is not in the inventory; left out`] : [];
  const name = inv.source.name || 'unnamed';
  const head = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name,
    documentNamespace: `https://spdx.org/spdxdocs/vigil-${idPart(name)}-${o.uuid}`,
    creationInfo: { created, creators: [annotator] },
    annotations: documentProperties(inv, notes).map(([n, v]) => annotation(`${n}=${v}`)),
  };
  const root = {
    SPDXID: 'SPDXRef-RootPackage',
    name,
    versionInfo: inv.source.version || undefined,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    primaryPackagePurpose: inv.source.kind === 'image' ? 'CONTAINER' : undefined,
  };
  const out = new Chunker(o.chunkChars);
  const licenseRefs = new LicenseRefs();
  let chunk = out.push(`${JSON.stringify(head).slice(0, -1)},\n"packages":[\n${JSON.stringify(root)}`);
  if (chunk) yield chunk;
  for (let i = 0; i < inv.packages.length; i++) {
    const pkg = inv.packages[i]!;
    chunk = out.push(`,\n${JSON.stringify(spdxPackage(pkg, spdxIds.get(refs[i]!)!, licenseRefs, annotation))}`);
    if (chunk) yield chunk;
  }
  chunk = out.push(`\n],\n"relationships":[\n${JSON.stringify({ spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: 'SPDXRef-RootPackage' })}`);
  if (chunk) yield chunk;
  for (const [from, tos] of groups) {
    const spdxElementId = spdxIds.get(from)!;
    for (const to of tos) {
      chunk = out.push(`,\n${JSON.stringify({ spdxElementId, relationshipType: 'DEPENDS_ON', relatedSpdxElement: spdxIds.get(to)! })}`);
      if (chunk) yield chunk;
    }
  }
  const extracted = [...licenseRefs.extracted].map(([licenseId, text]) => ({ licenseId, name: text, extractedText: text }));
  chunk = out.finish(`\n]${extracted.length > 0 ? `,\n"hasExtractedLicensingInfos":${JSON.stringify(extracted)}` : ''}}\n`);
  if (chunk) yield chunk;
}

function spdxPackage(pkg: Package, spdxId: string, licenseRefs: LicenseRefs, annotation: (comment: string) => Annotation): Record<string, unknown> {
  const externalRefs: { referenceCategory: string; referenceType: string; referenceLocator: string }[] = [];
  if (pkg.purl) externalRefs.push({ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: pkg.purl });
  const cpe = pkg.properties?.[PROP.cpe];
  if (cpe) externalRefs.push({ referenceCategory: 'SECURITY', referenceType: cpe.startsWith('cpe:2.3:') ? 'cpe23Type' : 'cpe22Type', referenceLocator: cpe });
  const props = Object.fromEntries(packageProperties(pkg));
  const type = pkg.properties?.[PROP.componentType] ?? 'library';
  return {
    SPDXID: spdxId,
    name: pkg.name || pkg.purl,
    versionInfo: pkg.version || undefined,
    downloadLocation: 'NOASSERTION',
    filesAnalyzed: false,
    licenseConcluded: 'NOASSERTION',
    licenseDeclared: licenseRefs.expression(pkg.licenses),
    copyrightText: 'NOASSERTION',
    checksums: checksums(pkg.hashes),
    externalRefs: externalRefs.length > 0 ? externalRefs : undefined,
    primaryPackagePurpose: PURPOSES[type],
    annotations: Object.keys(props).length > 0 ? [annotation(`${PROPERTIES_ANNOTATION}${JSON.stringify(props)}`)] : undefined,
  };
}
