/**
 * The inventory model: what is installed where. Every reader (lockfile, OS package
 * database, image, SBOM) produces these values; the SBOM writers, the store and the matcher
 * consume them. Pure data, no I/O.
 */

/**
 * Ecosystem names as OSV spells them (https://ossf.github.io/osv-schema/#defined-ecosystems),
 * so a package matches advisories without translation. OS ecosystems carry their release
 * where known (`Alpine:v3.20`, `Debian:12`).
 */
export type Ecosystem = string;

/** Where a package (or a problem) was found. */
export interface Location {
  /** Path relative to the scanned root, `/`-separated (for an image: `layer-path!file`). */
  readonly file: string;
  /** 1-based line in that file, when the format lets us know it. */
  readonly line?: number | undefined;
}

/** The image layer that added a package (container images only). */
export interface LayerRef {
  /** Layer digest (`sha256:…`) as the manifest names it, or the diff id. */
  readonly digest: string;
  /** 0-based position in the image's layer list. */
  readonly index: number;
  /** The history `created_by` command, when the config records it. */
  readonly createdBy?: string | undefined;
}

export type Scope = 'prod' | 'dev' | 'optional' | 'peer' | 'test';

export interface Hash {
  /** CycloneDX algorithm name: `SHA-1`, `SHA-256`, `SHA-512`, `MD5` … */
  readonly alg: string;
  readonly content: string;
}

export interface Package {
  /**
   * Unique within one inventory, stable across runs for the same input (used as the
   * CycloneDX bom-ref and for edges). Readers use the purl, suffixed when the same purl
   * occurs more than once (e.g. `…#2`).
   */
  readonly id: string;
  readonly name: string;
  /** Version exactly as the source wrote it ('' when the source has none, e.g. a git dep without a tag). */
  readonly version: string;
  readonly ecosystem: Ecosystem;
  /** Package URL (https://github.com/package-url/purl-spec), built with packageurl-js. */
  readonly purl: string;
  /** true = direct dependency of the project, false = transitive, undefined = the format does not say. */
  readonly direct?: boolean | undefined;
  /** Dependency scope where the format says; undefined when it does not. */
  readonly scope?: Scope | undefined;
  /** The format's own group names (npm `dev`/`optional`, poetry groups, Maven scope …), kept as written. */
  readonly groups?: readonly string[] | undefined;
  readonly location: Location;
  /** For git/VCS dependencies: the commit. */
  readonly commit?: string | undefined;
  /** Source package name for OS binary packages (dpkg `Source:`, rpm SOURCERPM, apk `o:`). */
  readonly sourceName?: string | undefined;
  readonly sourceVersion?: string | undefined;
  /** SPDX expressions or licence names as the source gives them. */
  readonly licenses?: readonly string[] | undefined;
  readonly hashes?: readonly Hash[] | undefined;
  readonly layer?: LayerRef | undefined;
  /** Extra facts kept from the source (CycloneDX properties on export). */
  readonly properties?: Readonly<Record<string, string>> | undefined;
}

/** `from` depends on `to` (both are Package ids, or the root's id for direct deps). */
export interface Edge {
  readonly from: string;
  readonly to: string;
}

/** A file (or record in it) that could not be read: reported, never silently skipped. */
export interface ReadProblem {
  readonly location: Location;
  /** Which reader (or the walker) reported it. */
  readonly reader: string;
  readonly message: string;
  /** 'error' = content lost (affects the exit status); 'warning' = read, with a caveat. */
  readonly severity: 'error' | 'warning';
}

/** What one reader got from one file. */
export interface ReadResult {
  readonly packages: readonly Package[];
  readonly edges: readonly Edge[];
  readonly problems: readonly ReadProblem[];
}

/** A whole scan: everything found under one root (a directory, a file, an image). */
export interface Inventory {
  /** What was scanned: a directory, file, image or SBOM. */
  readonly source: { readonly kind: 'directory' | 'file' | 'image' | 'sbom'; readonly name: string; readonly version?: string | undefined };
  readonly packages: readonly Package[];
  readonly edges: readonly Edge[];
  readonly problems: readonly ReadProblem[];
  /** Files read, with the reader that read them. */
  readonly files: readonly { readonly path: string; readonly reader: string; readonly packages: number }[];
  /** For images: the detected OS (`os-release` ID and VERSION_ID) and layers. */
  readonly os?: { readonly id: string; readonly versionId?: string | undefined; readonly prettyName?: string | undefined } | undefined;
  readonly layers?: readonly LayerRef[] | undefined;
}
