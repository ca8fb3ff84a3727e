import type { Advisory, CvssEntry } from '../core/advisory.js';
import { scoreCvss } from '../risk/cvss/index.js';

/**
 * The normaliser between the bus and the store: scores every CVSS vector with the CVSS
 * library (src/risk/cvss) so that scores never depend on what a source claims, and keeps
 * vectors that do not score with `score: null` (shown, never guessed).
 */
export function normaliseAdvisory(a: Advisory): Advisory {
  if (a.cvss.length === 0) return a;
  const cvss = a.cvss.map((c): CvssEntry => {
    const r = scoreCvss(c.vector);
    return r.ok ? { ...c, version: r.value.version, vector: r.value.vector, score: r.value.score, severity: r.value.severity } : { ...c, score: null, severity: 'unknown' };
  });
  return { ...a, cvss };
}
