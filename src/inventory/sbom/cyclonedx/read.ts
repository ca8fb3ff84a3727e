/**
 * CycloneDX 1.2–1.7 document → Inventory. The input is a parsed JSON document (or an XML
 * document mapped to the JSON shape by ./xml.ts) that has already been validated against the
 * official JSON schema of its version, so the shapes below are trusted; the mapping is ours
 * (the CycloneDX library serialises models but does not parse documents).
 *
 * Components are flattened (nested ones keep their parent as a `vigil:parent` property), the
 * main component (`metadata.component`) is the graph root, `dependencies` become edges.
 */
import type { Hash, Inventory, Scope } from '../../model.js';
import { SbomInventoryBuilder } from '../build.js';
import { PROP } from '../properties.js';

interface CdxLicenseChoice {
  readonly license?: { readonly id?: string; readonly name?: string };
  readonly expression?: string;
}

export interface CdxComponent {
  readonly type?: string;
  readonly 'bom-ref'?: string;
  readonly name?: string;
  readonly group?: string;
  readonly version?: string;
  readonly purl?: string;
  readonly cpe?: string;
  readonly scope?: string;
  readonly hashes?: readonly { readonly alg: string; readonly content: string }[];
  readonly licenses?: readonly CdxLicenseChoice[];
  readonly properties?: readonly { readonly name: string; readonly value?: string }[];
  readonly components?: readonly CdxComponent[];
}

export interface CdxBom {
  readonly bomFormat?: string;
  readonly specVersion?: string;
  readonly metadata?: { readonly component?: CdxComponent };
  readonly components?: readonly CdxComponent[];
  readonly dependencies?: readonly { readonly ref: string; readonly dependsOn?: readonly string[] }[];
}

/** Where a component starts in the source text (1-based line), when the reader can tell. */
export type LineOf = (component: CdxComponent, pointer: string) => number | undefined;

const SCOPES: Readonly<Record<string, Scope>> = { required: 'prod', optional: 'optional', excluded: 'dev' };

export function licensesOf(choices: readonly CdxLicenseChoice[] | undefined): string[] {
  const out: string[] = [];
  for (const c of choices ?? []) {
    const value = c.expression ?? c.license?.id ?? c.license?.name;
    if (value) out.push(value);
  }
  return out;
}

function propertiesOf(c: CdxComponent): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of c.properties ?? []) {
    const value = p.value ?? '';
    out[p.name] = Object.hasOwn(out, p.name) ? `${out[p.name]}\n${value}` : value;
  }
  if (c.type !== undefined && c.type !== 'library') out[PROP.componentType] = c.type;
  return out;
}

/** Maps a validated CycloneDX document. `file` names it in locations and problems. */
export function mapCycloneDx(bom: CdxBom, file: string, reader: string, lineOf: LineOf): Inventory {
  const b = new SbomInventoryBuilder(file, reader);

  const visit = (c: CdxComponent, pointer: string, main: boolean, parentId: string | undefined): void => {
    const hashes: Hash[] = (c.hashes ?? []).map((h) => ({ alg: h.alg, content: h.content }));
    const scope = c.scope === undefined ? undefined : SCOPES[c.scope];
    const id = b.add({
      ref: c['bom-ref'],
      name: c.name ?? '',
      group: c.group || undefined,
      version: c.version ?? '',
      purl: c.purl,
      cpe: c.cpe,
      licenses: licensesOf(c.licenses),
      hashes,
      scope,
      groups: c.scope === undefined ? undefined : [c.scope],
      properties: propertiesOf(c),
      line: lineOf(c, pointer),
      where: pointer,
      main,
      parentId,
    });
    (c.components ?? []).forEach((child, i) => visit(child, `${pointer}/components/${i}`, false, id ?? parentId));
  };

  if (bom.metadata?.component) visit(bom.metadata.component, '/metadata/component', true, undefined);
  (bom.components ?? []).forEach((c, i) => visit(c, `/components/${i}`, false, undefined));
  (bom.dependencies ?? []).forEach((d, i) => {
    for (const to of d.dependsOn ?? []) b.edge(d.ref, to, `/dependencies/${i}`);
  });
  return b.finish(file);
}

/**
 * Line finder for JSON text: elements are visited in document order, so a cursor that moves
 * forward to the next occurrence of a distinctive string of each (as JSON text) finds them in
 * one pass over the text. A miss (the document escapes the string differently) scans to the
 * end, so after a few misses the finder gives up rather than turn quadratic.
 */
export function forwardFinder(lineAt: (needle: string, from: number) => { line: number; offset: number } | undefined, maxMisses = 8): (value: string | undefined) => number | undefined {
  let cursor = 0;
  let misses = 0;
  return (value) => {
    if (value === undefined || misses >= maxMisses) return undefined;
    const hit = lineAt(JSON.stringify(value), cursor);
    if (!hit) {
      misses++;
      return undefined;
    }
    cursor = hit.offset + 1;
    return hit.line;
  };
}

/** Component lines in CycloneDX JSON text, found by their names. */
export function jsonLineFinder(lineAt: (needle: string, from: number) => { line: number; offset: number } | undefined): LineOf {
  const find = forwardFinder(lineAt);
  return (c) => find(c.name);
}

