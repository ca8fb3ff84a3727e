import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import S3rver from 's3rver';
import { FsObjectStore, ObjectTooLargeError, type ObjectStore } from './objects.js';
import { S3ObjectStore } from './objects-s3.js';

/**
 * Both object stores against the same contract. The S3 one talks real S3 HTTP (SigV4,
 * multipart) to s3rver, an S3-compatible server run in the test.
 */
const TENANT = '0b9c7a8e-1f2d-4c3b-9a8e-7f6d5c4b3a21';
const OTHER = '1c9c7a8e-1f2d-4c3b-9a8e-7f6d5c4b3a22';
const text = async (r: Readable | undefined) => {
  assert.ok(r);
  const chunks: Buffer[] = [];
  for await (const c of r) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks).toString('utf8');
};

function contract(name: string, make: () => ObjectStore) {
  describe(name, () => {
    test('put → digest, size and a readable local path; open; same content stored once; delete', async () => {
      const store = make();
      const a = await store.put(TENANT, Readable.from(['hello ', 'world']), 1000);
      assert.equal(a.sha256, 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9');
      assert.equal(a.bytes, 11);
      assert.equal(await readFile(a.path, 'utf8'), 'hello world');
      await a.release();
      assert.equal(await text(await store.open(TENANT, a.sha256)), 'hello world');
      const again = await store.put(TENANT, Readable.from(['hello world']), 1000);
      assert.equal(again.sha256, a.sha256);
      await again.release();
      assert.equal(await store.open(OTHER, a.sha256), undefined, "another tenant's prefix does not hold it");
      await store.delete(TENANT, a.sha256);
      assert.equal(await store.open(TENANT, a.sha256), undefined);
    });

    test('too large: refused while streaming, nothing kept; bad names refused', async () => {
      const store = make();
      await assert.rejects(store.put(TENANT, Readable.from([Buffer.alloc(600), Buffer.alloc(600)]), 1000), ObjectTooLargeError);
      await assert.rejects(store.put('../etc', Readable.from(['x']), 10), /invalid/);
      await assert.rejects(store.open(TENANT, '../../passwd'), /invalid/);
    });
  });
}

let dir: string;
let s3: S3rver;
let endpoint = '';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-objects-test-'));
  s3 = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory: join(dir, 's3'), configureBuckets: [{ name: 'vigil-test', configs: [] }] });
  const addr = (await s3.run()) as { address: string; port: number };
  endpoint = `http://${addr.address}:${addr.port}`;
  // s3rver's fixed credentials, through the standard AWS environment variables.
  process.env['AWS_ACCESS_KEY_ID'] = 'S3RVER';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'S3RVER';
});
after(async () => {
  await s3.close();
  await rm(dir, { recursive: true, force: true });
});

contract('filesystem', () => new FsObjectStore(join(dir, 'fs')));
contract('S3-compatible', () => new S3ObjectStore({ bucket: 'vigil-test', prefix: 'p/', endpoint }));

test('filesystem objects are private to the service account', async () => {
  const store = new FsObjectStore(join(dir, 'fs2'));
  const r = await store.put(TENANT, Readable.from(['x']), 10);
  assert.equal((await stat(r.path)).mode & 0o077, 0);
});
