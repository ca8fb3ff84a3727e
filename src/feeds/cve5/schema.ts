import { z } from 'zod';
import type { CvssVersion } from '../../core/advisory.js';
import { cpeApplicabilitySchema, isCpe23Name, isCpeName } from '../cpe.js';
import { isCvssVector } from '../cvss-vector.js';
import { isUri } from '../references.js';
import { isoTimestamp } from '../timestamp.js';

/**
 * zod for CVE JSON 5.x records (5.0, 5.1, 5.2). Strict about every field the Advisory is
 * built from, as the official schema is; loose (`looseObject`, unchecked) for the rest:
 * credits, timeline, solutions, impacts, taxonomy mappings, `x_` extensions, unknown keys,
 * string lengths and `uniqueItems`. The verbatim record is kept in `raw`, so unknown keys
 * only pass through validation and are not copied (zod also never copies a `__proto__` key).
 * corpus.test.ts compares this with the official schema; where they differ it is on purpose.
 */

export const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,19}$/;
const DATA_VERSION = /^5\.(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))?$/;
const CWE_ID = /^CWE-[1-9][0-9]*$/;
/** The schema's `englishLanguage`: en, en-US, en_GB… */
export const ENGLISH = /^en([_-][A-Za-z]{4})?([_-]([A-Za-z]{2}|[0-9]{3}))?$/;

const nonEmpty = z.string().min(1);
const uri = z.string().refine(isUri, { message: 'not an absolute URI' });
const cveId = z.string().regex(CVE_ID, { message: 'not a CVE id (CVE-YYYY-NNNN…)' });

export const providerMetadata = z.looseObject({
  orgId: nonEmpty,
  shortName: nonEmpty.optional(),
  dateUpdated: isoTimestamp.optional(),
});

const description = z.looseObject({ lang: nonEmpty, value: nonEmpty });
/** Descriptions the Advisory reads: at least one, and one of them English (as the schema requires). */
const englishDescriptions = z
  .array(description)
  .min(1)
  .refine((ds) => ds.some((d) => ENGLISH.test(d.lang)), { message: 'no English description (lang en, en-US, …)' });

const reference = z.looseObject({ url: uri, tags: z.array(nonEmpty).optional() });
const references = z.array(reference).min(1);

const problemTypes = z
  .array(
    z.looseObject({
      descriptions: z
        .array(
          z.looseObject({
            lang: nonEmpty,
            description: nonEmpty,
            cweId: z.string().regex(CWE_ID, { message: 'not a CWE id (CWE-N)' }).optional(),
            type: z.string().optional(),
          }),
        )
        .min(1),
    }),
  )
  .min(1);

const cvss = (version: CvssVersion) =>
  z.looseObject({
    version: z.literal(version),
    vectorString: z.string().refine((v) => isCvssVector(version, v), { message: `not a CVSS ${version} vector` }),
  });

/** CISA ADP SSVC: options are single-key objects ({"Exploitation": "none"}, …). */
export const ssvcContent = z.looseObject({
  options: z.array(z.record(z.string(), z.string())).min(1),
  version: z.string().optional(),
  timestamp: isoTimestamp.optional(),
  role: z.string().optional(),
});

const other = z
  .looseObject({ type: nonEmpty, content: z.looseObject({}) })
  .superRefine((o, ctx) => {
    // `other` is free-form in the schema; the SSVC decision is read into the model, so its shape is checked.
    if (o.type !== 'ssvc') return;
    const r = ssvcContent.safeParse(o.content);
    if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message, path: ['content', ...i.path] });
  });

const METRIC_KINDS = ['cvssV4_0', 'cvssV3_1', 'cvssV3_0', 'cvssV2_0', 'other'] as const;
const metrics = z
  .array(
    z
      .looseObject({
        cvssV2_0: cvss('2.0').optional(),
        cvssV3_0: cvss('3.0').optional(),
        cvssV3_1: cvss('3.1').optional(),
        cvssV4_0: cvss('4.0').optional(),
        other: other.optional(),
      })
      .refine((m) => METRIC_KINDS.some((k) => m[k] !== undefined), { message: `a metric needs one of ${METRIC_KINDS.join(', ')}` }),
  )
  .min(1);

const status = z.enum(['affected', 'unaffected', 'unknown']);
const version = z.string().min(1);

