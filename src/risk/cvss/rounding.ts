/**
 * Decimal rounding steps of the CVSS equations, safe against binary floating-point noise.
 * Written by hand because ae-cvss-calculator rounds the raw float: its v2 rounding turns
 * 9.0 × 0.95 = 8.549999999999999 into 8.5 (the spec's exact 8.55 rounds to 8.6), and its
 * v3.0 Roundup turns 5.0 × 0.92 = 4.6000000000000005 into 4.7 (exactly 4.6, so 4.6).
 */

/**
 * Cuts a float to 12 significant digits, which removes the noise of a few multiplications
 * (relative error ~1e-15) and keeps every digit the CVSS constants can produce.
 */
function denoise(value: number): number {
  return Number(value.toPrecision(12));
}

/** v2 round_to_1_decimal: half away from zero (Python's Decimal ROUND_HALF_UP, as Red Hat's). */
export function roundHalfUp1(value: number): number {
  return (Math.sign(value) * Math.round(denoise(Math.abs(value) * 10))) / 10;
}

/** v3.0 Round up: the smallest one-decimal number equal to or higher than the input. */
export function roundUp1(value: number): number {
  return Math.ceil(denoise(value * 10)) / 10;
}
