/**
 * CPE applicability matching (`vigil scan --cpe`), for packages no ecosystem advisory covers:
 * a package (from its SBOM CPE, or its name) against the NVD / CVE 5 `configurations`
 * (NISTIR 7696 name matching on part, vendor, product; version ranges from
 * versionStart/End including/excluding). Written by hand: no maintained JavaScript library
 * matches CPE applicability statements. Vendors name versions freely, so versions compare by
 * a generic rule (numeric segments as numbers, others as text); every such finding is low
 * confidence and says so.
 */
import type { CpeConfiguration, CpeMatch } from '../../core/advisory.js';

export interface CpeName {
  readonly part: string;
  readonly vendor: string;
  readonly product: string;
  readonly version: string;
}

/** Splits a CPE 2.3 formatted string into its fields (escaped colons kept), or undefined. */
export function parseCpe23(s: string): CpeName | undefined {
  if (!s.startsWith('cpe:2.3:') || s.length > 2048) return undefined;
  const fields: string[] = [];
  let cur = '';
  for (let i = 8; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      continue;
    }
    if (c === ':') {
      fields.push(cur);
      cur = '';
    } else cur += c;
  }
  fields.push(cur);
  if (fields.length !== 11) return undefined;
  return { part: fields[0]!, vendor: fields[1]!.toLowerCase(), product: fields[2]!.toLowerCase(), version: fields[3]! };
}

const SEGMENT = /\d+|[a-z]+/gi;
const PRE = /^(?:alpha|beta|rc|pre|preview|dev|snapshot|milestone)$/;

/** Generic vendor version order: numeric runs as numbers, letter runs as text (`1.10` > `1.9`, `1.0a` > `1.0` > `1.0-beta`). */
export function compareLoose(a: string, b: string): number {
  const sa = a.toLowerCase().match(SEGMENT) ?? [];
  const sb = b.toLowerCase().match(SEGMENT) ?? [];
  for (let i = 0; i < Math.max(sa.length, sb.length); i++) {
    const x = sa[i];
    const y = sb[i];
    // One runs out: a further number or suffix letter (`1.0.2a`, OpenSSL style) is later; a
    // pre-release word (`1.0-beta`) is earlier.
    if (x === undefined) return PRE.test(y!) ? 1 : -1;
    if (y === undefined) return PRE.test(x) ? -1 : 1;
    const nx = /^\d/.test(x);
    const ny = /^\d/.test(y);
    if (nx && ny) {
      // Digit strings of any length: without leading zeros, the longer is larger, else compare as text.
      const u = x.replace(/^0+(?=\d)/, '');
      const w = y.replace(/^0+(?=\d)/, '');
      if (u.length !== w.length) return u.length - w.length;
      if (u !== w) return u < w ? -1 : 1;
    } else if (nx !== ny) return nx ? 1 : -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

const ANY = new Set(['*', '']);

/** Does one CPE match criterion cover the package's (vendor, product, version)? */
export function cpeMatchCovers(m: CpeMatch, pkg: { vendor?: string | undefined; product: string; version: string }): boolean {
  if (!m.vulnerable) return false;
  const c = parseCpe23(m.criteria);
  if (!c || (c.part !== 'a' && c.part !== '*')) return false;
  if (c.product !== pkg.product) return false;
  if (pkg.vendor !== undefined && !ANY.has(c.vendor) && c.vendor !== pkg.vendor) return false;
  if (!ANY.has(c.version) && c.version !== '-') return compareLoose(c.version, pkg.version) === 0;
  const v = pkg.version;
  if (m.versionStartIncluding !== undefined && compareLoose(v, m.versionStartIncluding) < 0) return false;
  if (m.versionStartExcluding !== undefined && compareLoose(v, m.versionStartExcluding) <= 0) return false;
  if (m.versionEndIncluding !== undefined && compareLoose(v, m.versionEndIncluding) > 0) return false;
  if (m.versionEndExcluding !== undefined && compareLoose(v, m.versionEndExcluding) >= 0) return false;
  // A bare `*` with no range at all says every version: too broad to report on a guess.
  return c.version === '-' ? false : m.versionStartIncluding !== undefined || m.versionStartExcluding !== undefined || m.versionEndIncluding !== undefined || m.versionEndExcluding !== undefined;
}

/**
 * The configurations that flag the package, with the fix a range names (versionEndExcluding).
 * Platform conditions of AND configurations (e.g. "on Windows") cannot be checked from an
 * inventory and are ignored: another reason these matches are low confidence.
 */
export function cpeVerdict(configs: readonly CpeConfiguration[], pkg: { vendor?: string | undefined; product: string; version: string }): { affected: boolean; fixed: string[] } {
  const fixed = new Set<string>();
  let affected = false;
  for (const c of configs) {
    if (c.negate) continue;
    for (const n of c.nodes) {
      if (n.negate) continue;
      for (const m of n.cpeMatch) {
        if (!cpeMatchCovers(m, pkg)) continue;
        affected = true;
        if (m.versionEndExcluding !== undefined) fixed.add(m.versionEndExcluding);
      }
    }
  }
  return { affected, fixed: [...fixed].sort(compareLoose) };
}
