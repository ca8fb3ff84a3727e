import { randomUUID } from 'node:crypto';
import parseSpdxExpression from 'spdx-expression-parse';
import CDX from '@cyclonedx/cyclonedx-library';
import { VERSION } from '../../../version.js';
import type { Edge, Hash, Inventory, ReadProblem } from '../../model.js';
import { ROOT } from '../build.js';
import { PROP } from '../properties.js';

/** What the writers need from outside: the clock, the serial number source, the tool. Injected so tests are deterministic. */
export interface SbomWriteOptions {
  readonly now?: () => Date;
  /** A fresh UUID (serialNumber `urn:uuid:…`, SPDX documentNamespace). */
  readonly uuid?: () => string;
  readonly toolName?: string;
  readonly toolVersion?: string;
  /** Chunks are yielded once they reach this many characters (default 64 Ki). */
  readonly chunkChars?: number;
}

export interface ResolvedWriteOptions {
  readonly timestamp: Date;
  readonly uuid: string;
  readonly toolName: string;
  readonly toolVersion: string;
  readonly chunkChars: number;
}

export function resolveOptions(o: SbomWriteOptions = {}): ResolvedWriteOptions {
  return {
    timestamp: (o.now ?? (() => new Date()))(),
    uuid: (o.uuid ?? randomUUID)(),
    toolName: o.toolName ?? 'Vigil',
    toolVersion: o.toolVersion ?? VERSION,
    chunkChars: o.chunkChars ?? 64 * 1024,
  };
}

/** Collects small strings and hands them on in chunks of about `size` characters. */
export class Chunker {
  private parts: string[] = [];
  private length = 0;

  constructor(private readonly size: number) {}

  /** Adds text; returns a chunk when enough has gathered. */
  push(s: string): string | undefined {
    this.parts.push(s);
    this.length += s.length;
    return this.length >= this.size ? this.flush() : undefined;
  }

  /** Adds the last text and returns everything still held (call once, at the end). */
  finish(s: string): string | undefined {
    this.parts.push(s);
    this.length += s.length;
    return this.flush();
  }

  private flush(): string | undefined {
    if (this.length === 0) return undefined;
    const out = this.parts.join('');
    this.parts = [];
    this.length = 0;
    return out;
  }
}

const HEX_LENGTH: Readonly<Record<string, number>> = {
  MD5: 32,
  'SHA-1': 40,
  'SHA-256': 64,
  'SHA-384': 96,
  'SHA-512': 128,
  'SHA3-256': 64,
  'SHA3-384': 96,
  'SHA3-512': 128,
  'BLAKE2b-256': 64,
  'BLAKE2b-384': 96,
  'BLAKE2b-512': 128,
  BLAKE3: 64,
};

/** Loose spellings (`sha256`, `SHA256`, `sha-256`) → the CycloneDX name. */
function canonicalAlg(alg: string): string | undefined {
  const key = alg.toUpperCase().replace(/^SHA-?(1|256|384|512)$/, 'SHA-$1').replace(/^SHA3-?(256|384|512)$/, 'SHA3-$1');
  const known = Object.keys(HEX_LENGTH).find((k) => k.toUpperCase() === key);
  return known;
}

/**
 * A hash in the form the schemas accept: a CycloneDX algorithm name and hex content of the
 * algorithm's length. Base64 content (npm `integrity`) is converted; anything else is
 * undefined (the caller records it as dropped).
 */
export function normaliseHash(h: Hash): Hash | undefined {
  const alg = canonicalAlg(h.alg);
  if (alg === undefined) return undefined;
  const len = HEX_LENGTH[alg]!;
  const content = h.content.trim();
  if (content.length === len && /^[0-9a-fA-F]+$/.test(content)) return { alg, content: content.toLowerCase() };
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(content)) {
    const hex = Buffer.from(content, 'base64').toString('hex');
    if (hex.length === len) return { alg, content: hex };
  }
  return undefined;
}

export type LicenseForm = { readonly kind: 'id' | 'expression' | 'name'; readonly value: string };

