/**
 * What demo mode loads, as data: advisory files, projects with their versions, posture file
 * scans of projects and collected scans of clusters and cloud accounts. Two plans exist: the
 * small built-in sample (sample/, written for Vigil) and a slice of the real public data in a
 * `shared/data` folder (plan-shared.ts). The loaders (load*.ts) read a plan through Vigil's own
 * importers, readers, matcher, posture engine and repositories.
 */
import type { VexJustification } from '../store/repos/findingQueries.js';
import type { FindingState } from '../store/repos/findings.js';
import type { ProjectKind } from '../store/repos/projects.js';

export type DemoSource = 'builtin' | 'shared';

export interface DemoVersion {
  readonly version: string;
  /**
   * The lockfile or SBOM read for this version (stored as its document, as an upload is). Absent:
   * the previous version with some vulnerable packages upgraded to their first fixed version
   * (what a developer's dependency bump would give), so the two versions differ.
   */
  readonly file?: string | undefined;
  /** Findings of this version are first seen this many days ago (a history, for SLA). Default 0. */
  readonly ageDays?: number | undefined;
}

export interface DemoProject {
  readonly name: string;
  readonly kind: ProjectKind;
  readonly description: string;
  readonly criticality: 'low' | 'medium' | 'high' | 'critical';
  readonly versions: readonly DemoVersion[];
}

export interface DemoTriage {
  readonly project: string;
  /** Which of the project's open findings: the nth (0-based) in the order vuln id, package. */
  readonly pick: number;
  readonly state: Extract<FindingState, 'in_triage' | 'accepted_risk' | 'false_positive' | 'not_affected'>;
  readonly reason: string;
  readonly justification?: VexJustification | undefined;
  /** accepted_risk: expires this many days from now. */
  readonly expiresInDays?: number | undefined;
}

export interface DemoPostureScan {
  readonly project: string;
  readonly kind: ProjectKind;
  readonly paths: readonly string[];
}

export type DemoTarget =
  /** AWS placebo recordings: each scan merges the resources of its recording folders (one account). */
  | { readonly provider: 'aws'; readonly scans: readonly (readonly string[])[] }
  | { readonly provider: 'azure' | 'gcp'; readonly recordings: string }
  | { readonly provider: 'kubernetes'; readonly snapshot: string; readonly name: string };

export interface DemoPlan {
  readonly source: DemoSource;
  /** Where the files come from (for the log). */
  readonly root: string;
  /** Files and folders for the feed importer (CVE 5, OSV, KEV, EPSS; recognised by content). */
  readonly advisories: readonly string[];
  /** EPSS files imported with only the rows of these CVE ids (the full files are large); undefined: whole files. */
  readonly epss?: { readonly files: readonly string[]; readonly cves: ReadonlySet<string>; readonly defaultDate: string } | undefined;
  readonly projects: readonly DemoProject[];
  readonly triage: readonly DemoTriage[];
  readonly postureScans: readonly DemoPostureScan[];
  readonly targets: readonly DemoTarget[];
}
