import { z } from 'zod';
import { isCalendarDate } from '../calendar-date.js';

/**
 * EPSS files are CSV with three columns, read line by line in parse.ts (a schema library per
 * row would cost more than the rest of the parse). What is validated here is the file-level
 * metadata and the options; the per-row rules are the small predicates below.
 */

/** 1–64 printable characters (no control characters). */
const isShortLabel = (s: string): boolean => s.length >= 1 && s.length <= 64 && ![...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f');

/** FIRST's first line: `#model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000`. */
export const epssMetadataSchema = z.looseObject({
  model_version: z.string().refine(isShortLabel, { message: 'model_version is not a short label' }).optional(),
  score_date: z
    .string()
    .transform((s) => s.slice(0, 10))
    .refine(isCalendarDate, { message: 'score_date does not start with a YYYY-MM-DD date' })
    .optional(),
});

export const epssOptionsSchema = z.object({
  /** The score date to use when the file names none (files crawled from the API, e.g. EMBA's). */
  defaultDate: z.string().refine(isCalendarDate, { message: 'defaultDate must be YYYY-MM-DD' }).optional(),
  /** Bad rows reported one by one; beyond this one summary record counts the rest. */
  maxInvalidRows: z.number().int().nonnegative(),
  /** A longer line is refused without being split (rows are about 40 characters). */
  maxLineLength: z.number().int().positive(),
  /** Largest input accepted, in bytes (FIRST's daily file is about 10 MB uncompressed). */
  maxBytes: z.number().int().positive(),
});

export type EpssOptions = z.output<typeof epssOptionsSchema>;

export const DEFAULT_EPSS_OPTIONS: EpssOptions = { maxInvalidRows: 1000, maxLineLength: 1024, maxBytes: 256 * 1024 * 1024 };

/** A probability as FIRST writes it: a plain decimal (an exponent and spaces around are tolerated). */
const DECIMAL = /^ *(?:\d{1,20}(?:\.\d{0,20})?|\.\d{1,20})(?:[eE][+-]?\d{1,3})? *$/;

/** The value in [0, 1], or null when the cell is not a number in that range. */
export function probability(cell: string): number | null {
  if (!DECIMAL.test(cell)) return null;
  const v = Number(cell);
  return v >= 0 && v <= 1 ? v : null;
}
