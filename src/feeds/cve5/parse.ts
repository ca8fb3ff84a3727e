import type { AffectedProduct, Advisory, CpeConfiguration, CvssEntry, CvssVersion, SsvcDecision } from '../../core/advisory.js';
import { toCpeConfiguration } from '../cpe.js';
import { firstIssue, readJson, readString, type JsonLimits, type JsonProblem } from '../../core/json-input.js';
import { ReferenceList } from '../references.js';
import type { FeedFile, FeedRecord } from '../types.js';
import { fastCve5Record, fastSsvcContent } from './fast.js';
import {
  ENGLISH,
  envelope,
  publishedRecord,
  rejectedRecord,
  ssvcContent,
  type CnaPublished,
  type CnaRejected,
  type ContainerData,
  type PublishedRecord,
  type RejectedRecord,
} from './schema.js';

/**
 * CVE JSON 5.x record (one per file, as in cvelistV5 and its delta zips) → Advisory. Pure:
 * bytes in, records out; never throws.
 */

export const CVE5_LIMITS: JsonLimits = {
  // The largest cvelistV5 records are a few MB; 16 MiB leaves room without letting a
  // hostile file hold much memory.
  maxBytes: 16 * 1024 * 1024,
  maxDepth: 200,
};

export type Cve5Result = { readonly ok: true; readonly advisory: Advisory } | { readonly ok: false; readonly recordId: string | null; readonly problem: JsonProblem };

export function parseCve5File(file: FeedFile, limits: JsonLimits = CVE5_LIMITS): FeedRecord[] {
  let result: Cve5Result;
  try {
    const json = readJson(file.bytes, limits);
    result = json.ok ? parseCve5Record(json.value) : { ok: false, recordId: null, problem: json.problem };
  } catch (err) {
    // A bug here must not stop an import: report the file like any bad record.
    result = { ok: false, recordId: null, problem: { reason: `internal error: ${err instanceof Error ? err.message : String(err)}` } };
  }
  if (result.ok) return [{ kind: 'advisory', advisory: result.advisory, origin: file.origin }];
  return [{ kind: 'invalid', feed: 'cve5', origin: file.origin, recordId: result.recordId, reason: result.problem.reason, pointer: result.problem.pointer }];
}

/** One parsed JSON value → Advisory, or the first problem with its JSON pointer. */
export function parseCve5Record(raw: unknown): Cve5Result {
  const recordId = readString(raw, 'cveMetadata', 'cveId');
  const fail = (problem: JsonProblem): Cve5Result => ({ ok: false, recordId, problem });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail({ reason: 'not a CVE record: expected a JSON object', pointer: '' });
  // The hand-written check first (fast.ts): most records pass it; zod judges the rest.
  const fast = fastCve5Record(raw);
  if (fast?.state === 'PUBLISHED') return build(fast.record, { cna: fast.record.containers.cna, rejected: null, dateRejected: undefined }, raw, fail);
  if (fast?.state === 'REJECTED') return build(fast.record, { cna: null, rejected: fast.record.containers.cna, dateRejected: fast.record.cveMetadata.dateRejected }, raw, fail);
  const env = envelope.safeParse(raw);
  if (!env.success) return fail(firstIssue(env.error));
  if (env.data.cveMetadata.state === 'PUBLISHED') {
    const r = publishedRecord.safeParse(raw);
    if (!r.success) return fail(firstIssue(r.error));
    return build(r.data, { cna: r.data.containers.cna, rejected: null, dateRejected: undefined }, raw, fail);
  }
  const r = rejectedRecord.safeParse(raw);
  if (!r.success) return fail(firstIssue(r.error));
  return build(r.data, { cna: null, rejected: r.data.containers.cna, dateRejected: r.data.cveMetadata.dateRejected }, raw, fail);
}

interface Source {
  readonly data: ContainerData;
  /** `cna:<shortName>` or `adp:<shortName>`: for CVSS and SSVC. */
  readonly label: string;
  /** `cna` or `adp:<shortName>`: for affected products and CPE applicability. */
  readonly short: string;
}

type Cna =
  | { readonly cna: CnaPublished; readonly rejected: null; readonly dateRejected: undefined }
  | { readonly cna: null; readonly rejected: CnaRejected; readonly dateRejected: string | undefined };

function build(rec: PublishedRecord | RejectedRecord, { cna, rejected, dateRejected }: Cna, raw: unknown, fail: (p: JsonProblem) => Cve5Result): Cve5Result {
  const meta = rec.cveMetadata;
  const modified = meta.dateUpdated ?? meta.datePublished ?? meta.dateReserved;
  if (modified === undefined) return fail({ reason: 'no dateUpdated, datePublished or dateReserved: the record has no modification time', pointer: '/cveMetadata' });

  const sources: Source[] = [];
  if (cna) {
    const pm = cna.providerMetadata;
    sources.push({ data: cna, label: `cna:${pm.shortName ?? meta.assignerShortName ?? pm.orgId}`, short: 'cna' });
  }
  for (const adp of rec.containers.adp ?? []) {
    const name = adp.providerMetadata.shortName ?? adp.providerMetadata.orgId;
    sources.push({ data: adp, label: `adp:${name}`, short: `adp:${name}` });
  }

  const advisory: Advisory = {
    source: 'cve5',
    id: meta.cveId,
    aliases: [],
    related: [],
    title: cna?.title ?? null,
    description: englishText(cna ? cna.descriptions : rejected.rejectedReasons),
    published: meta.datePublished ?? null,
    modified,
    withdrawn: rejected ? (dateRejected ?? meta.dateUpdated ?? null) : null,
    rejected: rejected !== null,
    cwes: cwesOf(sources),
    references: referencesOf(sources),
    cvss: cvssOf(sources),
    ssvc: ssvcOf(sources),
    affectedPackages: [],
    affectedProducts: sources.flatMap((s) => (s.data.affected ?? []).map((p) => toProduct(p, s.short))),
    cpeConfigurations: sources.flatMap((s) => (s.data.cpeApplicability ?? []).map((c): CpeConfiguration => toCpeConfiguration(c, s.short))),
    raw,
  };
  return { ok: true, advisory };
}

