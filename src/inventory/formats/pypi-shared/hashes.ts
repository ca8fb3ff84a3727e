import type { Hash } from '../../model.js';

/** Python lockfile hash algorithm names (hashlib spelling) → CycloneDX names. */
const ALGORITHMS: Readonly<Record<string, string>> = {
  md5: 'MD5',
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
  sha3_256: 'SHA3-256',
  'sha3-256': 'SHA3-256',
  sha3_384: 'SHA3-384',
  'sha3-384': 'SHA3-384',
  sha3_512: 'SHA3-512',
  'sha3-512': 'SHA3-512',
  blake2b: 'BLAKE2b-512',
};

const HEX = /^[0-9a-fA-F]{1,256}$/;

/** `sha256` + hex digest → a Hash, or undefined for an unknown algorithm or a digest that is not hex. */
export function hashOf(alg: string, digest: string): Hash | undefined {
  const name = ALGORITHMS[alg.toLowerCase()];
  return name !== undefined && HEX.test(digest) ? { alg: name, content: digest.toLowerCase() } : undefined;
}

/** `sha256:abc…` (pip `--hash`, Pipfile.lock, poetry, uv, pdm) → a Hash, or undefined. */
export function parseHashString(text: string): Hash | undefined {
  const colon = text.indexOf(':');
  return colon > 0 ? hashOf(text.slice(0, colon), text.slice(colon + 1).trim()) : undefined;
}

/** Collects hashes without duplicates, in the order first seen. */
export class HashSet {
  private readonly seen = new Set<string>();
  readonly list: Hash[] = [];

  add(hash: Hash | undefined): void {
    if (!hash) return;
    // The digest alone is the key: equal digests under two algorithms do not occur in practice.
    if (this.seen.has(hash.content)) return;
    this.seen.add(hash.content);
    this.list.push(hash);
  }

  /** A PEP 751 / pdm hashes table `{ sha256 = "…" }`. */
  addTable(table: unknown): void {
    if (typeof table !== 'object' || table === null || Array.isArray(table)) return;
    for (const [alg, digest] of Object.entries(table)) if (typeof digest === 'string') this.add(hashOf(alg, digest));
  }

  get result(): Hash[] | undefined {
    return this.list.length > 0 ? this.list : undefined;
  }
}
