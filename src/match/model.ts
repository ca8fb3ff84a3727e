/**
 * Findings: an advisory (alias group) that affects a package in an inventory. Produced by the
 * pure matcher (src/match/match.ts), stored per project version (src/match/store), printed by
 * `vigil scan` (src/match/output/<format>). Pure data, no I/O.
 */
import type { CvssEntry, Severity } from '../core/advisory.js';
import type { Location } from '../inventory/model.js';

/** How the match was made, strongest first. `cpe` matches are low confidence. */
export type MatchKind = 'versions' | 'ecosystem' | 'semver' | 'distro' | 'cpe';

export interface FindingPackage {
  /** The inventory Package id (unique within its inventory). */
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly purl: string;
  readonly ecosystem: string;
  readonly location: Location;
  readonly direct?: boolean | undefined;
  readonly scope?: string | undefined;
}

export interface KevFact {
  readonly dateAdded: string;
  readonly dueDate: string;
  readonly knownRansomwareCampaignUse: 'Known' | 'Unknown';
}

export interface EpssFact {
  readonly score: number;
  readonly percentile: number;
  readonly date: string;
}

/** One factor of the risk score, as the API returns it (see docs/risk.md for the formula). */
export interface RiskContribution {
  readonly factor: 'cvss' | 'epss' | 'kev' | 'fix' | 'reachability' | 'criticality';
  /** The input as read (e.g. 9.8, 0.42, true, "transitive", "high"). */
  readonly input: string | number | boolean | null;
  /** Points this factor adds (or, for multipliers, the multiplier). */
  readonly effect: number;
  readonly explanation: string;
}

export interface Risk {
  /** 0–10, one decimal. */
  readonly score: number;
  readonly contributions: readonly RiskContribution[];
}

export interface Finding {
  /** The alias group's display id: its CVE id when it has one, else the first advisory id. */
  readonly id: string;
  /** Every other id in the alias group (GHSA, PYSEC, GO, RUSTSEC, ALSA, DSA …), sorted. */
  readonly aliases: readonly string[];
  /** The advisory records that matched, `source:id` (e.g. `osv:GHSA-…`, `osv:PYSEC-…`). */
  readonly advisories: readonly string[];
  readonly title: string | null;
  /** The earliest publication date among the group's advisories (ISO), when known: an SLA may start there. */
  readonly published?: string | null | undefined;
  readonly package: FindingPackage;
  /** Normalised severity (the highest CVSS-derived severity of the group, else the source's own). */
  readonly severity: Severity;
  /** The source's own severity words where it gives them (GHSA `HIGH`, Debian urgency …). */
  readonly sourceSeverity: string | null;
  /** Every CVSS vector of the group with its score and who published it. */
  readonly cvss: readonly CvssEntry[];
  /** Fix versions from the matched ranges, the nearest at or above the installed version first. */
  readonly fixedVersions: readonly string[];
  readonly kev: KevFact | null;
  readonly epss: EpssFact | null;
  /**
   * Package ids from a direct dependency down to this package (empty when edges are unknown or
   * the package is direct); `path[0]` is the direct dependency to upgrade.
   */
  readonly path: readonly string[];
  readonly matchedBy: MatchKind;
  readonly confidence: 'high' | 'low';
  readonly risk: Risk;
  /** Set when a .vigilignore entry or a VEX statement covers this finding (it is still reported). */
  readonly suppression?: Suppression | undefined;
}

export interface Suppression {
  readonly kind: 'ignore-file' | 'vex' | 'triage';
  /** VEX status or triage state: `not_affected`, `false_positive`, `accepted_risk`, `fixed` … */
  readonly status: string;
  readonly justification?: string | undefined;
  readonly reason?: string | undefined;
  readonly expires?: string | undefined;
  /** Where it came from: the ignore file and line, or the VEX document. */
  readonly source: string;
}

/** A package the matcher could not assess (unknown version scheme, invalid version …). */
export interface MatchProblem {
  readonly packageId: string;
  readonly purl: string;
  readonly reason: string;
}

/** What `vigil scan` (and the API's scan-and-match) produces; every output format renders this. */
export interface ScanReport {
  /** What was scanned, as the user named it (path relative to the working directory, image, SBOM). */
  readonly target: string;
  /** Number of packages in the inventory. */
  readonly packages: number;
  readonly findings: readonly Finding[];
  /** Packages that could not be assessed (unknown scheme, invalid version): reported, not guessed. */
  readonly unassessed: readonly MatchProblem[];
  /** Files that could not be read (from the inventory) and other input errors. */
  readonly errors: readonly { readonly path: string; readonly reason: string }[];
  readonly tool: { readonly name: 'vigil'; readonly version: string };
  /** ISO timestamp of the scan. */
  readonly generatedAt: string;
  /** Newest advisory `modified` in the database the scan used (null when empty). */
  readonly databaseUpdatedAt?: string | null | undefined;
}
