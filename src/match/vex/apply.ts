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
 * Of the statements covering a finding, the latest (by timestamp, then document order) wins:
 * `not_affected` or `fixed` suppresses it (kind `vex`); `affected` or `under_investigation`
 * leaves it open. A finding already suppressed (by triage or an ignore entry) keeps its
 * suppression. Pure.
 */
import type { Finding, FindingPackage, Suppression } from '../model.js';
import { timeOf } from './common.js';
import { findingKeys, isPurl, PurlCache, purlMatches, vulnKey } from './identity.js';
import type { VexStatement } from './model.js';

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
  return { findings: out, suppressed, used: [...used] };
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

  constructor(opts: ApplyVexOptions) {
    this.product = opts.product?.filter((p) => p.trim() !== '');
  }

  covers(s: VexStatement, f: Finding): boolean {
    const pkg = f.package;
    if (s.subcomponents.length === 0) return s.products.some((p) => this.isPackage(p, pkg) || this.isScannedProduct(p));
    if (!s.subcomponents.some((c) => this.isPackage(c, pkg))) return false;
    if (this.product === undefined) return true;
    return s.products.some((p) => this.isScannedProduct(p) || this.isPackage(p, pkg) || f.path.some((id) => id !== pkg.id && this.isId(p, id)));
  }

  private isPackage(id: string, pkg: FindingPackage): boolean {
    return id === pkg.id || (isPurl(id) && pkg.purl !== '' && purlMatches(id, pkg.purl, this.purls));
  }

  private isId(id: string, packageId: string): boolean {
    return id === packageId || (isPurl(id) && purlMatches(id, purlOfId(packageId), this.purls));
  }

  /** A statement product naming the scanned product: purl rules between purls, else the same text (any case), a version-less name matching any version. */
  private isScannedProduct(p: string): boolean {
    if (this.product === undefined) return false;
    const lp = lower(p);
    return this.product.some((q) => {
      if (isPurl(p) && isPurl(q)) return purlMatches(p, q, this.purls);
      const lq = lower(q);
      return lp === lq || (!lp.includes('@', 1) && lq.startsWith(`${lp}@`));
    });
  }
}
