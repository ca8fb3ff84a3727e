/**
 * The matcher: an inventory against the advisories that name its packages. Pure: the caller
 * loads the candidate advisories (src/match/load.ts) and the enrichment (CVSS of other
 * records, KEV, EPSS); this decides, per package, which `affected` entries hold for its
 * version with the ecosystem's own comparator, merges the hits of one vulnerability (its
 * alias group: GHSA ↔ CVE ↔ PYSEC …) into one finding, and explains it (fix, path, risk).
 */
import type { CvssEntry, Severity } from '../core/advisory.js';
import { normaliseVulnId, SEVERITIES } from '../core/advisory.js';
import { ecosystemBase, ecosystemRelease, normaliseName, matchKey } from '../core/ecosystem.js';
import type { Edge, Package } from '../inventory/model.js';
import type { AdvisoryIndex, CandidateAdvisory, Enrichment } from './candidates.js';
import type { Finding, MatchKind, MatchProblem } from './model.js';
import { evaluate, sortFixes, type EvalContext } from './osv/affected.js';
import { dependencyPaths } from './paths.js';
import { riskScore, type Criticality } from './risk.js';

export interface MatchOptions {
  /** Project criticality for the risk score (default medium). */
  readonly criticality?: Criticality | undefined;
}

/** One package's hits, grouped by vulnerability, before enrichment. */
export interface PackageMatch {
  readonly pkg: Package;
  readonly groups: readonly (readonly Hit[])[];
  readonly path: readonly string[];
}

export interface MatchResult {
  readonly matches: PackageMatch[];
  readonly unassessed: MatchProblem[];
  /** Every id (and alias) of every matched group, for loading the enrichment. */
  readonly ids: Set<string>;
}

export interface Hit {
  readonly advisory: CandidateAdvisory;
  readonly by: MatchKind;
  readonly fixed: readonly string[];
  readonly lowConfidence: boolean;
}

const KIND_RANK: Record<MatchKind, number> = { versions: 0, ecosystem: 1, semver: 2, distro: 3, cpe: 4 };
const SEVERITY_RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, none: 1, unknown: 0 };
const OS_BASES = new Set(['Debian', 'Ubuntu', 'Alpine', 'Wolfi', 'Chainguard', 'AlmaLinux', 'Rocky Linux', 'Red Hat', 'openSUSE', 'SUSE', 'Mageia', 'openEuler', 'Azure Linux', 'Photon OS', 'MinimOS', 'Echo']);

/** Is this ecosystem an operating-system distribution (matched by release, source names)? */
export function isDistroEcosystem(ecosystem: string): boolean {
  return OS_BASES.has(ecosystemBase(ecosystem));
}

function normaliseRelease(r: string | undefined): string | undefined {
  return r?.replace(/^v(?=\d)/, '').toLowerCase();
}

/**
 * Does an advisory's ecosystem apply to the package's? Same base; when both name a release,
 * the same release. A package whose release is unknown meets every release (low confidence).
 */
function ecosystemFits(advisoryEco: string, pkgEco: string): 'yes' | 'no' | 'unknown-release' {
  if (ecosystemBase(advisoryEco) !== ecosystemBase(pkgEco)) return 'no';
  const a = normaliseRelease(ecosystemRelease(advisoryEco));
  const p = normaliseRelease(ecosystemRelease(pkgEco));
  if (a === undefined || a === p) return 'yes';
  if (p === undefined) return 'unknown-release';
  return 'no';
}

/** The names and versions a package is looked up by: its own, and for OS packages its source package's. */
function lookups(p: Package): { name: string; version: string }[] {
  const out = [{ name: p.name, version: p.version }];
  if (p.sourceName && p.sourceName !== p.name && isDistroEcosystem(p.ecosystem)) out.push({ name: p.sourceName, version: p.sourceVersion || p.version });
  return out;
}

/** Every lookup key of an inventory, for loading candidate advisories. */
export function inventoryKeys(packages: readonly Package[]): string[] {
  const keys = new Set<string>();
  for (const p of packages) for (const l of lookups(p)) keys.add(matchKey(p.ecosystem, l.name));
  return [...keys];
}

