/**
 * SPDX 2.2 / 2.3 JSON document validator, written in zod because no npm package ships the
 * official SPDX 2.x JSON schemas. It mirrors them keyword for keyword (both use only `type`,
 * `enum`, `required`, `additionalProperties: false`, `minItems`); spdx/schema.test.ts checks
 * it against the official files (in ../shared/data/sbom/spdx/schema) with ajv on the
 * conformance documents and on mutations of them.
 *
 * Differences between the versions, as in the official files: 2.3 requires
 * `documentNamespace`, allows a top-level `$schema`, and allows `PERSISTENT_ID` /
 * `PACKAGE_MANAGER` as reference categories. One deliberate deviation: the 2.2 validator also
 * accepts those two underscore spellings, which the official 2.2 example itself uses (it fails
 * the official 2.2 schema on exactly that, which is why 2.3 added them).
 */
import { z } from 'zod';
import type { SchemaError } from '../validate.js';

const CHECKSUM_ALGORITHMS = ['SHA1', 'BLAKE3', 'SHA3-384', 'SHA256', 'SHA384', 'BLAKE2b-512', 'BLAKE2b-256', 'SHA3-512', 'MD2', 'ADLER32', 'MD4', 'SHA3-256', 'BLAKE2b-384', 'SHA512', 'MD6', 'MD5', 'SHA224'] as const;

const RELATIONSHIP_TYPES = [
  'VARIANT_OF', 'COPY_OF', 'PATCH_FOR', 'TEST_DEPENDENCY_OF', 'CONTAINED_BY', 'DATA_FILE_OF', 'OPTIONAL_COMPONENT_OF', 'ANCESTOR_OF', 'GENERATES',
  'CONTAINS', 'OPTIONAL_DEPENDENCY_OF', 'FILE_ADDED', 'REQUIREMENT_DESCRIPTION_FOR', 'DEV_DEPENDENCY_OF', 'DEPENDENCY_OF', 'BUILD_DEPENDENCY_OF',
  'DESCRIBES', 'PREREQUISITE_FOR', 'HAS_PREREQUISITE', 'PROVIDED_DEPENDENCY_OF', 'DYNAMIC_LINK', 'DESCRIBED_BY', 'METAFILE_OF', 'DEPENDENCY_MANIFEST_OF',
  'PATCH_APPLIED', 'RUNTIME_DEPENDENCY_OF', 'TEST_OF', 'TEST_TOOL_OF', 'DEPENDS_ON', 'SPECIFICATION_FOR', 'FILE_MODIFIED', 'DISTRIBUTION_ARTIFACT', 'AMENDS',
  'DOCUMENTATION_OF', 'GENERATED_FROM', 'STATIC_LINK', 'OTHER', 'BUILD_TOOL_OF', 'TEST_CASE_OF', 'PACKAGE_OF', 'DESCENDANT_OF', 'FILE_DELETED',
  'EXPANDED_FROM_ARCHIVE', 'DEV_TOOL_OF', 'EXAMPLE_OF',
] as const;
export type RelationshipType = (typeof RELATIONSHIP_TYPES)[number];

const PURPOSES = ['OTHER', 'INSTALL', 'ARCHIVE', 'FIRMWARE', 'APPLICATION', 'FRAMEWORK', 'LIBRARY', 'CONTAINER', 'SOURCE', 'DEVICE', 'OPERATING_SYSTEM', 'FILE'] as const;
const FILE_TYPES = ['OTHER', 'DOCUMENTATION', 'IMAGE', 'VIDEO', 'ARCHIVE', 'SPDX', 'APPLICATION', 'SOURCE', 'BINARY', 'TEXT', 'AUDIO'] as const;
const REFERENCE_CATEGORIES = ['OTHER', 'PERSISTENT-ID', 'PERSISTENT_ID', 'SECURITY', 'PACKAGE-MANAGER', 'PACKAGE_MANAGER'] as const;

