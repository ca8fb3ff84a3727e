import type { Reference } from '../core/advisory.js';

/**
 * References from several containers or sources, deduplicated by URL. A URL seen again
 * keeps its first position and gains the new tags (first-seen order, no repeats).
 */
export class ReferenceList {
  private readonly byUrl = new Map<string, string[]>();

  add(url: string, tags: readonly string[] = []): void {
    const have = this.byUrl.get(url);
    if (!have) {
      this.byUrl.set(url, [...new Set(tags)]);
      return;
    }
    for (const t of tags) if (!have.includes(t)) have.push(t);
  }

  toArray(): Reference[] {
    return [...this.byUrl].map(([url, tags]) => ({ url, tags }));
  }
}

// RFC 3986: a scheme, then only unreserved, reserved and percent characters (ASCII, no
// spaces). Close to the `uri` format the CVE 5 schema applies, without a full URI grammar.
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/;
const MAX_URI = 2048;

/** An absolute URI (scheme and RFC 3986 characters only). */
export function isUri(s: string): boolean {
  return s.length <= MAX_URI && URI.test(s);
}
