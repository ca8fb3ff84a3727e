/**
 * Applying VEX statements to findings. A statement covers a finding when
 *  - its vulnerability or one of its aliases is the finding's id or one of its aliases
 *    (CVE and GHSA ids compared without regard to case), and
 *  - without subcomponents: one of its products is the finding's package (purl rules in
 *    identity.ts, or the package id), or is the scanned product itself (`opts.product`), in
 *    which case it covers every package;
 *  - with subcomponents: one of them is the finding's package, and one of its products is the
 *    scanned product, the package or a package on its dependency path (when the scanned
 *    product is unknown, `opts.product` undefined, the product is not checked).
 * A statement limited to a version range (`versionRange`, from CycloneDX `vers:` ranges)
 * covers a package only when the package's version is inside the range, and the scanned
 * product only when a product identifier carries a version inside it (`name@version`, a purl
 * with a version); a version the range's scheme cannot read decides nothing and is reported
 * in `problems`.
 * Of the statements covering a finding, the latest (by timestamp, then document order) wins:
 * `not_affected` or `fixed` suppresses it (kind `vex`); `affected` or `under_investigation`
 * leaves it open. A finding already suppressed (by triage or an ignore entry) keeps its
 * suppression. Pure.
 */
import type { Finding, FindingPackage, Suppression } from '../model.js';
import { timeOf } from './common.js';
import { findingKeys, isPurl, PurlCache, purlMatches, vulnKey } from './identity.js';
import type { VexProblem, VexStatement } from './model.js';
import { versContains } from './vers/contains.js';

export interface ApplyVexOptions {
  /**
   * Identifiers the scanned product is known by: its purl, name, `name@version`, the SBOM's
   * root bom-ref. Undefined when unknown: statements about a product (not a package) then
   * apply to nothing.
   */
  readonly product?: readonly string[] | undefined;
}

export interface ApplyVexResult {
  readonly findings: Finding[];
  /** How many findings this call suppressed. */
  readonly suppressed: number;
  /** Sources of the statements that decided at least one finding (suppressing it or keeping it open). */
  readonly used: readonly string[];
  /** Statements that could not be evaluated for a package or product (a version their range's scheme cannot read). */
  readonly problems: readonly VexProblem[];
}

const lower = (s: string): string => s.toLowerCase();

export function applyVex(findings: readonly Finding[], statements: readonly VexStatement[], opts: ApplyVexOptions = {}): ApplyVexResult {
  const byKey = new Map<string, number[]>();
  statements.forEach((s, i) => {
    for (const k of new Set([s.vulnerability, ...s.aliases].map(vulnKey))) {
      const list = byKey.get(k);
      if (list) list.push(i);
      else byKey.set(k, [i]);
    }
  });
  const m = new Matcher(opts);
  const used = new Set<string>();
  let suppressed = 0;
  const out = findings.map((f) => {
    if (f.suppression) return f;
    const candidates = new Set<number>();
    for (const k of findingKeys(f)) for (const i of byKey.get(k) ?? []) candidates.add(i);
    let winner: { s: VexStatement; i: number; t: number } | undefined;
    for (const i of candidates) {
      const s = statements[i]!;
      if (!m.covers(s, f)) continue;
      const t = timeOf(s.timestamp);
      if (!winner || t > winner.t || (t === winner.t && i > winner.i)) winner = { s, i, t };
    }
    if (!winner) return f;
    used.add(winner.s.source);
    if (winner.s.status !== 'not_affected' && winner.s.status !== 'fixed') return f;
    suppressed++;
    return { ...f, suppression: suppressionOf(winner.s) };
  });
  return { findings: out, suppressed, used: [...used], problems: m.problems };
}

function suppressionOf(s: VexStatement): Suppression {
  return {
    kind: 'vex',
    status: s.originalStatus === 'false_positive' ? 'false_positive' : s.status,
    justification: s.justification,
    reason: s.impact ?? s.action,
    source: s.source,
  };
}

