import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * JSON Schema validation of SBOM documents against the official schemas. The CycloneDX
 * schemas (and the SPDX licence-id and JSF schemas they reference) come from the
 * `@cyclonedx/cyclonedx-library` npm package, which ships them under `res/schema/`, so the
 * product needs no copy of its own. The library's own validator needs the optional
 * `ajv-formats-draft2019`; we compile the same files with ajv + ajv-formats and the same two
 * extra formats (`idn-email` loosely, `iri-reference` accepted as the library does).
 *
 * Those files are the library's "SNAPSHOT" copies of the official schemas: identical but for
 * their `$ref` file names, `$schema` no longer pinned to one URL, and 1.4's top-level
 * `version` not required. The conformance test compares them with the official files.
 */

/** One schema violation: where in the schema, where in the document, and what. */
export interface SchemaError {
  readonly schemaPath: string;
  /** JSON pointer into the document ('' is the whole document). */
  readonly pointer: string;
  readonly message: string;
}

/** The first few errors as one line: `/components/0/type: must be … (schema #/…)`. */
export function formatSchemaErrors(errors: readonly SchemaError[], max = 3): string {
  const shown = errors.slice(0, max).map((e) => `${e.pointer || '/'}: ${e.message} (schema ${e.schemaPath})`);
  const more = errors.length > max ? ` (+${errors.length - max} more)` : '';
  return shown.join('; ') + more;
}

export const CYCLONEDX_VERSIONS = ['1.2', '1.3', '1.4', '1.5', '1.6', '1.7'] as const;
export type CycloneDxVersion = (typeof CYCLONEDX_VERSIONS)[number];

export const isCycloneDxVersion = (v: unknown): v is CycloneDxVersion => typeof v === 'string' && (CYCLONEDX_VERSIONS as readonly string[]).includes(v);

const require = createRequire(import.meta.url);
// ajv-formats is CommonJS with `module.exports = formatsPlugin` and a `.default` alias.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as unknown as (ajv: Ajv) => Ajv;

let schemaDir: string | undefined;

/** The folder of the library's schema files, found through its (exported) package.json. */
export function cycloneDxSchemaDir(): string {
  schemaDir ??= join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  return schemaDir;
}

const readSchema = (file: string): AnySchema => linearUniqueItems(JSON.parse(readFileSync(join(cycloneDxSchemaDir(), file), 'utf8')));

/**
 * ajv checks `uniqueItems` by comparing every pair of items (deep equality), which takes
 * minutes on a 100,000-component document (CycloneDX 1.5+ marks `components`,
 * `dependencies` and most lists unique). The schemas are loaded with `uniqueItems: true`
 * renamed to the `linearUniqueItems` keyword below, which means the same (no two items deeply
 * equal, object key order ignored) in linear time: see {@link itemsUnique}.
 */
export function linearUniqueItems(schema: unknown): AnySchema {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === 'uniqueItems' && x === true) out['linearUniqueItems'] = true;
      else out[k] = walk(x);
    }
    return out;
  };
  return walk(schema) as AnySchema;
}

/** Deep equality of JSON values (object key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => jsonEqual(x, bb[i]));
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.hasOwn(b, k) && jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** JSON text with object keys sorted: equal for exactly the values jsonEqual calls equal. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, value: unknown) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) Object.defineProperty(sorted, k, { value: (value as Record<string, unknown>)[k], enumerable: true });
    return sorted;
  });
}

const PAIRWISE_MAX = 16;
/** Items of one bucket compared pair by pair before the bucket switches to canonical JSON text. */
const BUCKET_MAX = 16;
/** Members whose string value tells most objects of an SBOM list apart (any choice is correct: equal objects agree on all). */
const DISCRIMINATORS = ['bom-ref', 'ref', 'purl', 'SPDXID', 'name', 'id', 'url', 'content', 'value'];

/**
 * Where equal items always meet: a string item under '' by itself; an object under the first
 * discriminating member it has (a string), by that value; anything else under a kind of its
 * own by its JSON text (primitives) or by '' (arrays, objects without such a member). No new
 * string for strings and objects: the keys are strings the document already holds.
 */
function bucketOf(item: unknown): [group: string, key: string] {
  if (typeof item === 'string') return ['', item];
  if (typeof item !== 'object' || item === null) return ['#primitive', JSON.stringify(item)];
  if (Array.isArray(item)) return ['#array', typeof item[0] === 'string' ? item[0] : ''];
  for (const k of DISCRIMINATORS) {
    const v = (item as Record<string, unknown>)[k];
    if (typeof v === 'string' && Object.hasOwn(item, k)) return [k, v];
  }
  return ['#object', ''];
}

