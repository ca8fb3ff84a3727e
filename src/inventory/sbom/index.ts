/**
 * SBOMs in and out. In: CycloneDX 1.2–1.7 JSON and XML, SPDX 2.2 / 2.3 JSON and tag-value →
 * Inventory (`readSbom`), validated against the official schema of their version. Out:
 * Inventory → CycloneDX 1.6 JSON or XML, SPDX 2.3 JSON, as streams of text chunks.
 */
import type { Inventory } from '../model.js';
import type { SbomOutputFormat } from './formats.js';
import type { SbomWriteOptions } from './write/common.js';
import { cycloneDxJsonChunks, cycloneDxXmlChunks } from './write/cyclonedx.js';
import { spdxJsonChunks } from './write/spdx.js';

export { detectSbom, isSbom, looksLikeSbomName, HEAD_BYTES, type Detection, type SbomFormat } from './detect.js';
export { readSbom, SBOM_READER, type SbomReadOptions } from './read.js';
export { cycloneDxJsonChunks, cycloneDxXmlChunks } from './write/cyclonedx.js';
export { spdxJsonChunks } from './write/spdx.js';
export type { SbomWriteOptions } from './write/common.js';

export { SBOM_OUTPUT_FORMATS, type SbomOutputFormat } from './formats.js';

/** The chunks of an SBOM in the given output format (the CLI's `--format` names). */
export function sbomChunks(inv: Inventory, format: SbomOutputFormat, options?: SbomWriteOptions): Generator<string> {
  switch (format) {
    case 'cyclonedx':
      return cycloneDxJsonChunks(inv, options);
    case 'cyclonedx-xml':
      return cycloneDxXmlChunks(inv, options);
    case 'spdx':
      return spdxJsonChunks(inv, options);
  }
}

/** The whole SBOM as one string (small inventories and tests; stream the chunks otherwise). */
export function renderSbom(inv: Inventory, format: SbomOutputFormat, options?: SbomWriteOptions): string {
  let out = '';
  for (const chunk of sbomChunks(inv, format, options)) out += chunk;
  return out;
}
