import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * The object store for uploaded documents (SBOMs, lockfiles, image tars): content-addressed
 * by SHA-256 under a tenant prefix, so the same upload twice is stored once and a name in the
 * database can never point at someone else's bytes. The filesystem implementation is the
 * default (`<dataDir>/objects`); S3ObjectStore (objects-s3.ts) keeps them in an S3-compatible
 * bucket when `VIGIL_S3_BUCKET` is set (several servers, no shared volume).
 */
export interface ObjectStore {
  /**
   * Streams `body` in (at most `maxBytes`), hashing as it goes. Resolves with the digest, the
   * size and a local path the caller may read until it calls `release()` (the stored object
   * itself on the filesystem store).
   */
  put(tenantId: string, body: Readable, maxBytes: number): Promise<PutResult>;
  /** The stored object, or undefined when there is none. */
  open(tenantId: string, sha256: string): Promise<Readable | undefined>;
  delete(tenantId: string, sha256: string): Promise<void>;
}

export interface PutResult {
  readonly sha256: string;
  readonly bytes: number;
  readonly path: string;
  release(): Promise<void>;
}

/** An upload over the size limit: the edge maps it to 413. */
export class ObjectTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the upload is over the ${maxBytes}-byte limit`);
    this.name = 'ObjectTooLargeError';
  }
}

const TENANT = /^[0-9a-f-]{36}$/i;
const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Streams `body` into `file` (at most `maxBytes`), hashing as it goes; the file is removed
 * when the stream fails or is too large.
 */
export async function hashToFile(body: Readable, file: string, maxBytes: number): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        done(new ObjectTooLargeError(maxBytes));
        return;
      }
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(file, { mode: 0o600 }));
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export const isTenantId = (s: string): boolean => TENANT.test(s);
export const isSha256 = (s: string): boolean => SHA256.test(s);

export class FsObjectStore implements ObjectStore {
  constructor(private readonly root: string) {}

  private pathOf(tenantId: string, sha256: string): string {
    if (!TENANT.test(tenantId) || !SHA256.test(sha256)) throw new Error('invalid object name');
    return join(this.root, tenantId, sha256.slice(0, 2), sha256);
  }

  async put(tenantId: string, body: Readable, maxBytes: number): Promise<PutResult> {
    if (!TENANT.test(tenantId)) throw new Error('invalid tenant id');
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(12).toString('hex')}.part`);
    const { sha256, bytes } = await hashToFile(body, tmp, maxBytes);
    const final = this.pathOf(tenantId, sha256);
    await mkdir(join(final, '..'), { recursive: true, mode: 0o700 });
    // Same content already stored: keep the one there.
    if (await stat(final).then(() => true, () => false)) await rm(tmp, { force: true });
    else await rename(tmp, final);
    return { sha256, bytes, path: final, release: async () => undefined };
  }

  async open(tenantId: string, sha256: string): Promise<Readable | undefined> {
    const p = this.pathOf(tenantId, sha256);
    if (!(await stat(p).then((s) => s.isFile(), () => false))) return undefined;
    return createReadStream(p);
  }

  async delete(tenantId: string, sha256: string): Promise<void> {
    await rm(this.pathOf(tenantId, sha256), { force: true });
  }
}
