import type { FeedParser } from '../types.js';
import { parseEpssFile, sniffEpss } from './parse.js';
import { DEFAULT_EPSS_OPTIONS, epssOptionsSchema, type EpssOptions } from './schema.js';

export { DEFAULT_EPSS_OPTIONS, type EpssOptions } from './schema.js';

/**
 * FIRST EPSS scores. `defaultDate` dates files that carry no date of their own (neither a
 * `score_date` line nor a date in the name); without it such files are refused as a whole.
 * Options are checked here, once: a bad option is the caller's error and throws.
 */
export function createEpssParser(options: Partial<EpssOptions> = {}): FeedParser {
  const opts = epssOptionsSchema.parse({ ...DEFAULT_EPSS_OPTIONS, ...options });
  return { id: 'epss', sniff: sniffEpss, parse: (file) => parseEpssFile(file, opts) };
}

export const epssParser: FeedParser = createEpssParser();
