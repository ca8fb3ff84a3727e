/**
 * The one normalised advisory model every feed produces and every matcher reads. Each
 * source record is also kept verbatim (`raw`); the fields below keep ranges, versions and
 * CPE applicability exactly as the source gave them, for the matchers to interpret with each
 * ecosystem's own rules.
 */

/** Where a record came from. One collector folder per source under src/feeds/. */
export const ADVISORY_SOURCES = ['cve5', 'osv', 'nvd'] as const;
export type AdvisorySource = (typeof ADVISORY_SOURCES)[number];

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CVSS_VERSIONS = ['2.0', '3.0', '3.1', '4.0'] as const;
export type CvssVersion = (typeof CVSS_VERSIONS)[number];

/** A CVSS vector with its score and who published it. */
export interface CvssEntry {
  readonly version: CvssVersion;
  readonly vector: string;
  /** Computed from the vector by src/risk/cvss (null when the vector does not score). */
  readonly score: number | null;
  readonly severity: Severity;
  /** `cna:<shortName>`, `adp:<shortName>` (e.g. adp:CISA-ADP), `nvd`, `nvd:secondary:<source>`, `osv:<id prefix>`. */
  readonly source: string;
}

export interface Reference {
  readonly url: string;
  readonly tags: readonly string[];
}

/** CISA ADP (Vulnrichment) SSVC decision points. */
export interface SsvcDecision {
  readonly exploitation?: string | undefined;
  readonly automatable?: string | undefined;
  readonly technicalImpact?: string | undefined;
  readonly version?: string | undefined;
  readonly timestamp?: string | undefined;
  readonly role?: string | undefined;
  readonly source: string;
}

/** One OSV range event, kept exactly (exactly one key is set). */
export interface RangeEvent {
  readonly introduced?: string;
  readonly fixed?: string;
  readonly last_affected?: string;
  readonly limit?: string;
}

export interface AffectedRange {
  readonly type: 'SEMVER' | 'ECOSYSTEM' | 'GIT';
  readonly repo?: string | undefined;
  readonly events: readonly RangeEvent[];
  /** The range's own `database_specific`, kept as given. */
  readonly databaseSpecific?: unknown;
}

/** An OSV `affected[]` entry: an ecosystem package with its ranges and explicit versions. */
export interface AffectedPackage {
  /**
   * As OSV spells it, e.g. `PyPI`, `npm`, `Go`, `crates.io`, `AlmaLinux:9`, `Debian:12`; `GIT`
   * (with the repository URL as the name) for an entry that has only GIT ranges.
   */
  readonly ecosystem: string;
  readonly name: string;
  readonly purl?: string | undefined;
  readonly ranges: readonly AffectedRange[];
  readonly versions: readonly string[];
  readonly ecosystemSpecific?: unknown;
  readonly databaseSpecific?: unknown;
}

/** A CVE 5 `affected[]` product (vendor/product/versions with status), kept exactly. */
export interface AffectedProduct {
  readonly vendor?: string | undefined;
  readonly product?: string | undefined;
  readonly packageName?: string | undefined;
  readonly collectionURL?: string | undefined;
  readonly repo?: string | undefined;
  readonly cpes: readonly string[];
  readonly platforms: readonly string[];
  readonly defaultStatus?: string | undefined;
  readonly versions: readonly {
    readonly version: string;
    readonly status: string;
    readonly versionType?: string | undefined;
    readonly lessThan?: string | undefined;
    readonly lessThanOrEqual?: string | undefined;
    readonly changes?: readonly { readonly at: string; readonly status: string }[] | undefined;
  }[];
  /** Which container said so: `cna` or `adp:<shortName>`. */
  readonly source: string;
}

/** NVD / CVE 5 `cpeApplicability` match, kept exactly. */
export interface CpeMatch {
  readonly vulnerable: boolean;
  readonly criteria: string;
  readonly matchCriteriaId?: string | undefined;
  readonly versionStartIncluding?: string | undefined;
  readonly versionStartExcluding?: string | undefined;
  readonly versionEndIncluding?: string | undefined;
  readonly versionEndExcluding?: string | undefined;
}

export interface CpeNode {
  readonly operator: 'AND' | 'OR';
  readonly negate: boolean;
  readonly cpeMatch: readonly CpeMatch[];
}

export interface CpeConfiguration {
  readonly operator?: 'AND' | 'OR' | undefined;
  readonly negate: boolean;
  readonly nodes: readonly CpeNode[];
  readonly source: string;
}

export interface Advisory {
  readonly source: AdvisorySource;
  /** The source's own id: CVE-…, GHSA-…, PYSEC-…, GO-…, RUSTSEC-…, ALSA-… */
  readonly id: string;
  /** Other ids for the same vulnerability (OSV aliases; CVE ids for NVD/CVE 5 are their own id). */
  readonly aliases: readonly string[];
  /** Related but distinct vulnerabilities (OSV `related`, `upstream`): never merged. */
  readonly related: readonly string[];
  readonly title: string | null;
  readonly description: string | null;
  readonly published: string | null;
  /** Required: upserts compare it, the newer record wins. */
  readonly modified: string;
  readonly withdrawn: string | null;
  readonly rejected: boolean;
  readonly cwes: readonly string[];
  readonly references: readonly Reference[];
  readonly cvss: readonly CvssEntry[];
  readonly ssvc: readonly SsvcDecision[];
  readonly affectedPackages: readonly AffectedPackage[];
  readonly affectedProducts: readonly AffectedProduct[];
  readonly cpeConfigurations: readonly CpeConfiguration[];
  /** The source record exactly as read. */
  readonly raw: unknown;
}

/** A CISA KEV catalog entry. */
export interface KevEntry {
  readonly cveId: string;
  readonly vendorProject: string;
  readonly product: string;
  readonly vulnerabilityName: string;
  readonly dateAdded: string;
  readonly shortDescription: string;
  readonly requiredAction: string;
  readonly dueDate: string;
  readonly knownRansomwareCampaignUse: 'Known' | 'Unknown';
  readonly notes: string;
  readonly cwes: readonly string[];
}

/** An EPSS score for one CVE on one day. */
export interface EpssScore {
  readonly cveId: string;
  readonly epss: number;
  readonly percentile: number;
  readonly date: string;
  readonly modelVersion: string | null;
}

const CVE_ID = /^CVE-\d{4}-\d{4,}$/;

export function isCveId(id: string): boolean {
  return CVE_ID.test(id);
}

/** Normalises a vulnerability id for comparison and alias grouping (trim; upper-case CVE/GHSA prefixes). */
export function normaliseVulnId(id: string): string {
  const t = id.trim();
  if (/^cve-/i.test(t)) return t.toUpperCase();
  if (/^ghsa-/i.test(t)) return `GHSA-${t.slice(5).toLowerCase()}`;
  return t;
}