const str = z.string();
const strings = z.array(str);
const annotation = z.strictObject({ annotationDate: str, annotationType: z.enum(['OTHER', 'REVIEW']), annotator: str, comment: str });
const annotations = z.array(annotation);
const checksum = z.strictObject({ algorithm: z.enum(CHECKSUM_ALGORITHMS), checksumValue: str });
const pointer = z.strictObject({ reference: str, offset: z.int().optional(), lineNumber: z.int().optional() });

function spdxSchema(v: '2.2' | '2.3') {
  const packageFields = {
    SPDXID: str,
    annotations: annotations.optional(),
    attributionTexts: strings.optional(),
    builtDate: str.optional(),
    checksums: z.array(checksum).optional(),
    comment: str.optional(),
    copyrightText: str.optional(),
    description: str.optional(),
    downloadLocation: str,
    externalRefs: z
      .array(z.strictObject({ comment: str.optional(), referenceCategory: z.enum(REFERENCE_CATEGORIES), referenceLocator: str, referenceType: str }))
      .optional(),
    filesAnalyzed: z.boolean().optional(),
    hasFiles: strings.optional(),
    homepage: str.optional(),
    licenseComments: str.optional(),
    licenseConcluded: str.optional(),
    licenseDeclared: str.optional(),
    licenseInfoFromFiles: strings.optional(),
    name: str,
    originator: str.optional(),
    packageFileName: str.optional(),
    packageVerificationCode: z.strictObject({ packageVerificationCodeExcludedFiles: strings.optional(), packageVerificationCodeValue: str }).optional(),
    primaryPackagePurpose: z.enum(PURPOSES).optional(),
    releaseDate: str.optional(),
    sourceInfo: str.optional(),
    summary: str.optional(),
    supplier: str.optional(),
    validUntilDate: str.optional(),
    versionInfo: str.optional(),
  };
  return z.strictObject({
    ...(v === '2.3' ? { $schema: str.optional() } : {}),
    SPDXID: str,
    annotations: annotations.optional(),
    comment: str.optional(),
    creationInfo: z.strictObject({ comment: str.optional(), created: str, creators: strings.min(1), licenseListVersion: str.optional() }),
    dataLicense: str,
    externalDocumentRefs: z.array(z.strictObject({ checksum, externalDocumentId: str, spdxDocument: str })).optional(),
    hasExtractedLicensingInfos: z
      .array(
        z.strictObject({
          comment: str.optional(),
          crossRefs: z
            .array(
              z.strictObject({
                isLive: z.boolean().optional(),
                isValid: z.boolean().optional(),
                isWayBackLink: z.boolean().optional(),
                match: str.optional(),
                order: z.int().optional(),
                timestamp: str.optional(),
                url: str,
              }),
            )
            .optional(),
          extractedText: str,
          licenseId: str,
          name: str.optional(),
          seeAlsos: strings.optional(),
        }),
      )
      .optional(),
    name: str,
    revieweds: z.array(z.strictObject({ comment: str.optional(), reviewDate: str, reviewer: str.optional() })).optional(),
    spdxVersion: str,
    documentNamespace: v === '2.3' ? str : str.optional(),
    documentDescribes: strings.optional(),
    packages: z.array(z.strictObject(packageFields)).optional(),
    files: z
      .array(
        z.strictObject({
          SPDXID: str,
          annotations: annotations.optional(),
          artifactOfs: z.array(z.record(z.string(), z.unknown())).optional(),
          attributionTexts: strings.optional(),
          checksums: z.array(checksum).min(1),
          comment: str.optional(),
          copyrightText: str.optional(),
          fileContributors: strings.optional(),
          fileDependencies: strings.optional(),
          fileName: str,
          fileTypes: z.array(z.enum(FILE_TYPES)).optional(),
          licenseComments: str.optional(),
          licenseConcluded: str.optional(),
          licenseInfoInFiles: strings.optional(),
          noticeText: str.optional(),
        }),
      )
      .optional(),
    snippets: z
      .array(
        z.strictObject({
          SPDXID: str,
          annotations: annotations.optional(),
          attributionTexts: strings.optional(),
          comment: str.optional(),
          copyrightText: str.optional(),
          licenseComments: str.optional(),
          licenseConcluded: str.optional(),
          licenseInfoInSnippets: strings.optional(),
          name: str,
          ranges: z.array(z.strictObject({ endPointer: pointer, startPointer: pointer })).min(1),
          snippetFromFile: str,
        }),
      )
      .optional(),
    relationships: z
      .array(z.strictObject({ spdxElementId: str, comment: str.optional(), relatedSpdxElement: str, relationshipType: z.enum(RELATIONSHIP_TYPES) }))
      .optional(),
  });
}

