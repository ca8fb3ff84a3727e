/**
 * `readSbom(name, bytes)`: an SBOM file → Inventory (source.kind 'sbom'). Detects the format
 * on content (./detect.ts), parses it with the guards of ../json.ts (size, nesting and UTF-8
 * checks; fast-xml-parser without entities; the hand-written tag-value reader), validates it
 * against the official schema of its version and maps it. Never throws for bad input: a
 * document that cannot be read, or fails validation, gives one error problem (with the schema
 * path, the JSON pointer and the message of the first few errors) and no packages.
 */
import { readJsonBytes } from '../json.js';
import { LineIndex } from '../lines.js';
import type { Inventory, Location } from '../model.js';
import { detectSbom, HEAD_BYTES, type SbomFormat } from './detect.js';
import { forwardFinder, jsonLineFinder, mapCycloneDx } from './cyclonedx/read.js';
import { cycloneDxXmlToJson } from './cyclonedx/xml.js';
import { mapSpdx } from './spdx/read.js';
import { spdxVersionOf, validateSpdx } from './spdx/schema.js';
import { parseTagValue } from './spdx/tag-value.js';
import { CYCLONEDX_VERSIONS, formatSchemaErrors, isCycloneDxVersion, validateCycloneDx, type SchemaError } from './validate.js';

export interface SbomReadOptions {
  /** Largest document accepted, in bytes (default 256 MiB). */
  readonly maxBytes?: number;
  /** Deepest JSON nesting accepted (default 200). */
  readonly maxDepth?: number;
}

const DEFAULTS = { maxBytes: 256 * 1024 * 1024, maxDepth: 200 };

