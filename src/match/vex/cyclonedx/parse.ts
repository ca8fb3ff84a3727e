/**
 * CycloneDX VEX → VEX statements. Written by hand (the CycloneDX library serialises but does
 * not parse). One statement per vulnerability and `affects[]` entry: a ref to the document's
 * `metadata.component` is a statement about the product itself; a ref to one of its
 * components is about that component (its purl); a BOM-Link `urn:cdx:serial/version#bom-ref`
 * into another document is about the bom-ref after `#` (a purl, more often than not).
 * `affects[].versions` narrows a statement to the listed versions and `vers:` ranges
 * (src/match/vex/vers/; a range whose scheme Vigil cannot order is reported and left out,
 * nothing is suppressed on a guess). Each entry's `status` (CycloneDX: `affected`, the default,
 * `unaffected`, `unknown`) is read with the analysis, see {@link entryStatus}. Pure, never
 * throws.
 */
import { PackageURL } from 'packageurl-js';
import { clip, distinct, zodProblem } from '../common.js';
import { CDX_STATE_TO_VEX, isCdxJustification, isCdxResponse, isCdxState } from '../mapping.js';
import { at, type VexLimits, type VexProblem, type VexStatement, type VexStatus } from '../model.js';
import { compileVers } from '../vers/contains.js';
import { quoted } from '../vers/parse.js';
import { documentSchema, vulnerabilitySchema, type CdxVersionInput, type CdxVulnerabilityInput } from './schema.js';

/** Whether a parsed JSON value is a CycloneDX document. */
export function isCycloneDx(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && !Array.isArray(doc) && (doc as Record<string, unknown>)['bomFormat'] === 'CycloneDX';
}

/** What a bom-ref names: its purl, name and version, and whether it is the document's subject. */
interface Ref {
  readonly purl?: string | undefined;
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  readonly bomRef: string;
  readonly product: boolean;
}

const str = (o: Record<string, unknown>, k: string): string | undefined => {
  const v = o[k];
  return typeof v === 'string' && v.length > 0 && v.length <= 4096 ? v : undefined;
};

function refOf(c: unknown, product: boolean): Ref | undefined {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return undefined;
  const o = c as Record<string, unknown>;
  const bomRef = str(o, 'bom-ref');
  if (bomRef === undefined) return undefined;
  return { bomRef, purl: str(o, 'purl'), name: str(o, 'name'), version: str(o, 'version'), product };
}

/** Every bom-ref in metadata.component and components (nested ones too), without recursion. */
function collectRefs(metadataComponent: unknown, components: readonly unknown[] | undefined): Map<string, Ref> {
  const refs = new Map<string, Ref>();
  const root = refOf(metadataComponent, true);
  if (root) refs.set(root.bomRef, root);
  const stack: unknown[] = [...(components ?? [])];
  while (stack.length > 0) {
    const c = stack.pop();
    const r = refOf(c, false);
    if (r && !refs.has(r.bomRef)) refs.set(r.bomRef, r);
    const nested = typeof c === 'object' && c !== null ? (c as Record<string, unknown>)['components'] : undefined;
    if (Array.isArray(nested)) for (const n of nested) stack.push(n);
  }
  return refs;
}

