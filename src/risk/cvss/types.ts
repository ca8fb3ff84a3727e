import type { CvssVersion, Severity } from '../../core/advisory.js';

export type { CvssVersion };

/** The qualitative ratings a CVSS score maps to (the core `Severity` without `unknown`). */
export type CvssSeverity = Exclude<Severity, 'unknown'>;

/** Expected failures are values, never exceptions. */
export type CvssResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

export interface ParsedCvss {
  readonly version: CvssVersion;
  /**
   * The vector as given, trimmed. CVSS v2 is always the bare form (`AV:N/AC:L/...`), whether it
   * came bare, wrapped in parentheses or with a `CVSS:2.0/` prefix.
   */
  readonly vector: string;
  /** Metric abbreviation → value abbreviation, exactly the metrics the vector lists. */
  readonly metrics: Readonly<Record<string, string>>;
}

export interface CvssScores {
  readonly version: CvssVersion;
  readonly vector: string;
  /** v2/v3: the base score. v4: CVSS-B, the score of the base metrics alone. */
  readonly baseScore: number;
  /**
   * v2: null when the vector has no temporal metric (Red Hat and NVD convention).
   * v3: always a number; with no temporal metric it equals the base score (the spec's
   * Not Defined multipliers are 1). v4: CVSS-BT when the vector has a threat metric
   * (v4 renamed the temporal group "threat"), else null.
   */
  readonly temporalScore: number | null;
  /**
   * v2: null when the vector has no environmental metric. v3: always a number, computed by
   * the spec's environmental equation with Not Defined metrics (it can differ from the base
   * score, e.g. 9.7 for CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:H whose base is 9.6).
   * v4: CVSS-BE when the vector has an environmental metric, else null.
   */
  readonly environmentalScore: number | null;
  /** The score a user sees: v2/v3 the base score, v4 CVSS-BTE of the vector as given. */
  readonly score: number;
  /** The severity of `score` (see `severityOf`). */
  readonly severity: CvssSeverity;
}