const SCHEMAS = { '2.2': spdxSchema('2.2'), '2.3': spdxSchema('2.3') } as const;

export type SpdxVersion = keyof typeof SCHEMAS;
export type SpdxDocument = z.infer<(typeof SCHEMAS)['2.2']>;
export type SpdxPackage = NonNullable<SpdxDocument['packages']>[number];

/** `SPDX-2.3` → '2.3'; undefined for versions we do not read. */
export function spdxVersionOf(value: unknown): SpdxVersion | undefined {
  return value === 'SPDX-2.2' ? '2.2' : value === 'SPDX-2.3' ? '2.3' : undefined;
}

export type SpdxValidation = { readonly ok: true; readonly doc: SpdxDocument } | { readonly ok: false; readonly errors: readonly SchemaError[] };

export function validateSpdx(version: SpdxVersion, doc: unknown): SpdxValidation {
  const r = SCHEMAS[version].safeParse(doc);
  if (r.success) return { ok: true, doc: r.data };
  return { ok: false, errors: r.error.issues.map((i) => toSchemaError(i, doc)) };
}

/**
 * A zod issue in the terms of the official JSON schema: its path becomes the JSON pointer,
 * and the schema path is rebuilt from it (`items` for array indices, `properties/<key>` for
 * keys) plus the keyword that failed, as ajv would report it.
 */
function toSchemaError(issue: z.core.$ZodIssue, doc: unknown): SchemaError {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const schema: string[] = ['#'];
  for (const seg of path) schema.push(typeof seg === 'number' ? 'items' : `properties/${seg}`);
  const pointerOf = (segs: readonly (string | number)[]): string => segs.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
  switch (issue.code) {
    case 'invalid_type': {
      if (valueAt(doc, path) === undefined && path.length > 0) {
        const parent = path.slice(0, -1);
        const parentSchema = schema.slice(0, -1);
        return { schemaPath: [...parentSchema, 'required'].join('/'), pointer: pointerOf(parent), message: `must have required property '${String(path.at(-1))}'` };
      }
      return { schemaPath: [...schema, 'type'].join('/'), pointer: pointerOf(path), message: `must be ${issue.expected}` };
    }
    case 'invalid_value':
      return { schemaPath: [...schema, 'enum'].join('/'), pointer: pointerOf(path), message: `must be equal to one of the allowed values: ${issue.values.slice(0, 8).map((x) => JSON.stringify(x)).join(', ')}` };
    case 'unrecognized_keys':
      return { schemaPath: [...schema, 'additionalProperties'].join('/'), pointer: pointerOf(path), message: `unexpected property ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` };
    case 'too_small':
      return { schemaPath: [...schema, 'minItems'].join('/'), pointer: pointerOf(path), message: `must NOT have fewer than ${String(issue.minimum)} items` };
    case 'custom':
    case 'invalid_element':
    case 'invalid_format':
    case 'invalid_key':
    case 'invalid_union':
    case 'not_multiple_of':
    case 'too_big':
      // Not produced by this schema; kept generic.
      return { schemaPath: schema.join('/'), pointer: pointerOf(path), message: issue.message };
  }
}

function valueAt(doc: unknown, path: readonly (string | number)[]): unknown {
  let v = doc;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}