/** Phase 1: which advisories affect which packages (needs only the candidates). */
export function matchPackages(packages: readonly Package[], edges: readonly Edge[], index: AdvisoryIndex, ctx: EvalContext): MatchResult {
  const matches: PackageMatch[] = [];
  const unassessed: MatchProblem[] = [];
  const ids = new Set<string>();
  const pathTo = dependencyPaths(packages, edges);
  for (const p of packages) {
    const hits = new Map<string, Hit>();
    let problem: string | undefined;
    for (const l of lookups(p)) {
      const want = normaliseName(p.ecosystem, l.name);
      for (const ref of index.lookup(matchKey(p.ecosystem, l.name))) {
        if (ref.name !== want) continue;
        const fit = ecosystemFits(ref.entry.ecosystem, p.ecosystem);
        if (fit === 'no') continue;
        if (l.version === '') {
          problem ??= 'no version: the package cannot be matched';
          continue;
        }
        const v = evaluate(ref.entry, l.version, ctx);
        if (!v.affected) {
          if (v.unassessable) problem ??= v.unassessable;
          continue;
        }
        const key = `${ref.advisory.source}:${ref.advisory.id}`;
        const by: MatchKind = isDistroEcosystem(p.ecosystem) ? 'distro' : v.by;
        const prev = hits.get(key);
        hits.set(key, {
          advisory: ref.advisory,
          by: prev && KIND_RANK[prev.by] < KIND_RANK[by] ? prev.by : by,
          fixed: prev ? [...new Set([...prev.fixed, ...v.fixed])] : v.fixed,
          lowConfidence: (prev?.lowConfidence ?? true) && fit === 'unknown-release',
        });
      }
    }
    if (hits.size === 0) {
      if (problem) unassessed.push({ packageId: p.id, purl: p.purl, reason: problem });
      continue;
    }
    for (const h of hits.values()) {
      ids.add(h.advisory.id);
      h.advisory.aliases.forEach((a) => ids.add(a));
    }
    matches.push({ pkg: p, groups: aliasGroups([...hits.values()]), path: pathTo(p.id) });
  }
  return { matches, unassessed, ids };
}

/** Phase 2: findings from the matches and the enrichment (other records' CVSS, KEV, EPSS). */
export function buildFindings(matches: readonly PackageMatch[], enrichment: Enrichment, ctx: EvalContext, opts: MatchOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const m of matches) for (const g of m.groups) findings.push(toFinding(m.pkg, g, enrichment, ctx, [...m.path], opts));
  return findings.sort(compareFindings);
}

/** Hits of one package split into alias groups (records sharing any id are one vulnerability). */
export function aliasGroups(hits: Hit[]): Hit[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const union = (a: string, b: string) => {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra, rb);
  };
  for (const h of hits) {
    union(h.advisory.id, h.advisory.id);
    for (const a of h.advisory.aliases) union(h.advisory.id, a);
  }
  const groups = new Map<string, Hit[]>();
  for (const h of hits) {
    const r = find(h.advisory.id);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(h);
  }
  return [...groups.values()];
}

/** The display id of a group: its CVE id, else a GHSA id, else the smallest id. */
export function displayId(ids: readonly string[]): string {
  const sorted = [...ids].sort();
  return sorted.find((i) => i.startsWith('CVE-')) ?? sorted.find((i) => i.startsWith('GHSA-')) ?? sorted[0]!;
}

const HEADLINE_VERSIONS = new Set(['3.1', '3.0', '4.0']);

/** The headline CVSS of a group: the highest v3.x/v4.0 score from any source, else v2. */
export function headlineCvss(cvss: readonly CvssEntry[]): CvssEntry | undefined {
  const scored = cvss.filter((c) => c.score !== null);
  const modern = scored.filter((c) => HEADLINE_VERSIONS.has(c.version));
  const pool = modern.length > 0 ? modern : scored;
  return pool.reduce<CvssEntry | undefined>((best, c) => (best === undefined || c.score! > best.score! ? c : best), undefined);
}

