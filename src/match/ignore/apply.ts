/**
 * Applying `.vigilignore` entries to findings. An entry covers a finding when its id is the
 * finding's id or one of its aliases (CVE and GHSA ids compared without regard to case) and
 * its package, if any, names the finding's package: a purl with or without version (purl
 * rules in src/match/vex/identity.ts), or a plain name, optionally `name@version` (names
 * compared without regard to case). The first covering entry in file order wins and marks the
 * finding with a suppression (kind `ignore-file`, status `accepted_risk`); the finding is still
 * reported. An entry past its expiry date no longer suppresses and is returned as a warning.
 * A finding already suppressed keeps its suppression. Pure: the clock is passed in.
 */
import type { Finding, FindingPackage } from '../model.js';
import { findingKeys, isPurl, PurlCache, purlMatches, vulnKey } from '../vex/identity.js';
import type { IgnoreEntry, IgnoreProblem } from './model.js';

export interface ApplyIgnoresResult {
  readonly findings: Finding[];
  readonly suppressed: number;
  /** Expired entries (they suppressed nothing), as warnings naming them. */
  readonly expired: readonly IgnoreProblem[];
  /** Unexpired entries that covered no finding (stale entries worth removing). */
  readonly unused: readonly IgnoreEntry[];
}

/** Whether an entry has expired at `now`: it holds through its expiry day, UTC. */
export function isExpired(e: IgnoreEntry, now: Date): boolean {
  if (e.expires === undefined) return false;
  const end = Date.parse(`${e.expires}T00:00:00Z`) + 24 * 3600 * 1000;
  return Number.isNaN(end) || now.getTime() >= end;
}

function namesPackage(pattern: string, pkg: FindingPackage, purls: PurlCache): boolean {
  if (isPurl(pattern)) return pkg.purl !== '' && purlMatches(pattern, pkg.purl, purls);
  const at = pattern.lastIndexOf('@');
  const [name, version] = at > 0 ? [pattern.slice(0, at), pattern.slice(at + 1)] : [pattern, undefined];
  return name.toLowerCase() === pkg.name.toLowerCase() && (version === undefined || version === pkg.version);
}

export function applyIgnores(findings: readonly Finding[], entries: readonly IgnoreEntry[], now: Date): ApplyIgnoresResult {
  const expired: IgnoreProblem[] = [];
  const byKey = new Map<string, { e: IgnoreEntry; i: number }[]>();
  entries.forEach((e, i) => {
    if (isExpired(e, now)) {
      expired.push({ source: e.source, message: `the entry for ${e.id}${e.package ? ` (${e.package})` : ''} expired on ${e.expires!}; it no longer suppresses anything`, severity: 'warning' });
      return;
    }
    const k = vulnKey(e.id);
    const list = byKey.get(k);
    if (list) list.push({ e, i });
    else byKey.set(k, [{ e, i }]);
  });
  const purls = new PurlCache();
  const used = new Set<number>();
  let suppressed = 0;
  const out = findings.map((f) => {
    if (f.suppression) return f;
    let best: { e: IgnoreEntry; i: number } | undefined;
    for (const k of findingKeys(f)) {
      for (const c of byKey.get(k) ?? []) {
        if ((best === undefined || c.i < best.i) && (c.e.package === undefined || namesPackage(c.e.package, f.package, purls))) best = c;
      }
    }
    if (!best) return f;
    used.add(best.i);
    suppressed++;
    const e = best.e;
    return { ...f, suppression: { kind: 'ignore-file' as const, status: 'accepted_risk', reason: e.reason, expires: e.expires, source: e.source } };
  });
  const unused = entries.filter((e, i) => !used.has(i) && !isExpired(e, now));
  return { findings: out, suppressed, expired, unused };
}
