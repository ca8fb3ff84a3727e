/**
 * A requirement catalogue: the requirement ids of one framework edition at the level of its
 * hierarchy that Vigil's rules map to, written by hand from the published standard (never
 * generated from a third-party mapping). Ids use the spelling the rules use in
 * `frameworks: [{ framework, control }]`. Pure data plus small helpers to keep the lists short.
 */
import type { FrameworkId } from '../frameworks.js';

export interface Catalogue {
  readonly framework: FrameworkId;
  /** The edition the ids come from, e.g. "CIS AWS Foundations Benchmark v3.0.0". */
  readonly edition: string;
  /** Which level of the hierarchy is listed, and what is left out. */
  readonly level: string;
  /** Requirement ids, in the standard's order; unique. */
  readonly requirements: readonly string[];
  /** Short titles in our own words, where we wrote them. */
  readonly titles?: Readonly<Record<string, string>>;
  /**
   * A framework whose every requirement this one includes under the same id (PSS Restricted
   * includes Baseline): rule controls mapped to it count here too.
   */
  readonly includes?: FrameworkId;
}

/** `${prefix}${from}` … `${prefix}${to}`, e.g. seq('1.', 1, 3) = 1.1, 1.2, 1.3. */
export function seq(prefix: string, from: number, to: number, suffix = ''): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`${prefix}${i}${suffix}`);
  return out;
}

/** seq() without the numbers in `skip` (withdrawn or unused numbers). */
export function seqExcept(prefix: string, from: number, to: number, skip: readonly number[]): string[] {
  return seq(prefix, from, to).filter((_, i) => !skip.includes(from + i));
}