const BOM_LINK = /^urn:cdx:([^/#]{1,200})\/(\d{1,9})#(.+)$/s;

function decodeFragment(f: string): string {
  try {
    return decodeURIComponent(f);
  } catch {
    return f;
  }
}

function withVersion(purl: string, version: string | undefined): string | undefined {
  try {
    const p = PackageURL.fromString(purl);
    return new PackageURL(p.type, p.namespace, p.name, version, p.qualifiers, p.subpath).toString();
  } catch {
    return undefined;
  }
}

/** The identifiers a statement about `ref` (optionally at one version) carries. */
function identifiers(ref: Ref, version?: string): string[] {
  if (version === undefined) {
    const nameId = ref.name === undefined ? undefined : ref.version === undefined ? ref.name : `${ref.name}@${ref.version}`;
    return distinct([ref.purl, ref.bomRef, ref.product ? nameId : undefined]);
  }
  const purl = ref.purl === undefined ? undefined : withVersion(ref.purl, version);
  const named = `${ref.name ?? ref.bomRef}@${version}`;
  // A component is matched by its purl; a name is kept only for the product (or a component without purl).
  return distinct(ref.product || purl === undefined ? [purl, named] : [purl]);
}

/** The identifiers of a statement about `ref` limited to a version range: none carries a version. */
function rangeIdentifiers(ref: Ref): string[] {
  const purl = ref.purl === undefined ? undefined : withVersion(ref.purl, undefined);
  // A bom-ref that is a purl names one version; the version-less purl stands for it.
  const bomRef = ref.bomRef.startsWith('pkg:') ? undefined : ref.bomRef;
  return distinct([purl, bomRef, ref.product || purl === undefined ? ref.name : undefined]);
}

interface Parsed {
  readonly statements: VexStatement[];
  readonly problems: VexProblem[];
}

export function parseCycloneDxVex(doc: unknown, name: string, limits: VexLimits): Parsed {
  const statements: VexStatement[] = [];
  const problems: VexProblem[] = [];
  const envelope = documentSchema.safeParse(doc);
  if (!envelope.success) return { statements, problems: [zodProblem(name, envelope.error, [], 'not a valid CycloneDX document')] };
  const d = envelope.data;
  const vulns = d.vulnerabilities ?? [];
  if (vulns.length === 0) problems.push({ source: at(name, '/vulnerabilities'), message: 'the document has no vulnerabilities, so no VEX statements', severity: 'warning' });
  const refs = collectRefs(d.metadata?.component, d.components);
  const serial = d.serialNumber?.replace(/^urn:uuid:/i, '').toLowerCase();
  const ctx: Ctx = { name, refs, serial, docTime: d.metadata?.timestamp, problems };
  for (let i = 0; i < vulns.length; i++) {
    const r = vulnerabilitySchema.safeParse(vulns[i]);
    if (!r.success) {
      problems.push(zodProblem(name, r.error, ['vulnerabilities', i], 'vulnerability skipped'));
      continue;
    }
    toStatements(r.data, `/vulnerabilities/${i}`, ctx, statements);
    if (statements.length > limits.maxStatements) {
      problems.push({ source: at(name, `/vulnerabilities/${i}`), message: `more than ${limits.maxStatements} statements; the rest of the document was not read`, severity: 'error' });
      statements.length = limits.maxStatements;
      break;
    }
  }
  return { statements, problems };
}

interface Ctx {
  readonly name: string;
  readonly refs: ReadonlyMap<string, Ref>;
  readonly serial: string | undefined;
  readonly docTime: string | undefined;
  readonly problems: VexProblem[];
}

function statusOf(v: CdxVulnerabilityInput, source: string, ctx: Ctx): { status: VexStatus; original?: string } | undefined {
  const state = v.analysis?.state;
  // A vulnerability listed without an analysis: the component is affected, as far as the document says.
  if (state === undefined) return { status: 'affected' };
  if (!isCdxState(state)) {
    ctx.problems.push({ source: `${source}/analysis/state`, message: `vulnerability skipped: unknown analysis state ${JSON.stringify(state)}`, severity: 'error' });
    return undefined;
  }
  const status = CDX_STATE_TO_VEX[state];
  return { status, original: state === status ? undefined : state };
}

function toStatements(v: CdxVulnerabilityInput, pointer: string, ctx: Ctx, out: VexStatement[]): void {
  const source = at(ctx.name, pointer);
  if (v.id === undefined) {
    ctx.problems.push({ source, message: 'vulnerability skipped: it has no id', severity: 'error' });
    return;
  }
  const st = statusOf(v, source, ctx);
  if (!st) return;
  const a = v.analysis;
  if (a?.justification !== undefined && !isCdxJustification(a.justification)) {
    ctx.problems.push({ source: `${source}/analysis/justification`, message: `unknown CycloneDX justification ${JSON.stringify(a.justification)} (kept as written)`, severity: 'warning' });
  }
  const responses = (a?.response ?? []).filter(isCdxResponse);
  const base: Base = {
    vulnerability: v.id,
    aliases: distinct((v.references ?? []).map((r) => r.id)).filter((x) => x !== v.id),
    subcomponents: [],
    status: st.status,
    originalStatus: st.original,
    justification: a?.justification,
    // analysis.detail says why when not affected; otherwise it is closer to advice.
    impact: st.status === 'not_affected' ? clip(a?.detail) : undefined,
    action: clip(v.recommendation ?? v.workaround ?? (st.status === 'not_affected' ? undefined : a?.detail) ?? (responses.length > 0 ? `response: ${responses.join(', ')}` : undefined)),
    timestamp: a?.lastUpdated ?? a?.firstIssued ?? v.updated ?? v.published ?? ctx.docTime,
  };
  const affects = v.affects ?? [];
  if (affects.length === 0) ctx.problems.push({ source, message: 'the vulnerability affects nothing (no affects[]), so it applies to nothing', severity: 'warning' });
  for (let j = 0; j < affects.length; j++) {
    const aff = affects[j]!;
    const affSource = `${source}/affects/${j}`;
    const ref = resolve(aff.ref, affSource, ctx);
    if (aff.versions === undefined || aff.versions.length === 0) {
      const products = identifiers(ref);
      if (products.length > 0) out.push({ ...base, products, source: affSource });
    } else {
      versioned(ref, aff.versions, base, affSource, ctx, out);
    }
  }
}

function resolve(refText: string, source: string, ctx: Ctx): Ref {
  const local = ctx.refs.get(refText);
  if (local) return local;
  const link = BOM_LINK.exec(refText);
  if (link) {
    const fragment = decodeFragment(link[3]!);
    if (link[1]!.toLowerCase() === ctx.serial) {
      const inDoc = ctx.refs.get(fragment);
      if (inDoc) return inDoc;
    }
    return { bomRef: fragment, purl: fragment.startsWith('pkg:') ? fragment : undefined, product: false };
  }
  if (!refText.startsWith('pkg:')) ctx.problems.push({ source: `${source}/ref`, message: `ref ${JSON.stringify(refText)} names no component of this document; matched as a package id`, severity: 'warning' });
  return { bomRef: refText, purl: refText.startsWith('pkg:') ? refText : undefined, product: false };
}

/** A statement without its products and source: what one vulnerability says. */
type Base = Omit<VexStatement, 'products' | 'source' | 'versionRange'>;

/** What a version entry's status makes of the analysis: the statement fields it changes, or undefined when the entry is left out. */
type EntryFields = Pick<VexStatement, 'status' | 'originalStatus' | 'justification' | 'impact' | 'action'> & { readonly own: boolean };

/**
 * `affects[].versions[].status` read with the analysis. The status says whether the listed
 * versions are affected (CycloneDX); the analysis says why and what to do.
 *  - no status: the entry only says which versions the analysis is about (as documents that
 *    omit it mean; CycloneDX's default `affected` would contradict every not_affected
 *    analysis that lists versions without a status);
 *  - `unaffected`: with a not_affected / fixed analysis, that analysis; otherwise the versions
 *    are `not_affected` on the entry's word (no justification);
 *  - `affected`: with an affected / in-triage analysis, that analysis; with a not_affected or
 *    fixed analysis the two disagree, so the entry is reported and left out (nothing is
 *    suppressed on a contradiction);
 *  - `unknown`: `under_investigation` (never suppresses);
 *  - any other word: reported and left out.
 */
function entryStatus(word: string | undefined, base: Base, what: string, where: string, ctx: Ctx): EntryFields | undefined {
  const own: EntryFields = { status: base.status, originalStatus: base.originalStatus, justification: base.justification, impact: base.impact, action: base.action, own: true };
  const analysis = base.status;
  switch (word) {
    case undefined:
      return own;
    case 'unaffected':
      if (analysis === 'not_affected' || analysis === 'fixed') return own;
      return { status: 'not_affected', originalStatus: 'unaffected', justification: undefined, impact: `${what} listed as unaffected (CycloneDX affects[].versions)`, action: undefined, own: false };
    case 'affected':
      if (analysis === 'affected' || analysis === 'under_investigation') return own;
      ctx.problems.push({ source: where, message: `version status "affected" disagrees with the analysis (${analysis}); entry left out`, severity: 'warning' });
      return undefined;
    case 'unknown':
      if (analysis === 'under_investigation') return own;
      return { status: 'under_investigation', originalStatus: 'unknown', justification: undefined, impact: undefined, action: `${what}: whether it is affected is unknown (CycloneDX affects[].versions)`, own: false };
    default:
      ctx.problems.push({ source: where, message: `unknown version status ${JSON.stringify(word)} (expected affected, unaffected or unknown); entry left out`, severity: 'warning' });
      return undefined;
  }
}

/** Statements for an `affects[]` entry with `versions`: one per status for the single versions, one per range, in document order. */
function versioned(ref: Ref, versions: readonly CdxVersionInput[], base: Base, source: string, ctx: Ctx, out: VexStatement[]): void {
  type Group = { fields: EntryFields; ids: string[]; source: string };
  const groups = new Map<string, Group>();
  const order: (Group | VexStatement)[] = [];
  for (let k = 0; k < versions.length; k++) {
    const e = versions[k]!;
    const where = `${source}/versions/${k}`;
    if (e.version !== undefined && e.range !== undefined) {
      ctx.problems.push({ source: where, message: 'the entry has both a version and a range (CycloneDX allows one); entry left out', severity: 'warning' });
    } else if (e.version !== undefined) {
      const fields = entryStatus(e.status, base, 'version', where, ctx);
      if (!fields) continue;
      const key = `${fields.status} ${fields.originalStatus ?? ''}`;
      let g = groups.get(key);
      if (!g) {
        g = { fields, ids: [], source: fields.own ? source : where };
        groups.set(key, g);
        order.push(g);
      }
      g.ids.push(...identifiers(ref, e.version));
    } else if (e.range !== undefined) {
      const fields = entryStatus(e.status, base, `version range ${quoted(e.range)}`, where, ctx);
      const st = fields && ranged(ref, e.range, { ...base, ...fields }, where, ctx);
      if (st) order.push(st);
    } else {
      ctx.problems.push({ source: where, message: 'the entry has neither a version nor a range; entry left out', severity: 'warning' });
    }
  }
  for (const item of order) {
    if ('vulnerability' in item) {
      out.push(item);
      continue;
    }
    const { own: _own, ...fields } = item.fields;
    const products = distinct(item.ids);
    if (products.length > 0) out.push({ ...base, ...fields, products, source: item.source });
  }
}

/** A statement limited to a `vers:` range, or a problem when the range cannot be evaluated. */
function ranged(ref: Ref, text: string, fields: Base & { own?: boolean }, source: string, ctx: Ctx): VexStatement | undefined {
  const pointer = `${source}/range`;
  const r = compileVers(text);
  if (!r.ok) {
    const unsupported = r.reason === 'unsupported';
    ctx.problems.push({
      source: pointer,
      message: `version range ${quoted(text)} ${unsupported ? 'is not evaluated' : 'is invalid'}: ${r.message}; entry left out`,
      // A scheme Vigil cannot order is a limit of Vigil; a malformed range is the document's error.
      severity: unsupported ? 'warning' : 'error',
    });
    return undefined;
  }
  if (r.notes.length > 0) ctx.problems.push({ source: pointer, message: `version range ${quoted(text)} is not in canonical form (${r.notes.join('; ')}); read as normalised`, severity: 'warning' });
  const products = rangeIdentifiers(ref);
  const { own: _own, ...statement } = fields;
  return products.length > 0 ? { ...statement, products, versionRange: { text, range: r.range }, source } : undefined;
}
