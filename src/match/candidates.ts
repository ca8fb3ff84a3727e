/**
 * What the matcher reads about an advisory: its ids, headline facts and `affected` entries,
 * loaded from the store (src/match/load.ts) for the packages of one inventory, and indexed by
 * the same lookup key the store keeps (`ecosystem/normalised name`).
 */
import type { AffectedPackage, CvssEntry } from '../core/advisory.js';
import { matchKey, normaliseName } from '../core/ecosystem.js';
import type { EpssFact, KevFact } from './model.js';

export interface CandidateAdvisory {
  readonly source: string;
  readonly id: string;
  readonly aliases: readonly string[];
  readonly title: string | null;
  readonly cvss: readonly CvssEntry[];
  /** The source's own severity word (OSV `database_specific.severity`, e.g. GHSA `HIGH`). */
  readonly sourceSeverity: string | null;
  readonly published: string | null;
  readonly modified: string;
  readonly affected: readonly AffectedPackage[];
}

export interface AffectedRef {
  readonly advisory: CandidateAdvisory;
  readonly entry: AffectedPackage;
  /** The entry's name as its ecosystem compares names (computed once, at indexing). */
  readonly name: string;
}

/** Advisory facts keyed by vulnerability id (CVE ids for KEV and EPSS; any id for CVSS). */
export interface Enrichment {
  /** CVSS entries other records of the alias group give (CVE 5, NVD) for an id. */
  readonly cvss: ReadonlyMap<string, readonly CvssEntry[]>;
  /** Aliases other records add (e.g. a CVE record naming a GHSA). */
  readonly aliases: ReadonlyMap<string, readonly string[]>;
  readonly kev: ReadonlyMap<string, KevFact>;
  readonly epss: ReadonlyMap<string, EpssFact>;
}

export const NO_ENRICHMENT: Enrichment = { cvss: new Map(), aliases: new Map(), kev: new Map(), epss: new Map() };

/** affected entries by lookup key. */
export class AdvisoryIndex {
  private readonly byKey = new Map<string, AffectedRef[]>();
  readonly advisories: CandidateAdvisory[] = [];

  add(a: CandidateAdvisory): void {
    this.advisories.push(a);
    for (const entry of a.affected) {
      if (entry.ecosystem === 'GIT') continue;
      const key = matchKey(entry.ecosystem, entry.name);
      let list = this.byKey.get(key);
      if (!list) this.byKey.set(key, (list = []));
      list.push({ advisory: a, entry, name: normaliseName(entry.ecosystem, entry.name) });
    }
  }

  lookup(key: string): readonly AffectedRef[] {
    return this.byKey.get(key) ?? [];
  }

  get size(): number {
    return this.advisories.length;
  }
}
