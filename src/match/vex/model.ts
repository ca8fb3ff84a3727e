/**
 * VEX statements normalised from OpenVEX, CycloneDX VEX and CSAF VEX documents: one shape for
 * {@link applyVex} (src/match/vex/apply.ts) whatever the source. Pure data.
 */
import type { VersRange } from './vers/contains.js';

/** The four VEX statuses (CISA minimum requirements; OpenVEX spells them this way). */
export const VEX_STATUSES = ['not_affected', 'affected', 'fixed', 'under_investigation'] as const;
export type VexStatus = (typeof VEX_STATUSES)[number];

export interface VexStatement {
  /** The vulnerability as the statement names it (`CVE-2024-1234`, `GHSA-…`). */
  readonly vulnerability: string;
  /** Other names of the same vulnerability given by the statement (OpenVEX aliases, CycloneDX references, CSAF ids). */
  readonly aliases: readonly string[];
  /**
   * What the statement is about: purls, or other identifiers (a CycloneDX bom-ref, a product
   * name or `name@version`, a CPE). A purl here matches a package; any other identifier
   * matches a package id or the scanned product (see apply.ts).
   */
  readonly products: readonly string[];
  /** Components of those products the statement is about (purls); empty = the products themselves. */
  readonly subcomponents: readonly string[];
  readonly status: VexStatus;
  /** The source's justification label as written (OpenVEX / CSAF flag label or CycloneDX justification). */
  readonly justification?: string | undefined;
  /** Why the products are not affected (OpenVEX impact_statement, CycloneDX analysis.detail, CSAF impact threat). */
  readonly impact?: string | undefined;
  /** What to do (OpenVEX action_statement, CycloneDX recommendation / response, CSAF remediation). */
  readonly action?: string | undefined;
  /** ISO timestamp of the statement (its own, else the document's); later statements override earlier ones. */
  readonly timestamp?: string | undefined;
  /** The source's own status word when it differs from `status` (CycloneDX `false_positive`, `resolved`, `exploitable` …). */
  readonly originalStatus?: string | undefined;
  /**
   * A version range the statement is limited to (CycloneDX `affects[].versions[].range`): it
   * covers a package, or the scanned product, only at a version inside the range; its
   * products are then identifiers without a version.
   */
  readonly versionRange?: VexVersionRange | undefined;
  /** File name and JSON pointer of the statement: `vex.json#/statements/3`. */
  readonly source: string;
}

/** A `vers:` range, checked against its scheme when the document was read (src/match/vex/vers/). */
export interface VexVersionRange {
  /** As written in the document. */
  readonly text: string;
  readonly range: VersRange;
}

/** Something in a VEX document that could not be used: always reported, never dropped silently. */
export interface VexProblem {
  /** File name and, where known, JSON pointer: `vex.json#/statements/3/status`. */
  readonly source: string;
  readonly message: string;
  /** 'error' = a statement (or the whole document) was lost; 'warning' = read, with a caveat. */
  readonly severity: 'error' | 'warning';
}

export const VEX_FORMATS = ['openvex', 'cyclonedx', 'csaf'] as const;
export type VexFormat = (typeof VEX_FORMATS)[number];

export interface VexReadResult {
  /** The detected format, or null when the document was not recognised (or not readable). */
  readonly format: VexFormat | null;
  readonly statements: readonly VexStatement[];
  readonly problems: readonly VexProblem[];
}

/** Limits for one VEX document. */
export interface VexLimits {
  /** Largest document accepted, in characters. */
  readonly maxChars: number;
  /** Deepest JSON nesting accepted. */
  readonly maxDepth: number;
  /** Most statements produced from one document (CSAF expands to one per product). */
  readonly maxStatements: number;
}

export const DEFAULT_VEX_LIMITS: VexLimits = { maxChars: 256 * 1024 * 1024, maxDepth: 128, maxStatements: 2_000_000 };

/** `file#/json/pointer`. */
export const at = (name: string, pointer: string): string => (pointer ? `${name}#${pointer}` : name);
