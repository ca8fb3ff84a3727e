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

const LOWER_HEX = /^[0-9a-f]{1,256}$/;
const HEX = /^[0-9a-fA-F]{1,256}$/;

/** The digest in lower case when it is 1 to 256 hex digits, else undefined (a new string only for upper-case digests). */
function lowerHex(digest: string): string | undefined {
  if (LOWER_HEX.test(digest)) return digest;
  return HEX.test(digest) ? digest.toLowerCase() : undefined;
}

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

const algorithm = (alg: string): string | undefined => (Object.hasOwn(ALGORITHMS, alg) ? ALGORITHMS[alg] : undefined);

/** `sha256` + hex digest → a Hash, or undefined for an unknown algorithm or a digest that is not hex. */
export function hashOf(alg: string, digest: string): Hash | undefined {
  const name = algorithm(alg) ?? algorithm(alg.toLowerCase());
  if (name === undefined) return undefined;
  const content = lowerHex(digest);
  return content === undefined ? undefined : { alg: name, content };
}

/** `sha256:abc…` (pip `--hash`, Pipfile.lock, poetry, uv, pdm) → a Hash, or undefined. */
export function parseHashString(text: string): Hash | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const digest = text.slice(colon + 1);
  // trim() only when the digest does not start and end with a letter or digit (it rarely does not).
  const plain = isAlnum(digest.charCodeAt(0)) && isAlnum(digest.charCodeAt(digest.length - 1));
  if (colon === 6 && plain && text.startsWith('sha256')) {
    // Nearly every lockfile hash: skip the algorithm lookup.
    const content = lowerHex(digest);
    return content === undefined ? undefined : { alg: 'SHA-256', content };
  }
  return hashOf(text.slice(0, colon), plain ? digest : digest.trim());
}

const SCRATCH = Buffer.alloc(32);

/**
 * Whether the text is `sha256:` and 64 lower-case hex digits, the form nearly every lockfile
 * hash takes. Checked without a per-character loop: toLowerCase returns the string itself
 * when it has no upper case, and Buffer's hex decoder stops at the first non-hex digit.
 */
function isCanonicalSha256(text: string): boolean {
  return text.length === 71 && text.startsWith('sha256:') && text.toLowerCase() === text && SCRATCH.write(text.slice(7), 'hex') === 32;
}

/**
 * Collects hashes without duplicates (by digest), in the order first seen. Digests are
 * compared through the hash's text where it has the canonical `sha256:<hex>` form: the same
 * digest is then the same text, and V8 hashes a lockfile's own strings several times faster
 * than the digest slices cut out of them.
 */
export class HashSet {
  /** Texts of the kept hashes that were given in canonical form. */
  private texts: Set<string> | undefined;
  /** Digests of the other kept hashes. */
  private others: Set<string> | undefined;
  readonly list: Hash[] = [];

  add(hash: Hash | undefined): void {
    if (!hash) return;
    // The digest alone is the key: equal digests under two algorithms do not occur in practice.
    if (this.others?.has(hash.content) || this.texts?.has(`sha256:${hash.content}`)) return;
    (this.others ??= new Set()).add(hash.content);
    this.list.push(hash);
  }

  /** A hash written `alg:digest` (see {@link parseHashString}). */
  addText(text: string): void {
    if (!isCanonicalSha256(text)) {
      this.add(parseHashString(text));
      return;
    }
    if (this.texts?.has(text) || (this.others !== undefined && this.others.has(text.slice(7)))) return;
    (this.texts ??= new Set()).add(text);
    this.list.push({ alg: 'SHA-256', content: text.slice(7) });
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
