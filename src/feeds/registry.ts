import { cve5Parser } from './cve5/index.js';
import { epssParser } from './epss/index.js';
import { kevParser } from './kev/index.js';
import { nvdParser } from './nvd/index.js';
import { osvParser } from './osv/index.js';
import type { FeedId, FeedParser } from './types.js';

/**
 * Every feed parser, in the order auto-detection tries them (the most specific sniff first).
 * Adding a feed: one folder under src/feeds/ and one line here; registry.test.ts checks the
 * list against FEED_IDS.
 */
export const FEED_PARSERS: readonly FeedParser[] = [cve5Parser, nvdParser, kevParser, epssParser, osvParser];

export function parserFor(id: FeedId): FeedParser {
  const p = FEED_PARSERS.find((x) => x.id === id);
  if (!p) throw new Error(`no parser registered for feed ${id}`);
  return p;
}
