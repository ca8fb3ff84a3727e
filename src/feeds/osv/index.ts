import type { FeedParser } from '../types.js';
import { parseOsvFile, sniffOsv } from './parse.js';
import { DEFAULT_OSV_LIMITS, type OsvLimits } from './read.js';

export { DEFAULT_OSV_LIMITS, type OsvLimits } from './read.js';

/** OSV records (JSON, or YAML as in PyPA's advisory database), one per file or zip entry. */
export function createOsvParser(limits: OsvLimits = DEFAULT_OSV_LIMITS): FeedParser {
  return { id: 'osv', sniff: sniffOsv, parse: (file) => parseOsvFile(file, limits) };
}

export const osvParser: FeedParser = createOsvParser();
