/**
 * Fix advice per package, shared by every output format: which version to upgrade to, how
 * many findings that fixes, and, for a transitive package, which direct dependency to upgrade
 * ("minimist is pulled in by mkdirp → optimist; upgrade mkdirp"). Pure.
 */
import type { Finding, FindingPackage } from '../model.js';
import { compareFindings, nameOfPackageId, packageLabel, severityRank, type RenderOptions } from './common.js';

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export interface PackageGroup {
  readonly pkg: FindingPackage;
  /** Every finding of the package, suppressed ones included, in the common order. */
  readonly findings: readonly Finding[];
}

/** Findings grouped by package id: packages with the worst finding first, then by label and id. */
export function groupByPackage(findings: readonly Finding[]): PackageGroup[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const list = groups.get(f.package.id);
    if (list) list.push(f);
    else groups.set(f.package.id, [f]);
  }
  const out = [...groups.values()].map((list) => {
    const sorted = list.sort(compareFindings);
    return { pkg: sorted[0]!.package, findings: sorted };
  });
  return out.sort(
    (a, b) =>
      severityRank(a.findings[0]!.severity) - severityRank(b.findings[0]!.severity) ||
      cmp(packageLabel(a.pkg), packageLabel(b.pkg)) ||
      cmp(a.pkg.id, b.pkg.id),
  );
}

export interface FixAdvice {
  /** The version to upgrade the package to, when one version fixes every fixable finding (or only one is named). */
  readonly target: string | null;
  /** Fix version → the finding ids it fixes (the nearest fix of each finding). */
  readonly byVersion: ReadonlyMap<string, readonly string[]>;
  /** Ids of findings with no published fix. */
  readonly unfixed: readonly string[];
  /** Package names from the direct dependency down to (not including) this package; empty for a direct or unknown path. */
  readonly via: readonly string[];
  /** One line of advice. */
  readonly text: string;
}

/** Advice for one package from its findings (suppressed findings are left out by the caller or here). */
export function adviseFix(pkg: FindingPackage, findings: readonly Finding[], options: RenderOptions = {}): FixAdvice {
  const open = findings.filter((f) => !f.suppression);
  const byVersion = new Map<string, string[]>();
  const unfixed: string[] = [];
  for (const f of open) {
    const fix = f.fixedVersions[0];
    if (fix === undefined) {
      unfixed.push(f.id);
      continue;
    }
    const list = byVersion.get(fix);
    if (list) list.push(f.id);
    else byVersion.set(fix, [f.id]);
  }
  const target = pickTarget(pkg.ecosystem, [...byVersion.keys()], options);
  const path = open.find((f) => f.path.length > 0)?.path ?? [];
  const chain = path[path.length - 1] === pkg.id ? path.slice(0, -1) : path;
  const via = chain.map(nameOfPackageId);
  const text = open.length === 0 ? 'nothing to fix: every finding is suppressed' : adviceText(pkg, target, byVersion, unfixed, via);
  return { target, byVersion, unfixed, via, text };
}

/**
 * Dotted numbers (`1.2.10`, optionally `v`-prefixed on both sides) order the same way in every
 * ecosystem Vigil knows, so advice can compare them without a scheme; anything else needs
 * `options.compareVersions`.
 */
const DOTTED = /^v?\d{1,9}(?:\.\d{1,9}){0,5}$/;

export function compareDotted(a: string, b: string): number | undefined {
  if (!DOTTED.test(a) || !DOTTED.test(b) || a.startsWith('v') !== b.startsWith('v')) return undefined;
  const pa = a.replace(/^v/, '').split('.').map(Number);
  const pb = b.replace(/^v/, '').split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function pickTarget(ecosystem: string, versions: readonly string[], options: RenderOptions): string | null {
  if (versions.length === 0) return null;
  if (versions.length === 1) return versions[0]!;
  const compare = (a: string, b: string): number | undefined => options.compareVersions?.(ecosystem, a, b) ?? compareDotted(a, b);
  let best = versions[0]!;
  for (const v of versions.slice(1)) {
    const c = compare(v, best);
    if (c === undefined) return null;
    if (c > 0) best = v;
  }
  return best;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function adviceText(pkg: FindingPackage, target: string | null, byVersion: ReadonlyMap<string, readonly string[]>, unfixed: readonly string[], via: readonly string[]): string {
  const name = pkg.name || packageLabel(pkg);
  const fixable = [...byVersion.values()].reduce((n, ids) => n + ids.length, 0);
  const noFix = unfixed.length === 0 || fixable === 0 ? '' : `; no fix yet for ${unfixed.join(', ')}`;
  const each = [...byVersion].map(([v, ids]) => `${v} fixes ${ids.join(', ')}`).join('; ');
  if (via.length === 0) {
    if (fixable === 0) return `no fixed version of ${name} yet (${plural(unfixed.length, 'finding')})`;
    return target !== null ? `upgrade ${name} to ${target} (fixes ${fixable})${noFix}` : `upgrade ${name}: ${each}${noFix}`;
  }
  const pulled = `${name} is pulled in by ${via.join(' → ')}`;
  if (fixable === 0) return `${pulled}; no fixed version of ${name} yet (${plural(unfixed.length, 'finding')})`;
  const wanted = target !== null ? `${name} ${target} or later (fixes ${fixable})` : `a fixed ${name} (${each})`;
  return `${pulled}; upgrade ${via[0]!} to a version that brings ${wanted}${noFix}`;
}

/** The advice for one finding on its own (also for a suppressed one: what fixing it would take). */
export function findingAdvice(f: Finding, options: RenderOptions = {}): string {
  return adviseFix(f.package, [{ ...f, suppression: undefined }], options).text;
}
