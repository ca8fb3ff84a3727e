import type { JsonLimits } from '../../core/json-input.js';
import type { FeedFile, FeedParser, FeedRecord } from '../types.js';
import { NVD_LIMITS, parseNvdFile } from './parse.js';

/** NVD 2.0 JSON feed file names: nvdcve-2.0-2024.json, nvdcve-2.0-modified.json. */
const NVD_FEED_FILE = /^nvdcve-2\.0-[\w-]+\.json$/i;

/** Cheap recognition: a JSON object whose head carries the NVD page format, or an NVD 2.0 feed name. */
export function sniffNvd(name: string, head: string): boolean {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('{')) return false;
  return /"format"\s*:\s*"NVD_CVE"/.test(text) || (text.includes('"vulnerabilities"') && text.includes('"resultsPerPage"')) || NVD_FEED_FILE.test(name);
}

/** The NVD parser with other limits (tests, or an operator's configuration). */
export function createNvdParser(limits: JsonLimits = NVD_LIMITS): FeedParser {
  return {
    id: 'nvd',
    sniff: sniffNvd,
    parse: (file: FeedFile): Iterable<FeedRecord> => parseNvdFile(file, limits),
  };
}

/** NVD CVE API 2.0 response pages saved as JSON (and the NVD 2.0 JSON feeds). */
export const nvdParser: FeedParser = createNvdParser();

export { NVD_LIMITS, NVD_PRIMARY_SOURCE, parseNvdFile } from './parse.js';