/** GHSA `MODERATE`, Debian `low`, … → the normalised scale; undefined for words we do not know. */
export function severityFromWord(word: string | null): Severity | undefined {
  if (!word) return undefined;
  const w = word.trim().toLowerCase();
  if (w === 'moderate' || w === 'important') return w === 'important' ? 'high' : 'medium';
  if (w === 'negligible' || w === 'unimportant') return 'low';
  return (SEVERITIES as readonly string[]).includes(w) ? (w as Severity) : undefined;
}

function toFinding(p: Package, group: readonly Hit[], e: Enrichment, ctx: EvalContext, path: string[], opts: MatchOptions): Finding {
  const ids = new Set<string>();
  for (const h of group) {
    ids.add(normaliseVulnId(h.advisory.id));
    h.advisory.aliases.forEach((a) => ids.add(normaliseVulnId(a)));
  }
  for (const id of [...ids]) e.aliases.get(id)?.forEach((a) => ids.add(normaliseVulnId(a)));
  const id = displayId([...ids]);
  const cvss: CvssEntry[] = [];
  const seen = new Set<string>();
  const addCvss = (c: CvssEntry) => {
    const k = `${c.source}|${c.vector}`;
    if (!seen.has(k)) {
      seen.add(k);
      cvss.push(c);
    }
  };
  for (const h of group) h.advisory.cvss.forEach(addCvss);
  for (const i of ids) e.cvss.get(i)?.forEach(addCvss);
  let kev = null;
  let epss = null;
  for (const i of [...ids].sort()) {
    kev ??= e.kev.get(i) ?? null;
    const s = e.epss.get(i);
    if (s && (!epss || s.score > epss.score)) epss = s;
  }
  const headline = headlineCvss(cvss);
  const sourceSeverity = group.map((h) => h.advisory.sourceSeverity).find((s) => s) ?? null;
  const severity: Severity = headline?.severity ?? severityFromWord(sourceSeverity) ?? 'unknown';
  const scheme = ctx.schemeFor(p.ecosystem);
  const fixedVersions = sortFixes([...new Set(group.flatMap((h) => h.fixed))], scheme, ctx.cache);
  const by = group.reduce<MatchKind>((b, h) => (KIND_RANK[h.by] < KIND_RANK[b] ? h.by : b), 'cpe');
  const titled = [...group].sort((a, b) => Number(b.advisory.source === 'osv') - Number(a.advisory.source === 'osv')).find((h) => h.advisory.title);
  return {
    id,
    aliases: [...ids].filter((i) => i !== id).sort(),
    advisories: group.map((h) => `${h.advisory.source}:${h.advisory.id}`).sort(),
    title: titled?.advisory.title ?? null,
    published: group.map((h) => h.advisory.published).filter((d): d is string => d !== null).sort()[0] ?? null,
    package: {
      id: p.id,
      name: p.name,
      version: p.version,
      purl: p.purl,
      ecosystem: p.ecosystem,
      location: p.location,
      ...(p.direct === undefined ? {} : { direct: p.direct }),
      ...(p.scope === undefined ? {} : { scope: p.scope }),
    },
    severity,
    sourceSeverity,
    cvss,
    fixedVersions,
    kev,
    epss,
    path,
    matchedBy: by,
    confidence: group.every((h) => h.lowConfidence) ? 'low' : 'high',
    risk: riskScore({
      cvssScore: headline?.score ?? null,
      severity,
      epss,
      kev,
      fixAvailable: fixedVersions.length > 0,
      direct: p.direct ?? (path.length === 0 ? undefined : path.length === 1),
      criticality: opts.criticality ?? 'medium',
    }),
  };
}

/** Most severe first, then by package and id (stable output). */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
    b.risk.score - a.risk.score ||
    (a.package.name < b.package.name ? -1 : a.package.name > b.package.name ? 1 : 0) ||
    (a.package.version < b.package.version ? -1 : a.package.version > b.package.version ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}
