import type { LayerRef, Package, Scope } from '../model.js';

/**
 * The `vigil:` property names that carry model fields CycloneDX and SPDX have no place for,
 * so that an SBOM written by Vigil reads back into the same packages. One list, shared by the
 * readers and the writers.
 */
export const PROP = {
  ecosystem: 'vigil:ecosystem',
  scope: 'vigil:scope',
  groups: 'vigil:groups',
  commit: 'vigil:commit',
  sourceName: 'vigil:source-name',
  sourceVersion: 'vigil:source-version',
  layer: 'vigil:layer',
  location: 'vigil:location',
  cpe: 'vigil:cpe',
  parent: 'vigil:parent',
  componentType: 'vigil:component-type',
  main: 'vigil:main-component',
  invalidPurl: 'vigil:invalid-purl',
  problem: 'vigil:problem',
  file: 'vigil:file',
  sourceKind: 'vigil:source-kind',
  os: 'vigil:os',
} as const;

/** SPDX has no properties: Vigil writes them as annotations by this annotator, in one comment per element. */
export const VIGIL_ANNOTATOR_PREFIX = 'Tool: Vigil';
export const PROPERTIES_ANNOTATION = 'vigil:properties=';

const SCOPES: ReadonlySet<string> = new Set<Scope>(['prod', 'dev', 'optional', 'peer', 'test']);

/** Model fields restored from `vigil:` properties, and the properties left over. */
export interface RestoredFields {
  ecosystem?: string;
  scope?: Scope;
  groups?: string[];
  commit?: string;
  sourceName?: string;
  sourceVersion?: string;
  layer?: LayerRef;
  properties: Record<string, string>;
}

/** Takes the model's own `vigil:` properties out of `props` (which it does not modify). */
export function restoreFields(props: Readonly<Record<string, string>>): RestoredFields {
  const out: RestoredFields = { properties: {} };
  for (const [name, value] of Object.entries(props)) {
    switch (name) {
      case PROP.ecosystem:
        out.ecosystem = value;
        break;
      case PROP.scope:
        if (SCOPES.has(value)) out.scope = value as Scope;
        else out.properties[name] = value;
        break;
      case PROP.groups: {
        const groups = parseStringArray(value);
        if (groups) out.groups = groups;
        else out.properties[name] = value;
        break;
      }
      case PROP.commit:
        out.commit = value;
        break;
      case PROP.sourceName:
        out.sourceName = value;
        break;
      case PROP.sourceVersion:
        out.sourceVersion = value;
        break;
      case PROP.layer: {
        const layer = parseLayer(value);
        if (layer) out.layer = layer;
        else out.properties[name] = value;
        break;
      }
      default:
        out.properties[name] = value;
    }
  }
  return out;
}

function parseJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function parseStringArray(value: string): string[] | undefined {
  const v = parseJson(value);
  return Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v) : undefined;
}

function parseLayer(value: string): LayerRef | undefined {
  const v = parseJson(value);
  if (typeof v !== 'object' || v === null) return undefined;
  const { digest, index, createdBy } = v as Record<string, unknown>;
  if (typeof digest !== 'string' || typeof index !== 'number' || !Number.isInteger(index)) return undefined;
  return { digest, index, createdBy: typeof createdBy === 'string' ? createdBy : undefined };
}

/**
 * The properties to write for a package: its model fields that the SBOM format cannot hold,
 * then its own properties (a package's own `vigil:` property of the same name loses).
 * `vigil:cpe` is left out: the writers put it in the format's own field.
 */
export function packageProperties(pkg: Package): [string, string][] {
  const out: [string, string][] = [];
  const own = new Set<string>();
  const add = (name: string, value: string | undefined): void => {
    if (value === undefined || value === '') return;
    out.push([name, value]);
    own.add(name);
  };
  add(PROP.ecosystem, pkg.ecosystem);
  add(PROP.scope, pkg.scope);
  if (pkg.groups && pkg.groups.length > 0) add(PROP.groups, JSON.stringify(pkg.groups));
  add(PROP.commit, pkg.commit);
  add(PROP.sourceName, pkg.sourceName);
  add(PROP.sourceVersion, pkg.sourceVersion);
  if (pkg.layer) add(PROP.layer, JSON.stringify({ digest: pkg.layer.digest, index: pkg.layer.index, createdBy: pkg.layer.createdBy }));
  const line = pkg.location.line === undefined ? '' : `:${pkg.location.line}`;
  // A location kept from an earlier SBOM (the lockfile it came from) is worth more than the SBOM's own path.
  if (pkg.location.file && pkg.properties?.[PROP.location] === undefined) add(PROP.location, `${pkg.location.file}${line}`);
  for (const [name, value] of Object.entries(pkg.properties ?? {})) {
    if (name === PROP.cpe || own.has(name)) continue;
    out.push([name, value]);
  }
  return out;
}
