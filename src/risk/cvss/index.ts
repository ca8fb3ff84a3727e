/**
 * CVSS v2.0, v3.0, v3.1 and v4.0: strict parsing and validation (hand-written, parse.ts),
 * scoring through ae-cvss-calculator (engine.ts) and qualitative severity (score.ts).
 * Pure functions, no I/O; expected failures are `{ ok: false, error }` values.
 */
export { MAX_VECTOR_LENGTH, parseCvss } from './parse.js';
export { scoreCvss, severityOf } from './score.js';
export type { CvssResult, CvssScores, CvssSeverity, CvssVersion, ParsedCvss } from './types.js';
