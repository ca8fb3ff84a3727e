import type { Advisory, CvssEntry, CvssVersion } from '../../core/advisory.js';
import { toCpeConfiguration } from '../cpe.js';
import { firstIssue, readJson, readString, type JsonLimits, type JsonProblem } from '../../core/json-input.js';
import { ReferenceList } from '../references.js';
import type { FeedFile, FeedRecord, Origin } from '../types.js';
import { nvdPage, nvdVulnerability, type NvdCve } from './schema.js';

/**
 * NVD CVE API 2.0 page → one record per vulnerability. A bad vulnerability becomes an
 * `invalid` record (with its pointer into the page) and the rest of the page still parses; a
 * file that is not an NVD page at all is one `invalid` record. Pure; never throws.
 */

export const NVD_LIMITS: JsonLimits = {
  // An API page holds at most 2,000 CVEs, but the NVD 2.0 yearly feeds share the shape and
  // run to a few hundred MB: the cap matches the walker's default file limit.
  maxBytes: 256 * 1024 * 1024,
  maxDepth: 200,
};

export const NVD_PRIMARY_SOURCE = 'nvd@nist.gov';

export function* parseNvdFile(file: FeedFile, limits: JsonLimits = NVD_LIMITS): Generator<FeedRecord> {
  const page = readPage(file.bytes, limits);
  if (!page.ok) {
    yield { kind: 'invalid', feed: 'nvd', origin: file.origin, recordId: null, reason: page.problem.reason, pointer: page.problem.pointer };
    return;
  }
  yield* parseVulnerabilities(page.vulnerabilities, file.origin);
}

type PageResult = { readonly ok: true; readonly vulnerabilities: readonly unknown[] } | { readonly ok: false; readonly problem: JsonProblem };

function readPage(bytes: Uint8Array, limits: JsonLimits): PageResult {
  try {
    const json = readJson(bytes, limits);
    if (!json.ok) return json;
    if (typeof json.value !== 'object' || json.value === null || Array.isArray(json.value)) {
      return { ok: false, problem: { reason: 'not an NVD CVE API 2.0 page: expected a JSON object', pointer: '' } };
    }
    const page = nvdPage.safeParse(json.value);
    if (!page.success) {
      const p = firstIssue(page.error);
      return { ok: false, problem: { reason: `not an NVD CVE API 2.0 page: ${p.reason}`, pointer: p.pointer } };
    }
    return { ok: true, vulnerabilities: page.data.vulnerabilities };
  } catch (err) {
    return { ok: false, problem: internal(err) };
  }
}

function* parseVulnerabilities(vulnerabilities: readonly unknown[], origin: Origin): Generator<FeedRecord> {
  const firstAt = new Map<string, number>();
  for (const [i, item] of vulnerabilities.entries()) {
    const recordId = readString(item, 'cve', 'id');
    const invalid = (p: JsonProblem): FeedRecord => ({ kind: 'invalid', feed: 'nvd', origin, recordId, reason: p.reason, pointer: p.pointer });
    let record: FeedRecord;
    try {
      const r = nvdVulnerability.safeParse(item);
      if (!r.success) {
        record = invalid(firstIssue(r.error, ['vulnerabilities', i]));
      } else {
        const id = r.data.cve.id;
        const first = firstAt.get(id);
        if (first !== undefined) {
          // The first one was already emitted; a page never lists a CVE twice, so say so.
          record = invalid({ reason: `${id} appears again in the page (first at /vulnerabilities/${first}); this copy was not read`, pointer: `/vulnerabilities/${i}` });
        } else {
          firstAt.set(id, i);
          record = { kind: 'advisory', advisory: toAdvisory(r.data.cve, item), origin };
        }
      }
    } catch (err) {
      record = invalid(internal(err));
    }
    yield record;
  }
}

function internal(err: unknown): JsonProblem {
  return { reason: `internal error: ${err instanceof Error ? err.message : String(err)}` };
}

const NVD_CWE = /^CWE-[1-9][0-9]*$/;

function toAdvisory(cve: NvdCve, raw: unknown): Advisory {
  const references = new ReferenceList();
  for (const r of cve.references) references.add(r.url, r.tags);
  const rejected = cve.vulnStatus === 'Rejected';
  const cwes = new Set<string>();
  // NVD-CWE-Other and NVD-CWE-noinfo are placeholders, not weaknesses: anything not CWE-N is skipped.
  for (const w of cve.weaknesses ?? []) for (const d of w.description) if (NVD_CWE.test(d.value)) cwes.add(d.value);
  return {
    source: 'nvd',
    id: cve.id,
    aliases: [],
    related: [],
    title: null,
    description: englishText(cve.descriptions),
    published: cve.published,
    modified: cve.lastModified,
    // NVD has no rejection date; the record's last change is when it was rejected at the latest.
    withdrawn: rejected ? cve.lastModified : null,
    rejected,
    cwes: [...cwes],
    references: references.toArray(),
    cvss: cvssOf(cve),
    ssvc: [],
    affectedPackages: [],
    affectedProducts: [],
    cpeConfigurations: (cve.configurations ?? []).map((c) => toCpeConfiguration(c, 'nvd')),
    raw,
  };
}

function englishText(ds: readonly { readonly lang: string; readonly value: string }[]): string | null {
  return (ds.find((d) => d.lang === 'en') ?? ds.find((d) => /^en([-_]|$)/i.test(d.lang)))?.value ?? null;
}

const METRIC_KEYS: readonly (readonly [CvssVersion, 'cvssMetricV40' | 'cvssMetricV31' | 'cvssMetricV30' | 'cvssMetricV2'])[] = [
  ['4.0', 'cvssMetricV40'],
  ['3.1', 'cvssMetricV31'],
  ['3.0', 'cvssMetricV30'],
  ['2.0', 'cvssMetricV2'],
];

/** Every vector, unscored; `nvd` for NVD's own Primary metric, `nvd:secondary:<source>` otherwise. */
function cvssOf(cve: NvdCve): CvssEntry[] {
  const out: CvssEntry[] = [];
  const seen = new Set<string>();
  for (const [version, key] of METRIC_KEYS) {
    for (const m of cve.metrics?.[key] ?? []) {
      const source = m.source === NVD_PRIMARY_SOURCE && m.type === 'Primary' ? 'nvd' : `nvd:secondary:${m.source}`;
      const k = `${source}\n${version}\n${m.cvssData.vectorString}`;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push({ version, vector: m.cvssData.vectorString, score: null, severity: 'unknown', source });
    }
  }
  return out;
}
