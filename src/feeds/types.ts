import type { Advisory, EpssScore, KevEntry } from '../core/advisory.js';

/** Every feed collector, one folder each under src/feeds/. */
export const FEED_IDS = ['cve5', 'osv', 'nvd', 'kev', 'epss'] as const;
export type FeedId = (typeof FEED_IDS)[number];

/** Where a record came from: the file (and zip entry), for error reports and quarantine. */
export interface Origin {
  /** Path as given by the user (or URL for online sources). */
  readonly file: string;
  /** Entry inside an archive, if any. */
  readonly entry?: string | undefined;
  /** 1-based line for line-oriented formats (CSV). */
  readonly line?: number | undefined;
}

export type FeedRecord =
  | { readonly kind: 'advisory'; readonly advisory: Advisory; readonly origin: Origin }
  | { readonly kind: 'kev'; readonly entry: KevEntry; readonly origin: Origin; readonly catalogVersion: string | null }
  | { readonly kind: 'epss'; readonly score: EpssScore; readonly origin: Origin }
  | {
      readonly kind: 'invalid';
      readonly origin: Origin;
      readonly feed: FeedId;
      /** The record id when it could be read. */
      readonly recordId: string | null;
      readonly reason: string;
      /** JSON pointer to the offending value, when known. */
      readonly pointer?: string | undefined;
    };

/** One input file's content, read by the walker (I/O stays outside the parsers). */
export interface FeedFile {
  readonly origin: Origin;
  /** The file or entry name, e.g. `CVE-2024-0012.json`, `all.zip!GO-2022-0001.json`. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

/**
 * A feed's pure part: recognise a file and turn its bytes into records. A parser never
 * throws for bad input: it yields `invalid` records naming the file, the record id and the
 * reason, and goes on with the good records around them.
 */
export interface FeedParser {
  readonly id: FeedId;
  /** Cheap: does this file look like ours? `head` is the first few KiB as text. */
  sniff(name: string, head: string): boolean;
  parse(file: FeedFile): Iterable<FeedRecord>;
}
