import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { walk, type WalkItem, type WalkOptions } from './walk.js';

// The directory walk reads plain files a few ahead (asynchronously) or one at a time with
// blocking calls (the import worker): both must yield the same items in the same order.

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-walk-reads-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function collect(paths: string[], opts: WalkOptions, limits = { maxFileBytes: 1000, maxArchiveEntries: 10, maxDepth: 4 }): Promise<string[]> {
  const out: string[] = [];
  for await (const i of walk(paths, limits, opts)) out.push(show(i));
  return out;
}

const show = (i: WalkItem) => (i.kind === 'file' ? `${i.file.origin.file} ${i.file.name} ${Buffer.from(i.file.bytes).toString()}` : `ERR ${i.error.origin.file}: ${i.error.reason}`);

test('read-ahead and blocking reads yield the same items, in order, errors included', async () => {
  const root = join(dir, 'tree');
  await mkdir(join(root, 'b', 'deeper'), { recursive: true });
  for (let i = 0; i < 30; i++) await writeFile(join(root, `f${String(i).padStart(2, '0')}.json`), `{"n":${i}}`);
  await writeFile(join(root, 'b', 'deeper', 'x.yaml'), 'id: x');
  await writeFile(join(root, 'big.json'), 'x'.repeat(2000));
  await writeFile(join(root, 'skip.md'), '# not data');
  await symlink(join(root, 'f00.json'), join(root, 'link.json'));
  const ahead = await collect([root, join(dir, 'missing.json')], {});
  const blocking = await collect([root, join(dir, 'missing.json')], { blockingReads: true });
  assert.deepEqual(blocking, ahead);
  assert.equal(ahead.length, 34);
  assert.equal(ahead[0], `${join(root, 'b', 'deeper', 'x.yaml')} x.yaml id: x`);
  assert.match(ahead[1]!, /^ERR .*big\.json: file is 2000 bytes, over the 1000-byte limit$/);
  assert.equal(ahead[2], `${join(root, 'f00.json')} f00.json {"n":0}`);
  assert.equal(ahead[31], `${join(root, 'f29.json')} f29.json {"n":29}`);
  assert.match(ahead[32]!, /^ERR .*link\.json: symbolic link not followed$/);
  assert.match(ahead[33]!, /^ERR .*missing\.json: cannot read/);
});