/** `en` first, then `en-US` / `en_US`, then any other English variant. */
export function englishText(ds: readonly { readonly lang: string; readonly value: string }[]): string | null {
  const rank = (lang: string): number => (lang === 'en' ? 0 : /^en[-_]us$/i.test(lang) ? 1 : ENGLISH.test(lang) ? 2 : 3);
  let best: { rank: number; value: string } | null = null;
  for (const d of ds) {
    const r = rank(d.lang);
    if (r < 3 && (best === null || r < best.rank)) best = { rank: r, value: d.value };
  }
  return best?.value ?? null;
}

const CWE_IN_TEXT = /\bCWE-[1-9][0-9]*\b/g;

/** `cweId` where given, else every CWE-N written in the description; CNA then ADPs, deduplicated. */
function cwesOf(sources: readonly Source[]): string[] {
  const out = new Set<string>();
  for (const s of sources) {
    for (const pt of s.data.problemTypes ?? []) {
      for (const d of pt.descriptions) {
        if (d.cweId !== undefined) out.add(d.cweId);
        else for (const m of d.description.matchAll(CWE_IN_TEXT)) out.add(m[0]);
      }
    }
  }
  return [...out];
}

function referencesOf(sources: readonly Source[]) {
  const list = new ReferenceList();
  for (const s of sources) for (const r of s.data.references ?? []) list.add(r.url, r.tags);
  return list.toArray();
}

const CVSS_KEYS: readonly (readonly [CvssVersion, 'cvssV2_0' | 'cvssV3_0' | 'cvssV3_1' | 'cvssV4_0'])[] = [
  ['4.0', 'cvssV4_0'],
  ['3.1', 'cvssV3_1'],
  ['3.0', 'cvssV3_0'],
  ['2.0', 'cvssV2_0'],
];

/** Every vector, unscored (src/risk/cvss scores them in the pipeline); exact repeats dropped. */
function cvssOf(sources: readonly Source[]): CvssEntry[] {
  const out: CvssEntry[] = [];
  const seen = new Set<string>();
  for (const s of sources) {
    for (const m of s.data.metrics ?? []) {
      for (const [version, key] of CVSS_KEYS) {
        const vector = m[key]?.vectorString;
        if (vector === undefined) continue;
        const k = `${s.label}\n${version}\n${vector}`;
        if (seen.has(k)) continue;
        seen.add(k);
        out.push({ version, vector, score: null, severity: 'unknown', source: s.label });
      }
    }
  }
  return out;
}

/** ADP `other` metrics of type `ssvc` (validated by the schema). KEV `other` entries are left to the KEV feed. */
function ssvcOf(sources: readonly Source[]): SsvcDecision[] {
  const out: SsvcDecision[] = [];
  for (const s of sources) {
    if (s.short === 'cna') continue;
    for (const m of s.data.metrics ?? []) {
      if (m.other?.type !== 'ssvc') continue;
      const c = fastSsvcContent(m.other.content) ?? ssvcContent.safeParse(m.other.content).data;
      if (c === undefined) continue; // not reached: the record schema checked it
      const d: { -readonly [K in keyof SsvcDecision]: SsvcDecision[K] } = { source: s.label };
      for (const option of c.options) {
        for (const [k, v] of Object.entries(option)) {
          if (k === 'Exploitation') d.exploitation = v;
          else if (k === 'Automatable') d.automatable = v;
          else if (k === 'Technical Impact') d.technicalImpact = v;
        }
      }
      if (c.version !== undefined) d.version = c.version;
      if (c.timestamp !== undefined) d.timestamp = c.timestamp;
      if (c.role !== undefined) d.role = c.role;
      out.push(d);
    }
  }
  return out;
}

type ProductInput = NonNullable<ContainerData['affected']>[number];

/** An `affected[]` entry kept exactly: absent keys stay absent, `cpes`/`platforms` default to []. */
function toProduct(p: ProductInput, source: string): AffectedProduct {
  return {
    ...(p.vendor !== undefined && { vendor: p.vendor }),
    ...(p.product !== undefined && { product: p.product }),
    ...(p.packageName !== undefined && { packageName: p.packageName }),
    ...(p.collectionURL !== undefined && { collectionURL: p.collectionURL }),
    ...(p.repo !== undefined && { repo: p.repo }),
    cpes: p.cpes ?? [],
    platforms: p.platforms ?? [],
    ...(p.defaultStatus !== undefined && { defaultStatus: p.defaultStatus }),
    versions: (p.versions ?? []).map((v) => ({
      version: v.version,
      status: v.status,
      ...(v.versionType !== undefined && { versionType: v.versionType }),
      ...(v.lessThan !== undefined && { lessThan: v.lessThan }),
      ...(v.lessThanOrEqual !== undefined && { lessThanOrEqual: v.lessThanOrEqual }),
      ...(v.changes !== undefined && { changes: v.changes.map((c) => ({ at: c.at, status: c.status })) }),
    })),
    source,
  };
}
