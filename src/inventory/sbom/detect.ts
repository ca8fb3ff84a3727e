/**
 * Which SBOM format a file holds, decided on its content (the first few KiB are enough): the
 * file name only says that a file *should* be an SBOM, so that a file named like one but
 * holding something else is reported rather than skipped.
 */

export type SbomFormat = 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json' | 'spdx-tag-value';

/** Recognised, but not read: refused with a clear message. */
export type UnsupportedSbomFormat = 'spdx-yaml' | 'spdx-rdf' | 'spdx-3-jsonld' | 'unrecognised-sbom-name';

export type Detection = { readonly format: SbomFormat } | { readonly unsupported: UnsupportedSbomFormat; readonly reason: string };

/** How much of the file detection looks at. */
export const HEAD_BYTES = 64 * 1024;

const CDX_JSON = /"bomFormat"\s*:\s*"CycloneDX"|"\$schema"\s*:\s*"https?:\/\/cyclonedx\.org\/schema\/bom-/;
const SPDX_JSON = /"spdxVersion"\s*:\s*"SPDX-|"SPDXID"\s*:\s*"SPDXRef-DOCUMENT"/;
const SPDX3_JSONLD = /"@context"\s*:\s*"https?:\/\/spdx\.org\/rdf\/3\./;
const CDX_XML_NS = /xmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/\d/;
const SPDX_RDF = /xmlns(?::[A-Za-z_][\w.-]*)?\s*=\s*["']http:\/\/spdx\.org\/rdf\/terms/;
const SPDX_TAG_VALUE = /^SPDXVersion:[ \t]*SPDX-/m;
const SPDX_YAML = /^["']?spdxVersion["']?[ \t]*:[ \t]*["']?SPDX-/m;

/** File names that CycloneDX and SPDX recommend (https://cyclonedx.org/specification/overview/#recognized-file-patterns, SPDX 2.3 annex). */
const SBOM_NAME = /(?:^|[./_-])(?:bom|cdx)\.(?:json|xml)$|\.spdx(?:\.json|\.ya?ml|\.rdf(?:\.xml)?)?$/i;

export function looksLikeSbomName(name: string): boolean {
  const base = name.slice(name.lastIndexOf('/') + 1);
  return SBOM_NAME.test(base);
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** The format of an SBOM, from its name and the start of its content; undefined when it is not one. */
export function detectSbom(name: string, head: string | Uint8Array): Detection | undefined {
  let text = typeof head === 'string' ? head : decoder.decode(head.subarray(0, HEAD_BYTES));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.slice(0, HEAD_BYTES);
  const start = text.trimStart();
  if (start.startsWith('{')) {
    if (CDX_JSON.test(text)) return { format: 'cyclonedx-json' };
    if (SPDX_JSON.test(text)) return { format: 'spdx-json' };
    if (SPDX3_JSONLD.test(text)) return { unsupported: 'spdx-3-jsonld', reason: 'SPDX 3.0 JSON-LD documents are not supported (SPDX 2.2 and 2.3 are)' };
  } else if (start.startsWith('<')) {
    if (CDX_XML_NS.test(text)) return { format: 'cyclonedx-xml' };
    if (SPDX_RDF.test(text)) return { unsupported: 'spdx-rdf', reason: 'SPDX RDF/XML documents are not supported (SPDX JSON and tag-value are)' };
  } else {
    if (SPDX_TAG_VALUE.test(text)) return { format: 'spdx-tag-value' };
    if (SPDX_YAML.test(text)) return { unsupported: 'spdx-yaml', reason: 'SPDX YAML documents are not supported (SPDX JSON and tag-value are)' };
  }
  if (looksLikeSbomName(name)) return { unsupported: 'unrecognised-sbom-name', reason: 'named like an SBOM, but the content is not CycloneDX (JSON or XML) or SPDX (JSON or tag-value)' };
  return undefined;
}

/** Whether the file is an SBOM (including ones in a form we refuse, so they are reported). */
export function isSbom(name: string, head: string | Uint8Array): boolean {
  return detectSbom(name, head) !== undefined;
}
