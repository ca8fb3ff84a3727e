import type { Advisory, CvssEntry } from '../core/advisory.js';
import { scoreCvss } from '../risk/cvss/index.js';

/**
 * Scores by vector: a corpus repeats the same few thousand vectors. Bounded (cleared when
 * full; only vectors of a plausible length are kept).
 */
const SCORE_CACHE_MAX = 20_000;
const CACHED_VECTOR_MAX = 256;
type Score = ReturnType<typeof scoreCvss>;
const scores = new Map<string, Score>();
/** Vectors scored here since takeNewScores last ran (bounded like the cache). */
let fresh: [string, Score][] = [];

function remember(vector: string, r: Score): void {
  if (scores.size >= SCORE_CACHE_MAX) scores.clear();
  scores.set(vector, r);
}

function scoreOf(vector: string): Score {
  if (vector.length > CACHED_VECTOR_MAX) return scoreCvss(vector);
  let r = scores.get(vector);
  if (r === undefined) {
    r = scoreCvss(vector);
    remember(vector, r);
    if (fresh.length >= SCORE_CACHE_MAX) fresh = [];
    fresh.push([vector, r]);
  }
  return r;
}

/**
 * The scores computed in this thread since the last call, as plain data: an import worker
 * sends them with its records, so that the importing thread, when it parses some files itself,
 * need not score those vectors again (scoring a vector costs about a millisecond).
 */
export function takeNewScores(): [string, Score][] {
  const out = fresh;
  fresh = [];
  return out;
}

/** Scores computed elsewhere (see takeNewScores); entries that are not plausible ones are ignored. */
export function learnScores(entries: readonly (readonly [string, Score])[]): void {
  for (const [vector, r] of entries) {
    if (typeof vector === 'string' && vector.length <= CACHED_VECTOR_MAX && typeof r === 'object' && r !== null && !scores.has(vector)) remember(vector, r);
  }
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
