import { z } from 'zod';
import { isCveId, normaliseVulnId } from '../../core/advisory.js';
import { isCalendarDate } from '../calendar-date.js';

/**
 * The CISA KEV catalog entry, from the JSON feed or a CSV row turned into the same shape.
 * Strict on what the model needs (CVE id, dates, the ransomware flag, the text fields CISA
 * always fills); unknown keys are ignored. Fields the catalog added over time
 * (`knownRansomwareCampaignUse` in 2022, `cwes` in 2024, `notes`) may be absent.
 */

/** PostgreSQL text cannot hold U+0000: refused at the door rather than at insert time. */
const text = z.string().refine((s) => !s.includes('\u0000'), { message: 'holds a NUL character' });

const cveId = z
  .string()
  .transform((s) => normaliseVulnId(s))
  .refine(isCveId, { message: 'not a CVE id (CVE-YYYY-NNNN)' });

const day = z.string().refine(isCalendarDate, { message: 'not a YYYY-MM-DD date' });

/**
 * `Known` or `Unknown`, in any case and spacing. Absent (catalogs before October 2022) means
 * CISA had not said: `Unknown`, which is also what CISA writes when it lacks confirmation.
 */
const ransomware = z
  .string()
  .optional()
  .transform((s, ctx) => {
    const v = (s ?? 'Unknown').trim().toLowerCase();
    if (v === 'known') return 'Known' as const;
    if (v === 'unknown') return 'Unknown' as const;
    ctx.addIssue({ code: 'custom', message: `expected Known or Unknown, got ${JSON.stringify((s ?? '').slice(0, 40))}` });
    return z.NEVER;
  });

const CWE = /^CWE-\d{1,7}$/;

/**
 * CWE ids. Values that are not `CWE-NNN` (e.g. `NVD-CWE-noinfo`) are dropped rather than
 * refusing the entry: the entry's point is that the CVE is exploited, and that must not be
 * lost over a weakness label. (The KEV schema would refuse them; none occur in the catalog.)
 */
const cwes = z
  .array(z.string())
  .optional()
  .transform((list) => [...new Set((list ?? []).map((s) => s.trim()).filter((s) => CWE.test(s)))]);

export const kevEntrySchema = z.looseObject({
  cveID: cveId,
  vendorProject: text,
  product: text,
  vulnerabilityName: text,
  dateAdded: day,
  shortDescription: text,
  requiredAction: text,
  dueDate: day,
  knownRansomwareCampaignUse: ransomware,
  notes: text.optional(),
  cwes,
});

export type KevEntryInput = z.output<typeof kevEntrySchema>;

/**
 * The catalog around the entries: only `vulnerabilities` is needed to read it. A bad
 * `catalogVersion` or `count` is reported on its own and does not cost the entries.
 */
export const kevCatalogSchema = z.looseObject({
  vulnerabilities: z.array(z.unknown(), { error: 'expected the catalog\'s "vulnerabilities" array' }),
});
/** 1–64 printable characters (no control characters). */
const isShortLabel = (s: string): boolean => s.length >= 1 && s.length <= 64 && ![...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');
export const catalogVersionSchema = z.string().refine(isShortLabel, { message: 'expected a short catalog version string' });
export const catalogCountSchema = z.number().int().nonnegative();

/** The CSV columns, named as in the JSON feed. */
export const KEV_COLUMNS = [
  'cveID',
  'vendorProject',
  'product',
  'vulnerabilityName',
  'dateAdded',
  'shortDescription',
  'requiredAction',
  'dueDate',
  'knownRansomwareCampaignUse',
  'notes',
  'cwes',
] as const;
export type KevColumn = (typeof KEV_COLUMNS)[number];

/** Columns a CSV must have; the rest were added to the catalog later. */
export const REQUIRED_KEV_COLUMNS: readonly KevColumn[] = KEV_COLUMNS.slice(0, 8);
