import type { Advisory, CvssEntry } from '../core/advisory.js';
import { scoreCvss } from '../risk/cvss/index.js';

/**
 * Scores by vector: a corpus repeats the same few thousand vectors. Bounded (cleared when
 * full; only vectors of a plausible length are kept).
 */
const SCORE_CACHE_MAX = 20_000;
const CACHED_VECTOR_MAX = 256;
const scores = new Map<string, ReturnType<typeof scoreCvss>>();

function scoreOf(vector: string): ReturnType<typeof scoreCvss> {
  if (vector.length > CACHED_VECTOR_MAX) return scoreCvss(vector);
  let r = scores.get(vector);
  if (r === undefined) {
    r = scoreCvss(vector);
    if (scores.size >= SCORE_CACHE_MAX) scores.clear();
    scores.set(vector, r);
  }
  return r;
}

/**
 * The normaliser between the bus and the store: scores every CVSS vector with the CVSS
 * library (src/risk/cvss) so that scores never depend on what a source claims, and keeps
 * vectors that do not score with `score: null` (shown, never guessed). Scoring is a pure
 * function of the vector, so results are cached by vector.
 */
export function normaliseAdvisory(a: Advisory): Advisory {
  if (a.cvss.length === 0) return a;
  const cvss = a.cvss.map((c): CvssEntry => {
    const r = scoreOf(c.vector);
    return r.ok ? { ...c, version: r.value.version, vector: r.value.vector, score: r.value.score, severity: r.value.severity } : { ...c, score: null, severity: 'unknown' };
  });
  return { ...a, cvss };
}
