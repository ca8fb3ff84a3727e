/**
 * The one place that touches ae-cvss-calculator (pinned at 1.0.13). It is a webpack UMD
 * bundle whose named exports Node's ESM loader cannot see: import the CommonJS default.
 *
 * Library API used (read from dist/types and the bundle):
 * - `new Cvss2(v)`, `new Cvss3P0(v)`, `new Cvss3P1(v)`, `new Cvss4P0(v)` parse a vector;
 *   `calculateScores()` returns scores rounded to one decimal.
 * - v2/v3 (`MultiScoreResult`): `base`; `temporal` only when a temporal metric is defined;
 *   `environmental` only when an environmental metric is defined; `overall` is the most
 *   specific of the three. v3.1 uses the spec's float-safe Roundup and the v3.1
 *   environmental equation (0.9731, exponent 13); v3.0 its own equations and `roundUp1`.
 * - v4 (`V4ScoreResult`): `overall` (= `base`) is CVSS-BTE of the vector as given,
 *   `baseMetricsOnly` CVSS-B, `threat` CVSS-BT (only with a threat metric), `environmental`
 *   CVSS-BE (only with an environmental metric).
 * - `getComponentByString(id)` returns the metric's value object, whose `value` is its weight.
 * - Invalid input: unknown metrics or values throw, a field without ":" throws a TypeError,
 *   duplicates silently overwrite, missing base metrics score 0. Hence parse.ts runs first
 *   and only validated vectors come here; calls are still wrapped, never trusted not to throw.
 *
 * Written by hand here, each checked against Red Hat's `cvss` library: corpus.test.ts, and
 * when this was written a differential run of ~290,000 generated vectors (every v2 base ×
 * temporal combination, every v4.0 base vector, random v3.0/v3.1/v4.0 vectors with temporal,
 * threat and environmental metrics), with no difference left:
 * - v2 temporal and environmental scores. The library rounds floats as they come (9.0 × 0.95
 *   → 8.5, not 8.6), and its environmental equation departs from the v2 guide (§3.2.3): it
 *   rounds the exploitability subscore and not AdjustedBase / AdjustedTemporal, and can go
 *   below 0. The v2 base score is the library's: all 729 base vectors match the corpus.
 * - v3.0 Roundup: the library's `roundUp1` is `Math.ceil(10 * x) / 10`, which rounds float
 *   noise up (5.0 × 0.92 → 4.7); a subclass replaces it with a float-safe ceiling.
 * - v3 temporal score with no temporal metric: Roundup(Base × 1 × 1 × 1) = Base.
 * - v3 environmental score with no environmental metric: the spec's equation with every metric
 *   Not Defined. The library returns nothing when no environmental metric is set, so it is
 *   asked for the same vector with CR:M, whose weight (1.0) is CR:X's in v3.0 and v3.1 alike.
 */
import aeCvss from 'ae-cvss-calculator';
import { roundHalfUp1, roundUp1 } from './rounding.js';
import type { ParsedCvss } from './types.js';

export interface RawScores {
  readonly base: number;
  readonly temporal: number | null;
  readonly environmental: number | null;
  /** v2/v3: the base score; v4: CVSS-BTE. */
  readonly overall: number;
}

const { Cvss2, Cvss3P0, Cvss3P1, Cvss4P0 } = aeCvss;

/** CVSS v3.0 with the spec's exact Round up in place of the library's float ceiling. */
class ExactCvss3P0 extends Cvss3P0 {
  protected override roundUp1(value: number): number {
    return roundUp1(value);
  }
}

type Cvss2Vector = InstanceType<typeof Cvss2>;
type Cvss3Vector = ExactCvss3P0 | InstanceType<typeof Cvss3P1>;

/** A score the library must have produced for a validated vector. */
function required(value: number | undefined, what: string): number {
  if (value === undefined) throw new Error(`the library computed no ${what}`);
  return value;
}

/** The weight the library gives the vector's value of metric `id` (Not Defined included). */
function weight(vector: Cvss2Vector, id: string): number {
  const component = vector.getComponentByString(id);
  if (!('value' in component) || typeof component.value !== 'number') {
    throw new Error(`the library has no numeric weight for ${id}`);
  }
  return component.value;
}

/** v2 guide §3.2.2: round_to_1_decimal(BaseScore × E × RL × RC); null without temporal metrics. */
function v2Temporal(vector: Cvss2Vector, base: number): number | null {
  if (!vector.isAnyTemporalDefined()) return null;
  return roundHalfUp1(base * weight(vector, 'E') * weight(vector, 'RL') * weight(vector, 'RC'));
}

/** v2 guide §3.2.3, rounding each intermediate score as its own equation does. */
function v2Environmental(vector: Cvss2Vector): number | null {
  if (!vector.isAnyEnvironmentalDefined()) return null;
  const w = (id: string): number => weight(vector, id);
  const adjustedImpact = Math.min(
    10,
    10.41 * (1 - (1 - w('C') * w('CR')) * (1 - w('I') * w('IR')) * (1 - w('A') * w('AR'))),
  );
  const exploitability = 20 * w('AV') * w('AC') * w('Au');
  const f = adjustedImpact === 0 ? 0 : 1.176;
  const adjustedBase = roundHalfUp1((0.6 * adjustedImpact + 0.4 * exploitability - 1.5) * f);
  const adjustedTemporal = roundHalfUp1(adjustedBase * w('E') * w('RL') * w('RC'));
  return Math.max(0, roundHalfUp1((adjustedTemporal + (10 - adjustedTemporal) * w('CDP')) * w('TD')));
}

function v3EnvironmentalWithNotDefined(vector: Cvss3Vector): number | undefined {
  const neutral = vector.clone();
  neutral.applyComponentString('CR', 'M');
  return neutral.calculateScores().environmental;
}

/** Scores a vector that parseCvss accepted. May throw if the library does: callers catch. */
export function computeScores(parsed: ParsedCvss): RawScores {
  switch (parsed.version) {
    case '2.0': {
      const vector = new Cvss2(parsed.vector);
      const base = required(vector.calculateScores().base, 'base score');
      return { base, temporal: v2Temporal(vector, base), environmental: v2Environmental(vector), overall: base };
    }
    case '3.0':
    case '3.1': {
      const vector: Cvss3Vector = parsed.version === '3.0' ? new ExactCvss3P0(parsed.vector) : new Cvss3P1(parsed.vector);
      const s = vector.calculateScores();
      const base = required(s.base, 'base score');
      const environmental = s.environmental ?? v3EnvironmentalWithNotDefined(vector);
      return {
        base,
        temporal: s.temporal ?? base,
        environmental: required(environmental, 'environmental score'),
        overall: base,
      };
    }
    case '4.0': {
      const s = new Cvss4P0(parsed.vector).calculateScores();
      return {
        base: required(s.baseMetricsOnly, 'CVSS-B score'),
        temporal: s.threat ?? null,
        environmental: s.environmental ?? null,
        overall: s.overall,
      };
    }
  }
}