/**
 * Whether no two items are deeply equal (JSON Schema `uniqueItems`). Short arrays: pair by
 * pair. Long ones: items are grouped by {@link bucketOf} (equal items always share a
 * bucket) and compared within their bucket; a bucket that grows large (hostile input: many
 * items alike in every discriminating member) switches to a set of canonical JSON texts.
 * Linear in the size of the data either way.
 */
export function itemsUnique(data: readonly unknown[]): boolean {
  if (data.length <= PAIRWISE_MAX) {
    for (let i = 1; i < data.length; i++) for (let j = 0; j < i; j++) if (jsonEqual(data[i], data[j])) return false;
    return true;
  }
  const groups = new Map<string, Map<string, unknown[] | Set<string>>>();
  for (const item of data) {
    const [group, key] = bucketOf(item);
    let buckets = groups.get(group);
    if (buckets === undefined) groups.set(group, (buckets = new Map<string, unknown[] | Set<string>>()));
    const bucket = buckets.get(key);
    if (bucket === undefined) {
      buckets.set(key, [item]);
    } else if (Array.isArray(bucket)) {
      for (const other of bucket) if (jsonEqual(item, other)) return false;
      if (bucket.length < BUCKET_MAX) bucket.push(item);
      else buckets.set(key, new Set([...bucket, item].map(canonicalJson)));
    } else {
      const text = canonicalJson(item);
      if (bucket.has(text)) return false;
      bucket.add(text);
    }
  }
  return true;
}

function addLinearUniqueItems(ajv: Ajv): void {
  ajv.addKeyword({
    keyword: 'linearUniqueItems',
    type: 'array',
    schemaType: 'boolean',
    errors: false,
    validate: (enabled: boolean, data: unknown[]) => !enabled || itemsUnique(data),
  });
}

/** The Ajv class for a schema's `$schema` dialect (draft-07 unless it says 2019-09 or 2020-12). */
export function ajvFor(schema: unknown, options: ConstructorParameters<typeof Ajv>[0] = {}): Ajv {
  const declared = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>)['$schema'] : undefined;
  const dialect = typeof declared === 'string' ? declared : '';
  const opts = { strict: false, allErrors: false, ...options };
  const ajv = dialect.includes('2020-12') ? new Ajv2020(opts) : dialect.includes('2019-09') ? new Ajv2019(opts) : new Ajv(opts);
  addFormats(ajv);
  // Linear patterns only: these run on untrusted strings.
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addFormat('iri-reference', true);
  addLinearUniqueItems(ajv);
  return ajv;
}

let cdxAjv: Ajv | undefined;
const cdxValidators = new Map<CycloneDxVersion, ValidateFunction>();

function cycloneDxAjv(): Ajv {
  if (cdxAjv) return cdxAjv;
  const bom16 = readSchema('bom-1.6.SNAPSHOT.schema.json');
  const ajv = ajvFor(bom16);
  for (const [id, file] of [
    ['http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json', 'spdx.SNAPSHOT.schema.json'],
    ['http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'],
    ['http://cyclonedx.org/schema/cryptography-defs.SNAPSHOT.schema.json', 'cryptography-defs.SNAPSHOT.schema.json'],
  ] as const) {
    ajv.addSchema(readSchema(file), id);
  }
  cdxAjv = ajv;
  return ajv;
}

/** The compiled validator for one CycloneDX version (compiled once, on first use). */
function cycloneDxValidator(version: CycloneDxVersion): ValidateFunction {
  let v = cdxValidators.get(version);
  if (!v) {
    v = cycloneDxAjv().compile(readSchema(`bom-${version}.SNAPSHOT.schema.json`));
    cdxValidators.set(version, v);
  }
  return v;
}

export function toSchemaErrors(errors: readonly ErrorObject[] | null | undefined): SchemaError[] {
  return (errors ?? []).map((e) => ({ schemaPath: e.schemaPath, pointer: e.instancePath, message: describe(e) }));
}

function describe(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  if (e.keyword === 'enum' && Array.isArray(p['allowedValues'])) return `${e.message ?? 'invalid'}: ${(p['allowedValues'] as unknown[]).slice(0, 8).map((x) => JSON.stringify(x)).join(', ')}`;
  if (e.keyword === 'additionalProperties' && typeof p['additionalProperty'] === 'string') return `unexpected property ${JSON.stringify(p['additionalProperty'])}`;
  return e.message ?? e.keyword;
}

/** Validates a parsed CycloneDX JSON document (or an XML document mapped to the JSON shape). */
export function validateCycloneDx(version: CycloneDxVersion, doc: unknown): SchemaError[] {
  const validate = cycloneDxValidator(version);
  return validate(doc) ? [] : toSchemaErrors(validate.errors);
}
