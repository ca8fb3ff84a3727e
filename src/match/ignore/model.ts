/** `.vigilignore` entries and the problems met reading them. Pure data. */

export interface IgnoreEntry {
  /** Advisory id or alias (`CVE-…`, `GHSA-…`, `PYSEC-…` …). */
  readonly id: string;
  /** A purl (with or without version) or a package name (optionally `name@version`); undefined = every package. */
  readonly package?: string | undefined;
  /** `YYYY-MM-DD`: the entry suppresses through that day (UTC) and then expires. */
  readonly expires?: string | undefined;
  readonly reason: string;
  /** `file:line`. */
  readonly source: string;
}

export interface IgnoreProblem {
  /** `file:line` (`file` for the whole file). */
  readonly source: string;
  readonly message: string;
  /** 'error' = the file is wrong (the CLI exits 2); 'warning' = read, with a caveat. */
  readonly severity: 'error' | 'warning';
}

export interface IgnoreFile {
  readonly format: 'lines' | 'yaml';
  readonly entries: readonly IgnoreEntry[];
  readonly problems: readonly IgnoreProblem[];
}

export interface IgnoreLimits {
  readonly maxChars: number;
  readonly maxEntries: number;
}

export const DEFAULT_IGNORE_LIMITS: IgnoreLimits = { maxChars: 4 * 1024 * 1024, maxEntries: 100_000 };
