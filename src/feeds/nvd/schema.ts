import { z } from 'zod';
import type { CvssVersion } from '../../core/advisory.js';
import { cpeApplicabilitySchema, isCpe23Structure } from '../cpe.js';
import { isCvssVector } from '../cvss-vector.js';
import { isoTimestamp } from '../timestamp.js';

/**
 * zod for NVD CVE API 2.0 response pages (and the NVD 2.0 JSON feeds, same shape). Strict
 * about what the Advisory is built from, loose (`looseObject`) for everything else: CISA KEV
 * fields, evaluator comments, vendor comments, cveTags, scores and sub-scores (recomputed from
 * the vector by src/risk/cvss), unknown keys.
 */

const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,}$/;
// The NVD schema's own reference URL pattern.
const NVD_URL = /^(ftp|http)s?:\/\/\S+$/;

const nonEmpty = z.string().min(1);

/** The page: recognised by `format` and `version`; each vulnerability is validated on its own. */
export const nvdPage = z.looseObject({
  format: z.literal('NVD_CVE'),
  version: z.string().regex(/^2\.\d+$/, { message: 'not an NVD API 2.x page version' }),
  resultsPerPage: z.number().int().nonnegative().optional(),
  startIndex: z.number().int().nonnegative().optional(),
  totalResults: z.number().int().nonnegative().optional(),
  timestamp: z.string().optional(),
  vulnerabilities: z.array(z.unknown()),
});

const langString = z.looseObject({ lang: nonEmpty, value: z.string() });

const metric = (version: CvssVersion) =>
  z.array(
    z.looseObject({
      source: nonEmpty,
      type: z.enum(['Primary', 'Secondary']),
      cvssData: z.looseObject({
        version: z.literal(version),
        vectorString: z.string().refine((v) => isCvssVector(version, v), { message: `not a CVSS ${version} vector` }),
      }),
    }),
  );

export const nvdCve = z.looseObject({
  id: z.string().regex(CVE_ID, { message: 'not a CVE id (CVE-YYYY-NNNN…)' }),
  sourceIdentifier: z.string().optional(),
  published: isoTimestamp,
  lastModified: isoTimestamp,
  // Optional in NVD's schema, always sent by the API, and `rejected` depends on it.
  vulnStatus: nonEmpty,
  descriptions: z.array(langString).min(1),
  references: z.array(
    z.looseObject({
      url: z.string().regex(NVD_URL, { message: 'not an http(s)/ftp(s) URL' }),
      source: z.string().optional(),
      tags: z.array(z.string()).optional(),
    }),
  ),
  metrics: z
    .looseObject({
      cvssMetricV2: metric('2.0').optional(),
      cvssMetricV30: metric('3.0').optional(),
      cvssMetricV31: metric('3.1').optional(),
      cvssMetricV40: metric('4.0').optional(),
    })
    .optional(),
  weaknesses: z.array(z.looseObject({ source: z.string(), type: z.string(), description: z.array(langString) })).optional(),
  // NVD criteria are only checked for CPE 2.3 structure: NVD's schema leaves them free.
  configurations: z.array(cpeApplicabilitySchema(isCpe23Structure)).optional(),
});

export const nvdVulnerability = z.looseObject({ cve: nvdCve });

export type NvdCve = z.infer<typeof nvdCve>;
