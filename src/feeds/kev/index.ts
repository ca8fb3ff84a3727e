import type { FeedParser } from '../types.js';
import { DEFAULT_KEV_LIMITS, parseKevFile, sniffKev, type KevLimits } from './parse.js';

export { DEFAULT_KEV_LIMITS, type KevLimits } from './parse.js';

/** The CISA Known Exploited Vulnerabilities catalog, as JSON or as CSV. */
export function createKevParser(limits: KevLimits = DEFAULT_KEV_LIMITS): FeedParser {
  return { id: 'kev', sniff: sniffKev, parse: (file) => parseKevFile(file, limits) };
}

export const kevParser: FeedParser = createKevParser();