const licenseCache = new Map<string, LicenseForm>();

/** An SPDX licence id the CycloneDX schema lists, an SPDX expression, or a free-form name. */
export function classifyLicense(s: string): LicenseForm {
  let form = licenseCache.get(s);
  if (form) return form;
  try {
    const ast = parseSpdxExpression(s);
    const single = 'license' in ast && !ast.plus && !(ast as { exception?: string }).exception;
    form = single && CDX.SPDX.isSupportedSpdxId(ast.license) ? { kind: 'id', value: ast.license } : { kind: 'expression', value: s };
  } catch {
    form = { kind: 'name', value: s };
  }
  if (licenseCache.size < 10_000) licenseCache.set(s, form);
  return form;
}

/**
 * A package's licences in a form both formats accept: CycloneDX allows either licence
 * objects or exactly one expression, so several entries mixing expressions are joined into
 * one expression (`(A) AND (B)`) when all are SPDX, and otherwise kept as names.
 */
export function licenseForms(licenses: readonly string[] | undefined): LicenseForm[] {
  if (!licenses || licenses.length === 0) return [];
  const forms = licenses.map(classifyLicense);
  if (forms.length === 1 || !forms.some((f) => f.kind === 'expression')) return forms;
  if (forms.every((f) => f.kind !== 'name')) return [{ kind: 'expression', value: forms.map((f) => (f.kind === 'id' ? f.value : `(${f.value})`)).join(' AND ') }];
  return forms.map((f) => (f.kind === 'expression' ? { kind: 'name', value: f.value } : f));
}

/** bom-refs for the packages (their ids, made unique) and a root ref no package uses. */
export function assignRefs(inv: Inventory): { refs: string[]; byId: Map<string, string>; rootRef: string } {
  const byId = new Map<string, string>();
  const used = new Set<string>();
  const refs = inv.packages.map((p) => {
    let ref = p.id;
    for (let n = 2; used.has(ref); n++) ref = `${p.id}#dup${n}`;
    used.add(ref);
    if (!byId.has(p.id)) byId.set(p.id, ref);
    return ref;
  });
  let rootRef = ROOT;
  for (let n = 2; used.has(rootRef); n++) rootRef = `${ROOT}-${n}`;
  return { refs, byId, rootRef };
}

/** Edges grouped by `from` (refs), duplicates and edges naming unknown packages left out (counted). */
export function groupEdges(edges: readonly Edge[], byId: ReadonlyMap<string, string>, rootRef: string): { groups: Map<string, string[]>; dropped: number } {
  const groups = new Map<string, string[]>();
  const seen = new Set<string>();
  let dropped = 0;
  const ref = (id: string): string | undefined => (id === ROOT ? rootRef : byId.get(id));
  for (const e of edges) {
    const from = ref(e.from);
    const to = ref(e.to);
    if (from === undefined || to === undefined || to === rootRef) {
      dropped++;
      continue;
    }
    const key = `${from}\u0000${to}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let list = groups.get(from);
    if (!list) groups.set(from, (list = []));
    list.push(to);
  }
  return { groups, dropped };
}

export const problemText = (p: ReadProblem): string =>
  `${p.severity}: ${p.location.file}${p.location.line === undefined ? '' : `:${p.location.line}`}: [${p.reader}] ${p.message}`;

/** Document-level facts as `vigil:` properties: what was scanned, which files, what went wrong. */
export function documentProperties(inv: Inventory, extraProblems: readonly string[]): [string, string][] {
  const out: [string, string][] = [[PROP.sourceKind, inv.source.kind]];
  if (inv.os) out.push([PROP.os, JSON.stringify(inv.os)]);
  for (const f of inv.files) out.push([PROP.file, `${f.path} (${f.reader}, ${f.packages} packages)`]);
  for (const p of inv.problems) out.push([PROP.problem, problemText(p)]);
  for (const p of extraProblems) out.push([PROP.problem, p]);
  return out;
}
