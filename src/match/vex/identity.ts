/**
 * How a VEX statement or an ignore entry names the same thing as a finding: vulnerability ids
 * (CVE and GHSA ids compared without regard to case, every other id exactly) and package URLs
 * (a pattern purl without a version matches every version; without qualifiers or subpath it
 * ignores the package's). Pure.
 */
import type { PackageURL } from 'packageurl-js';
import { parsePurl } from '../../inventory/sbom/ecosystem.js';
import type { Finding } from '../model.js';

const CASELESS = /^(?:cve|ghsa)-/i;

/** The comparison key of a vulnerability id: CVE-/GHSA- ids upper-cased, others as written (trimmed). */
export function vulnKey(id: string): string {
  const t = id.trim();
  return CASELESS.test(t) ? t.toUpperCase() : t;
}

/** The keys of a finding's id and aliases. */
export function findingKeys(f: Finding): string[] {
  return [f.id, ...f.aliases].map(vulnKey);
}

/** Parsed purls, cached: matching parses each distinct purl once. */
export class PurlCache {
  private readonly cache = new Map<string, PackageURL | null>();

  get(text: string): PackageURL | null {
    let p = this.cache.get(text);
    if (p === undefined) {
      const r = text.startsWith('pkg:') ? parsePurl(text) : undefined;
      p = r?.ok ? r.purl : null;
      this.cache.set(text, p);
    }
    return p;
  }
}

const sameText = (a: string | undefined | null, b: string | undefined | null): boolean => (a ?? '') === (b ?? '');

/**
 * Whether `pattern` (a statement's or ignore entry's purl) names `target` (a package's purl):
 * same type, namespace and name; the same version unless the pattern has none; each of the
 * pattern's qualifiers present with the same value (none = any); the same subpath unless the
 * pattern has none. Unparsable purls match only the identical string.
 */
export function purlMatches(pattern: string, target: string, cache: PurlCache = new PurlCache()): boolean {
  if (pattern === target) return true;
  const p = cache.get(pattern);
  const t = cache.get(target);
  if (!p || !t) return false;
  if (p.type.toLowerCase() !== t.type.toLowerCase() || !sameText(p.namespace, t.namespace) || p.name !== t.name) return false;
  if (p.version && p.version !== t.version) return false;
  if (p.subpath && p.subpath !== t.subpath) return false;
  for (const [k, v] of Object.entries(p.qualifiers ?? {})) if (t.qualifiers?.[k] !== v) return false;
  return true;
}

/** Whether a string looks like a purl (cheap prefix test; parsing decides). */
export const isPurl = (s: string): boolean => s.startsWith('pkg:');