/** Reader ids, as problems and `files[].reader` name them. */
export const SBOM_READER: Readonly<Record<SbomFormat, string>> = {
  'cyclonedx-json': 'cyclonedx-json',
  'cyclonedx-xml': 'cyclonedx-xml',
  'spdx-json': 'spdx-json',
  'spdx-tag-value': 'spdx-tag-value',
};

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(bytes: Uint8Array): string | undefined {
  try {
    const text = utf8.decode(bytes);
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

/** An inventory holding only one error: the document could not be read. */
export function failedSbom(name: string, reader: string, message: string, line?: number): Inventory {
  const location: Location = { file: name, line };
  return {
    source: { kind: 'sbom', name },
    packages: [],
    edges: [],
    problems: [{ location, reader, message, severity: 'error' }],
    files: [{ path: name, reader, packages: 0 }],
  };
}

export function readSbom(name: string, bytes: Uint8Array, options: SbomReadOptions = {}): Inventory {
  const limits = { ...DEFAULTS, ...options };
  const detection = detectSbom(name, bytes.subarray(0, HEAD_BYTES));
  if (detection === undefined) return failedSbom(name, 'sbom', 'not an SBOM: no CycloneDX or SPDX markers found at the start of the file');
  if ('unsupported' in detection) return failedSbom(name, 'sbom', detection.reason);
  const reader = SBOM_READER[detection.format];
  if (bytes.length > limits.maxBytes) return failedSbom(name, reader, `document is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit`);
  switch (detection.format) {
    case 'cyclonedx-json':
      return readCycloneDxJson(name, bytes, limits);
    case 'cyclonedx-xml':
      return readCycloneDxXml(name, bytes, reader);
    case 'spdx-json':
      return readSpdxJson(name, bytes, limits);
    case 'spdx-tag-value':
      return readSpdxTagValue(name, bytes, reader);
  }
}

function invalid(kind: string, errors: readonly SchemaError[]): string {
  return `${kind} document does not match its schema: ${formatSchemaErrors(errors)}`;
}

function readCycloneDxJson(name: string, bytes: Uint8Array, limits: typeof DEFAULTS): Inventory {
  const reader = SBOM_READER['cyclonedx-json'];
  const parsed = readJsonBytes(bytes, limits);
  if (!parsed.ok) return failedSbom(name, reader, parsed.problem.reason);
  const { value: doc, text } = parsed;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return failedSbom(name, reader, 'a CycloneDX document is a JSON object');
  const { bomFormat, specVersion } = doc as Record<string, unknown>;
  if (bomFormat !== 'CycloneDX') return failedSbom(name, reader, `not a CycloneDX document: bomFormat is ${JSON.stringify(bomFormat)}`);
  if (!isCycloneDxVersion(specVersion)) return failedSbom(name, reader, `unsupported CycloneDX spec version ${JSON.stringify(specVersion)} (supported: ${CYCLONEDX_VERSIONS.join(', ')})`);
  const errors = validateCycloneDx(specVersion, doc);
  if (errors.length > 0) return failedSbom(name, reader, invalid(`CycloneDX ${specVersion}`, errors));
  const lines = new LineIndex(text);
  return mapCycloneDx(doc, name, reader, jsonLineFinder((needle, from) => lines.find(needle, from)));
}

function readCycloneDxXml(name: string, bytes: Uint8Array, reader: string): Inventory {
  const text = decode(bytes);
  if (text === undefined) return failedSbom(name, reader, 'input is not valid UTF-8');
  const xml = cycloneDxXmlToJson(text);
  if (!xml.ok) return failedSbom(name, reader, xml.column === undefined ? xml.message : `${xml.message} (column ${xml.column})`, xml.line);
  const errors = validateCycloneDx(xml.version, xml.doc);
  if (errors.length > 0) return failedSbom(name, reader, invalid(`CycloneDX ${xml.version} XML (mapped to JSON)`, errors), xml.lineOfPointer(errors[0]!.pointer));
  return mapCycloneDx(xml.doc, name, reader, (c) => xml.lineOfComponent(c));
}

function readSpdxJson(name: string, bytes: Uint8Array, limits: typeof DEFAULTS): Inventory {
  const reader = SBOM_READER['spdx-json'];
  const parsed = readJsonBytes(bytes, limits);
  if (!parsed.ok) return failedSbom(name, reader, parsed.problem.reason);
  const { value: doc, text } = parsed;
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return failedSbom(name, reader, 'an SPDX document is a JSON object');
  const declared = (doc as Record<string, unknown>)['spdxVersion'];
  const version = spdxVersionOf(declared);
  if (!version) return failedSbom(name, reader, `unsupported SPDX version ${JSON.stringify(declared)} (supported: SPDX-2.2, SPDX-2.3)`);
  const valid = validateSpdx(version, doc);
  if (!valid.ok) return failedSbom(name, reader, invalid(`SPDX ${version}`, valid.errors));
  const lines = new LineIndex(text);
  // Package SPDXIDs, searched from the "packages" key (documentDescribes names them earlier).
  const packagesAt = Math.max(0, text.indexOf('"packages"'));
  const find = forwardFinder((needle, from) => lines.find(needle, Math.max(from, packagesAt)));
  return mapSpdx(valid.doc, name, reader, (i) => find(valid.doc.packages?.[i]?.SPDXID));
}

function readSpdxTagValue(name: string, bytes: Uint8Array, reader: string): Inventory {
  const text = decode(bytes);
  if (text === undefined) return failedSbom(name, reader, 'input is not valid UTF-8');
  const tv = parseTagValue(text);
  if (!tv.ok) return failedSbom(name, reader, `line ${tv.line}, column ${tv.column}: ${tv.message}`, tv.line);
  const declared = tv.doc['spdxVersion'];
  const version = spdxVersionOf(declared);
  if (!version) return failedSbom(name, reader, `unsupported SPDX version ${JSON.stringify(declared)} (supported: SPDX-2.2, SPDX-2.3)`, tv.positionOf('/spdxVersion').line);
  const valid = validateSpdx(version, tv.doc);
  if (!valid.ok) {
    const where = tv.positionOf(valid.errors[0]!.pointer);
    return failedSbom(name, reader, `line ${where.line}, column ${where.column}: ${invalid(`SPDX ${version} tag-value`, valid.errors)}`, where.line);
  }
  const inv = mapSpdx(valid.doc, name, reader, (i) => tv.positionOf(`/packages/${i}`).line);
  const warnings = tv.warnings.map((w) => ({ location: { file: name, line: w.line }, reader, message: `line ${w.line}, column ${w.column}: ${w.message}`, severity: 'warning' as const }));
  return warnings.length === 0 ? inv : { ...inv, problems: [...warnings, ...inv.problems] };
}
