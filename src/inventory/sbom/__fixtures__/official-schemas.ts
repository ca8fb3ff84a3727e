import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData } from '../../../../test/helpers/shared.js';
import { ajvFor } from '../validate.js';

/** Validators for the official schemas in ../shared/data/sbom, or undefined when the shared data is absent. */
export function officialValidators(): { cyclonedx16: (doc: unknown) => string | undefined; spdx23: (doc: unknown) => string | undefined } | undefined {
  const cdxDir = sharedData('sbom', 'cyclonedx', 'schema');
  const spdxDir = sharedData('sbom', 'spdx', 'schema');
  if (!cdxDir || !spdxDir) return undefined;
  const load = (dir: string, file: string): object => JSON.parse(readFileSync(join(dir, file), 'utf8')) as object;
  const bom = load(cdxDir, 'bom-1.6.schema.json');
  const ajv = ajvFor(bom);
  ajv.addSchema(load(cdxDir, 'spdx.schema.json'), 'http://cyclonedx.org/schema/spdx.schema.json');
  ajv.addSchema(load(cdxDir, 'jsf-0.82.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.schema.json');
  const cdx = ajv.compile(bom);
  const spdxSchema = load(spdxDir, 'spdx-schema-v2.3.json');
  const spdx = ajvFor(spdxSchema).compile(spdxSchema);
  const run = (v: typeof cdx) => (doc: unknown) => (v(doc) ? undefined : JSON.stringify(v.errors?.slice(0, 3)));
  return { cyclonedx16: run(cdx), spdx23: run(spdx) };
}