const versionEntry = z
  .looseObject({
    version,
    status,
    versionType: nonEmpty.optional(),
    lessThan: version.optional(),
    lessThanOrEqual: version.optional(),
    changes: z.array(z.looseObject({ at: version, status })).min(1).optional(),
  })
  .superRefine((v, ctx) => {
    // The schema's oneOf: a single version (± versionType), or a range with versionType and
    // exactly one of lessThan / lessThanOrEqual; `changes` only inside a range.
    const range = v.lessThan !== undefined || v.lessThanOrEqual !== undefined;
    if (v.lessThan !== undefined && v.lessThanOrEqual !== undefined) ctx.addIssue({ code: 'custom', message: 'both lessThan and lessThanOrEqual', path: ['lessThanOrEqual'] });
    if (range && v.versionType === undefined) ctx.addIssue({ code: 'custom', message: 'a range needs versionType', path: ['versionType'] });
    if (!range && v.changes !== undefined) ctx.addIssue({ code: 'custom', message: 'changes outside a range', path: ['changes'] });
  });

const product = z
  .looseObject({
    vendor: nonEmpty.optional(),
    product: nonEmpty.optional(),
    collectionURL: uri.optional(),
    packageName: nonEmpty.optional(),
    repo: uri.optional(),
    cpes: z.array(z.string().refine(isCpeName, { message: 'not a CPE 2.2 or 2.3 name' })).optional(),
    platforms: z.array(z.string()).min(1).optional(),
    defaultStatus: status.optional(),
    versions: z.array(versionEntry).min(1).optional(),
  })
  .superRefine((p, ctx) => {
    const named = (p.vendor !== undefined && p.product !== undefined) || (p.collectionURL !== undefined && p.packageName !== undefined);
    if (!named) ctx.addIssue({ code: 'custom', message: 'needs vendor and product, or collectionURL and packageName' });
    if (p.versions === undefined && p.defaultStatus === undefined) ctx.addIssue({ code: 'custom', message: 'needs versions or defaultStatus' });
  });

const cpeApplicability = z.array(cpeApplicabilitySchema(isCpe23Name));

/** Fields shared by a published CNA container and an ADP container. */
const containerFields = {
  providerMetadata,
  title: nonEmpty.optional(),
  affected: z.array(product).min(1).optional(),
  cpeApplicability: cpeApplicability.optional(),
  problemTypes: problemTypes.optional(),
  references: references.optional(),
  metrics: metrics.optional(),
};

export const cnaPublished = z.looseObject({
  ...containerFields,
  descriptions: englishDescriptions,
  affected: z.array(product).min(1),
  references,
});

export const cnaRejected = z.looseObject({
  providerMetadata,
  rejectedReasons: englishDescriptions,
  replacedBy: z.array(cveId).min(1).optional(),
});

/** ADP descriptions are not read into the model: checked only for shape. */
export const adpContainer = z.looseObject({ ...containerFields, descriptions: z.array(description).optional() });

const metadataFields = {
  cveId,
  assignerOrgId: nonEmpty,
  assignerShortName: nonEmpty.optional(),
  dateUpdated: isoTimestamp.optional(),
  datePublished: isoTimestamp.optional(),
  dateReserved: isoTimestamp.optional(),
};

const envelopeFields = {
  dataType: z.literal('CVE_RECORD'),
  dataVersion: z.string().regex(DATA_VERSION, { message: 'not a CVE JSON 5.x dataVersion' }),
};

/** First pass: what kind of record this is. */
export const envelope = z.looseObject({
  ...envelopeFields,
  cveMetadata: z.looseObject({ cveId, state: z.enum(['PUBLISHED', 'REJECTED']) }),
  containers: z.looseObject({}),
});

const adpList = z.array(adpContainer).min(1).optional();

export const publishedRecord = z.looseObject({
  ...envelopeFields,
  cveMetadata: z.looseObject({ ...metadataFields, state: z.literal('PUBLISHED') }),
  containers: z.looseObject({ cna: cnaPublished, adp: adpList }),
});

/** 5.1.1 forbids `adp` on a rejected record; it is read here if present (harmless, and 5.2 may differ). */
export const rejectedRecord = z.looseObject({
  ...envelopeFields,
  cveMetadata: z.looseObject({ ...metadataFields, state: z.literal('REJECTED'), dateRejected: isoTimestamp.optional() }),
  containers: z.looseObject({ cna: cnaRejected, adp: adpList }),
});

export type PublishedRecord = z.infer<typeof publishedRecord>;
export type SsvcContent = z.infer<typeof ssvcContent>;
export type RejectedRecord = z.infer<typeof rejectedRecord>;
export type AdpContainer = z.infer<typeof adpContainer>;
export type CnaPublished = z.infer<typeof cnaPublished>;
export type CnaRejected = z.infer<typeof cnaRejected>;
/** What the mapper reads from any container (published CNA or ADP). */
export type ContainerData = Pick<AdpContainer, 'affected' | 'cpeApplicability' | 'problemTypes' | 'references' | 'metrics'>;
