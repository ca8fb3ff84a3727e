import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type * as S3Module from '@aws-sdk/client-s3';
import { hashToFile, isSha256, isTenantId, type ObjectStore, type PutResult } from './objects.js';

/**
 * The object store in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2 …), for servers that
 * share no volume. Keys are `<prefix><tenant>/<sha256[0:2]>/<sha256>`, content-addressed as on
 * the filesystem. An upload is first streamed to a local temporary file while it is hashed
 * (the key is its digest, and the caller reads the file to build the inventory), then sent as
 * a multipart upload unless the bucket already holds it. Credentials come from the standard
 * AWS chain (environment, shared config, instance role); the SDK is loaded on first use.
 */
export interface S3Settings {
  readonly bucket: string;
  readonly prefix?: string | undefined;
  readonly region?: string | undefined;
  /** For S3-compatible services: their URL (e.g. `http://minio:9000`); path-style addressing is then used. */
  readonly endpoint?: string | undefined;
}

type S3Sdk = typeof S3Module;

export class S3ObjectStore implements ObjectStore {
  private sdk: Promise<{ sdk: S3Sdk; client: InstanceType<S3Sdk['S3Client']> }> | undefined;

  constructor(private readonly s: S3Settings) {}

  private client() {
    this.sdk ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      client: new sdk.S3Client({
        region: this.s.region ?? 'us-east-1',
        ...(this.s.endpoint && { endpoint: this.s.endpoint, forcePathStyle: true }),
      }),
    }));
    return this.sdk;
  }

  private key(tenantId: string, sha256: string): string {
    if (!isTenantId(tenantId) || !isSha256(sha256)) throw new Error('invalid object name');
    return `${this.s.prefix ?? ''}${tenantId}/${sha256.slice(0, 2)}/${sha256}`;
  }

  async put(tenantId: string, body: Readable, maxBytes: number): Promise<PutResult> {
    if (!isTenantId(tenantId)) throw new Error('invalid tenant id');
    const dir = await mkdtemp(join(tmpdir(), 'vigil-upload-'));
    const release = () => rm(dir, { recursive: true, force: true });
    try {
      const file = join(dir, randomBytes(8).toString('hex'));
      const { sha256, bytes } = await hashToFile(body, file, maxBytes);
      const { sdk, client } = await this.client();
      const Key = this.key(tenantId, sha256);
      const exists = await client.send(new sdk.HeadObjectCommand({ Bucket: this.s.bucket, Key })).then(
        () => true,
        (err: unknown) => {
          if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
          throw err;
        },
      );
      if (!exists) {
        const { Upload } = await import('@aws-sdk/lib-storage');
        await new Upload({ client, params: { Bucket: this.s.bucket, Key, Body: createReadStream(file), ContentType: 'application/octet-stream' } }).done();
      }
      return { sha256, bytes, path: file, release };
    } catch (err) {
      await release();
      throw err;
    }
  }

  async open(tenantId: string, sha256: string): Promise<Readable | undefined> {
    const { sdk, client } = await this.client();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.s.bucket, Key: this.key(tenantId, sha256) }));
      return res.Body as Readable | undefined;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404 || (err as { name?: string }).name === 'NoSuchKey') return undefined;
      throw err;
    }
  }

  async delete(tenantId: string, sha256: string): Promise<void> {
    const { sdk, client } = await this.client();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.s.bucket, Key: this.key(tenantId, sha256) }));
  }
}
