import type { ReadResult } from './model.js';

/**
 * One inventory format's pure part: `bytes → packages`. The walker does the I/O and hands
 * the reader the file's text plus a way to read companion files in the same tree (go.sum
 * beside go.mod, package.json beside a lockfile, a parent pom.xml, `-r` includes of a
 * requirements file) through `readFile`, which enforces the walker's limits and returns
 * undefined for a file that is absent or refused.
 *
 * A reader never throws for bad input: it returns problems naming the file, the line (or
 * JSON pointer) and what was expected, and keeps the good packages around a bad entry.
 */
export interface ReaderInput {
  /** Path relative to the scan root, `/`-separated (e.g. `services/api/package-lock.json`). */
  readonly path: string;
  readonly text: string;
  /** Reads another file by path relative to the scan root (`/`-separated, `..` resolved by the caller). */
  readonly readFile?: ((path: string) => string | undefined) | undefined;
}

export interface InventoryReader {
  /** Stable id, e.g. `npm-lock`, `yarn-lock`, `poetry-lock`, `dpkg-status`. */
  readonly id: string;
  /** Human name for reports, e.g. `npm package-lock.json`. */
  readonly title: string;
  /**
   * Does this reader want the file at `path` (relative, `/`-separated)? Decided on the name
   * and location only (e.g. basename `package-lock.json`, or `var/lib/dpkg/status`).
   */
  matches(path: string): boolean;
  read(input: ReaderInput): ReadResult;
}

/** Readers that take binary input (RPM sqlite database) get the bytes instead of text. */
export interface BinaryInventoryReader extends Omit<InventoryReader, 'read'> {
  readonly binary: true;
  read(input: { readonly path: string; readonly bytes: Uint8Array; readonly readFile?: ReaderInput['readFile'] }): ReadResult | Promise<ReadResult>;
}

export type AnyInventoryReader = InventoryReader | BinaryInventoryReader;

export const isBinaryReader = (r: AnyInventoryReader): r is BinaryInventoryReader => 'binary' in r && r.binary;
