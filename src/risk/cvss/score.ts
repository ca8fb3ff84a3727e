/**
 * Scores and qualitative severity of CVSS vectors. The equations are ae-cvss-calculator's,
 * corrected where it departs from the specs (engine.ts); this file validates first, checks
 * what comes back and maps scores to ratings.
 */
import { computeScores } from './engine.js';
import type { RawScores } from './engine.js';
import { parseCvss } from './parse.js';
import type { CvssResult, CvssScores, CvssSeverity, CvssVersion } from './types.js';

/**
 * The qualitative rating of a score. v3.x and v4.0: the specs' scale (none 0.0, low 0.1-3.9,
 * medium 4.0-6.9, high 7.0-8.9, critical 9.0-10.0). v2 has no scale of its own; NVD's is used
 * (low 0.0-3.9, medium 4.0-6.9, high 7.0-10.0), so a v2 score is never "none" or "critical".
 * Scores between two steps (3.95) fall to the lower rating. Null for a number that is not a
 * CVSS score: NaN, infinite, below 0 or above 10.
 */
export function severityOf(score: number, version: CvssVersion): CvssSeverity | null {
  if (!Number.isFinite(score) || score < 0 || score > 10) return null;
  switch (version) {
    case '2.0':
      return score < 4 ? 'low' : score < 7 ? 'medium' : 'high';
    case '3.0':
    case '3.1':
    case '4.0':
      if (score === 0) return 'none';
      return score < 4 ? 'low' : score < 7 ? 'medium' : score < 9 ? 'high' : 'critical';
  }
}

/** One decimal, no negative zero (the v2 base equation yields -0 when impact is none). */
function clean(value: number): number | null {
  if (!Number.isFinite(value) || value < 0 || value > 10) return null;
  return Math.max(0, Math.round(value * 10) / 10);
}

/**
 * Parses, validates and scores a CVSS vector. Never throws: an invalid vector, or a failure
 * inside the scoring library, comes back as an error naming the problem.
 */
export function scoreCvss(vector: string): CvssResult<CvssScores> {
  const parsed = parseCvss(vector);
  if (!parsed.ok) return parsed;
  const { version, vector: normalised } = parsed.value;
  let raw: RawScores;
  try {
    raw = computeScores(parsed.value);
  } catch (err: unknown) {
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, error: `CVSS ${version}: the scoring library failed on a valid vector: ${reason}` };
  }
  const baseScore = clean(raw.base);
  const score = clean(raw.overall);
  const temporalScore = raw.temporal === null ? null : clean(raw.temporal);
  const environmentalScore = raw.environmental === null ? null : clean(raw.environmental);
  const severity = score === null ? null : severityOf(score, version);
  if (
    baseScore === null || score === null || severity === null ||
    (raw.temporal !== null && temporalScore === null) ||
    (raw.environmental !== null && environmentalScore === null)
  ) {
    return { ok: false, error: `CVSS ${version}: the scoring library returned a score outside 0-10` };
  }
  return { ok: true, value: { version, vector: normalised, baseScore, temporalScore, environmentalScore, score, severity } };
}
