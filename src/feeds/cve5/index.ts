import type { FeedFile, FeedParser, FeedRecord } from '../types.js';
import type { JsonLimits } from '../../core/json-input.js';
import { CVE5_LIMITS, parseCve5File } from './parse.js';

/** A cvelistV5 file name: CVE-2024-3094.json. */
const CVE_FILE = /^CVE-\d{4}-\d{4,}\.json$/i;

/** Head markers of the other JSON feeds that also name files CVE-….json: NVD pages and OSV records. */
const OTHER_FORMAT = /"NVD_CVE"|"schema_version"\s*:|"modified"\s*:/;

/**
 * Cheap recognition: a JSON object whose head names the CVE record type, or else a cvelistV5
 * file name on a head that does not look like an NVD page or an OSV record (both are also
 * saved as CVE-….json, and this parser is tried first).
 */
export function sniffCve5(name: string, head: string): boolean {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (!text.startsWith('{')) return false;
  if (text.includes('"CVE_RECORD"') || (text.includes('"dataType"') && text.includes('"cveMetadata"'))) return !text.includes('"NVD_CVE"');
  return CVE_FILE.test(name) && !OTHER_FORMAT.test(text);
}

/** The CVE JSON 5.x parser with other limits (tests, or an operator's configuration). */
export function createCve5Parser(limits: JsonLimits = CVE5_LIMITS): FeedParser {
  return {
    id: 'cve5',
    sniff: sniffCve5,
    parse: (file: FeedFile): Iterable<FeedRecord> => parseCve5File(file, limits),
  };
}

/** CVE JSON 5.x records (cvelistV5, Vulnrichment), one record per file. */
export const cve5Parser: FeedParser = createCve5Parser();

export { CVE5_LIMITS, parseCve5File, parseCve5Record } from './parse.js';