/** `pkg:…#2` (a package id for a repeated purl) → the purl. */
const purlOfId = (id: string): string => {
  const hash = id.lastIndexOf('#');
  return hash > 0 && /^#\d+$/.test(id.slice(hash)) ? id.slice(0, hash) : id;
};

class Matcher {
  private readonly purls = new PurlCache();
  private readonly product: readonly string[] | undefined;
  readonly problems: VexProblem[] = [];
  private readonly reported = new Set<string>();

  constructor(opts: ApplyVexOptions) {
    this.product = opts.product?.filter((p) => p.trim() !== '');
  }

  covers(s: VexStatement, f: Finding): boolean {
    const pkg = f.package;
    if (s.subcomponents.length === 0) return s.products.some((p) => (this.isPackage(p, pkg) && this.inRange(s, pkg.version, pkg.purl || pkg.name)) || this.isScannedProduct(p, s));
    if (!s.subcomponents.some((c) => this.isPackage(c, pkg) && this.inRange(s, pkg.version, pkg.purl || pkg.name))) return false;
    if (this.product === undefined) return true;
    return s.products.some((p) => this.isScannedProduct(p) || this.isPackage(p, pkg) || f.path.some((id) => id !== pkg.id && this.isId(p, id)));
  }

  private isPackage(id: string, pkg: FindingPackage): boolean {
    return id === pkg.id || (isPurl(id) && pkg.purl !== '' && purlMatches(id, pkg.purl, this.purls));
  }

  private isId(id: string, packageId: string): boolean {
    return id === packageId || (isPurl(id) && purlMatches(id, purlOfId(packageId), this.purls));
  }

  /** Whether `version` is inside the statement's range (always, without one); a version the range cannot read is reported once. */
  private inRange(s: VexStatement, version: string | undefined, what: string): boolean {
    const r = s.versionRange;
    if (!r) return true;
    if (version === undefined || version === '') {
      this.report(s, `${what}|`, `${what}: no version, so the range ${r.text} cannot be checked; not applied`);
      return false;
    }
    const c = versContains(r.range, version);
    if (c === 'invalid') this.report(s, `${what}|${version}`, `${what}: "${version}" is not a valid ${r.range.scheme?.id ?? r.range.type} version, so the range ${r.text} cannot be checked; not applied`);
    return c === 'in';
  }

  private report(s: VexStatement, key: string, message: string): void {
    const k = `${s.source}\n${key}`;
    if (this.reported.has(k)) return;
    this.reported.add(k);
    this.problems.push({ source: s.source, message, severity: 'warning' });
  }

  /**
   * A statement product naming the scanned product: purl rules between purls, else the same
   * text (any case), a version-less name matching any version. With a version range (given
   * `s`), the matching product identifier must carry a version inside it.
   */
  private isScannedProduct(p: string, s?: VexStatement): boolean {
    if (this.product === undefined) return false;
    const lp = lower(p);
    const ranged = s?.versionRange !== undefined ? s : undefined;
    // With a range: whether some matching identifier had a version, and one that had none.
    let checked = false;
    let versionless: string | undefined;
    const withVersion = (q: string, version: string | null | undefined): boolean => {
      if (!ranged) return true;
      if (!version) {
        versionless = q;
        return false;
      }
      checked = true;
      return this.inRange(ranged, version, q);
    };
    const hit = this.product.some((q) => {
      if (isPurl(p) && isPurl(q)) return purlMatches(p, q, this.purls) && withVersion(q, this.purls.get(q)?.version);
      const lq = lower(q);
      if (lp === lq) return withVersion(q, undefined);
      if (lp.includes('@', 1) || !lq.startsWith(`${lp}@`)) return false;
      // `p` has no "@" after its first character, so the first one in `q` ends the name.
      return withVersion(q, q.slice(q.indexOf('@', 1) + 1));
    });
    if (!hit && ranged && !checked && versionless !== undefined) this.inRange(ranged, undefined, `the scanned product ${versionless}`);
    return hit;
  }
}
