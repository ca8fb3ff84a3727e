/**
 * What the scan output formats share: one stable order of findings, severity ranks, package
 * labels, advisory links, the SARIF/GitHub security-severity number, deterministic document
 * ids. Pure.
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, type Severity } from '../../core/advisory.js';
import { packageNameOf, parsePurl } from '../../inventory/sbom/ecosystem.js';
import type { Finding, FindingPackage, ScanReport } from '../model.js';

export const severityRank = (s: Severity): number => SEVERITIES.indexOf(s);

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Worst severity first, then id, then package name, version and id: the one order every format uses. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.id, b.id) ||
    cmp(a.package.name, b.package.name) ||
    cmp(a.package.version, b.package.version) ||
    cmp(a.package.id, b.package.id)
  );
}

export const sortFindings = (findings: readonly Finding[]): Finding[] => [...findings].sort(compareFindings);

/** `name@version` (`name` when the version is empty). */
export const packageLabel = (p: Pick<FindingPackage, 'name' | 'version'>): string => (p.version ? `${p.name}@${p.version}` : p.name);

/** A package id (`purl`, `purl#2`) as a name an ecosystem user recognises (`@scope/name`, `group:artifact`); the id itself when it is not a purl. */
export function nameOfPackageId(id: string): string {
  const hash = id.lastIndexOf('#');
  const purl = hash > 0 && /^#\d+$/.test(id.slice(hash)) ? id.slice(0, hash) : id;
  const p = parsePurl(purl);
  return p.ok ? packageNameOf(p.purl) : id;
}

/** The advisory's public page: NVD for CVE ids, GitHub for GHSA ids, OSV for the rest. */
export function advisoryUrl(id: string): string {
  const enc = encodeURIComponent(id);
  if (/^CVE-\d+-\d+$/i.test(id)) return `https://nvd.nist.gov/vuln/detail/${enc.toUpperCase()}`;
  if (/^GHSA-/i.test(id)) return `https://github.com/advisories/${enc}`;
  return `https://osv.dev/vulnerability/${enc}`;
}

/** Who publishes an id (for CycloneDX `source.name`). */
export function idSource(id: string): string {
  if (/^CVE-/i.test(id)) return 'NVD';
  if (/^GHSA-/i.test(id)) return 'GitHub';
  return 'OSV';
}

/** The highest CVSS base score of a finding, or null. */
export function maxCvssScore(f: Finding): number | null {
  let max: number | null = null;
  for (const c of f.cvss) if (c.score !== null && (max === null || c.score > max)) max = c.score;
  return max;
}

/**
 * The GitHub code scanning `security-severity` (a CVSS-like number as a string): the highest
 * CVSS score, else the lower bound of the finding's severity band (so GitHub files it under
 * the same severity), else undefined for `none` / `unknown`.
 */
const BAND_FLOOR: Readonly<Partial<Record<Severity, number>>> = { critical: 9.0, high: 7.0, medium: 4.0, low: 0.1 };

export function securitySeverity(f: Finding): string | undefined {
  const score = maxCvssScore(f) ?? BAND_FLOOR[f.severity];
  return score === undefined ? undefined : score.toFixed(1);
}

/** `file:line` (`file` when the line is unknown). */
export const locationText = (p: FindingPackage): string => (p.location.line !== undefined && p.location.line >= 1 ? `${p.location.file}:${p.location.line}` : p.location.file);

/** A name-based (version 5) UUID, so that the same report always gets the same document id. */
export function uuidV5(name: string): string {
  // RFC 4122 namespace for URLs; the name is ours.
  const ns = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex');
  const h = createHash('sha1').update(ns).update(name, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** A stable id for a report: the target, the time and every finding's id and package. */
export function reportUuid(report: ScanReport, kind: string): string {
  const h = createHash('sha256');
  h.update(`${kind}\0${report.target}\0${report.generatedAt}\0`);
  for (const f of report.findings) h.update(`${f.id}\0${f.package.id}\0${f.suppression?.status ?? ''}\0`);
  return uuidV5(`vigil:${kind}:${h.digest('hex')}`);
}

/** Counts of unsuppressed findings by severity, every severity present (0 when none). */
export function severityCounts(findings: readonly Finding[]): Record<Severity, number> {
  const out = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) if (!f.suppression) out[f.severity]++;
  return out;
}

/** Options every renderer accepts (each reads the ones it needs). */
export interface RenderOptions {
  /** ANSI colours in the table (default false). */
  readonly color?: boolean | undefined;
  /** JSON without indentation (the API; a person reading the CLI's output gets it indented). */
  readonly compact?: boolean | undefined;
  /**
   * Orders two versions of an ecosystem (negative, 0, positive; undefined when it cannot),
   * e.g. through src/versions. Fix advice uses it to name the one version that fixes every
   * finding of a package; without it only plain dotted numbers are compared, and otherwise
   * each distinct fix version is listed with what it fixes.
   */
  readonly compareVersions?: ((ecosystem: string, a: string, b: string) => number | undefined) | undefined;
  /**
   * The project's home page, for SARIF `tool.driver.informationUri` (left out when not given:
   * package.json names no homepage yet, and a guessed URL would send users somewhere else).
   */
  readonly informationUri?: string | undefined;
  /** OpenVEX `author` (default: "Vigil"). */
  readonly author?: string | undefined;
}
