import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipOf } from '../../test/helpers/zip.js';
import { walk, type WalkItem } from './walk.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-walk-'));
});
after(() => rm(dir, { recursive: true, force: true }));

async function makeZip(path: string, entries: Record<string, string>): Promise<void> {
  await writeFile(path, await zipOf(entries));
}

async function collect(paths: string[], limits?: Parameters<typeof walk>[1]): Promise<WalkItem[]> {
  const out: WalkItem[] = [];
  for await (const i of walk(paths, limits)) out.push(i);
  return out;
}

const names = (items: WalkItem[]) => items.map((i) => (i.kind === 'file' ? `${i.file.origin.file}${i.file.origin.entry ? `!${i.file.origin.entry}` : ''}` : `ERR ${i.error.origin.file}: ${i.error.reason}`));

test('walks directories (sorted, data files only, VCS skipped), zips and gzip', async () => {
  const root = join(dir, 'tree');
  await mkdir(join(root, 'a', '.git'), { recursive: true });
  await writeFile(join(root, 'a', 'CVE-1.json'), '{}');
  await writeFile(join(root, 'a', '.git', 'x.json'), '{}');
  await writeFile(join(root, 'README.md'), '# no');
  await writeFile(join(root, 'b.yaml'), 'id: x');
  await writeFile(join(root, 'c.csv.gz'), gzipSync('cve,epss\n'));
  await makeZip(join(root, 'd.zip'), { 'x/GO-1.json': '{"id":"GO-1"}', 'GO-2.json': '{}' });
  const items = await collect([root]);
  assert.deepEqual(names(items), [
    join(root, 'a', 'CVE-1.json'),
    join(root, 'b.yaml'),
    join(root, 'c.csv.gz'),
    `${join(root, 'd.zip')}!x/GO-1.json`,
    `${join(root, 'd.zip')}!GO-2.json`,
  ]);
  const gz = items[2]!;
  assert.ok(gz.kind === 'file' && gz.file.name === 'c.csv' && Buffer.from(gz.file.bytes).toString() === 'cve,epss\n');
  const z = items[3]!;
  assert.ok(z.kind === 'file' && z.file.name === 'GO-1.json' && Buffer.from(z.file.bytes).toString() === '{"id":"GO-1"}');
});

test('missing files, symlinks, truncated zips and oversized entries are errors, and the walk goes on', async () => {
  const good = join(dir, 'good.json');
  await writeFile(good, '{}');
  const zip = join(dir, 'full.zip');
  await makeZip(zip, { 'one.json': '{"a":1}', 'two.json': 'x'.repeat(5000) });
  const truncated = join(dir, 'truncated.zip');
  const bytes = await readFile(zip);
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const link = join(dir, 'link.json');
  await symlink(good, link);
  const badGz = join(dir, 'bad.csv.gz');
  await writeFile(badGz, 'not gzip');
  const items = await collect([join(dir, 'missing.json'), link, truncated, zip, badGz, good], { maxFileBytes: 1000, maxArchiveEntries: 10, maxDepth: 4 });
  const n = names(items);
  assert.match(n[0]!, /^ERR .*missing\.json: cannot read/);
  assert.match(n[1]!, /^ERR .*link\.json: symbolic link not followed/);
  assert.match(n[2]!, /^ERR .*truncated\.zip: not a readable zip archive/);
  assert.equal(n[3], `${zip}!one.json`);
  assert.match(n[4]!, /^ERR .*full\.zip: cannot read archive entry: entry is 5000 bytes/);
  assert.match(n[5]!, /^ERR .*bad\.csv\.gz: cannot decompress/);
  assert.equal(n[6], good);
});

test('archive entry count is limited', async () => {
  const zip = join(dir, 'many.zip');
  await makeZip(zip, Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`${i}.json`, '{}'])));
  const n = names(await collect([zip], { maxFileBytes: 100, maxArchiveEntries: 3, maxDepth: 4 }));
  assert.equal(n.length, 4);
  assert.match(n[3]!, /more than 3 entries/);
});

test('an empty directory yields nothing', async () => {
  const empty = join(dir, 'empty');
  await mkdir(empty);
  assert.deepEqual(await collect([empty]), []);
});

test('a zip inside a zip is opened (cvelistV5 baseline layout) and its temporary copy removed', async () => {
  const spool = join(dir, 'spool');
  await mkdir(spool);
  const inner = await zipOf({ 'cves/2024/1xxx/CVE-2024-1000.json': '{"a":1}', 'cves/delta.json': '{}' });
  const outer = join(dir, '2024-01-02_all_CVEs_at_midnight.zip.zip');
  await writeFile(outer, await zipOf({ 'cves.zip': inner }));
  const items = await collect([outer], { maxFileBytes: 1000, maxArchiveEntries: 10, maxDepth: 4, tmpDir: spool });
  assert.deepEqual(names(items), [`${outer}!cves.zip!cves/2024/1xxx/CVE-2024-1000.json`, `${outer}!cves.zip!cves/delta.json`]);
  const first = items[0]!;
  assert.ok(first.kind === 'file');
  assert.equal(first.file.origin.file, `${outer}!cves.zip`);
  assert.equal(first.file.origin.entry, 'cves/2024/1xxx/CVE-2024-1000.json');
  assert.equal(Buffer.from(first.file.bytes).toString(), '{"a":1}');
  assert.deepEqual(await readdir(spool), [], 'the inner copy is deleted');
});

test('zip nesting and inner zip size are limited', async () => {
  const deepest = await zipOf({ 'x.json': '{}' });
  const middle = await zipOf({ 'deep.zip': deepest });
  const outer = join(dir, 'nest.zip');
  await writeFile(outer, await zipOf({ 'middle.zip': middle }));
  // Nesting 2: the outer and middle zips are opened, deep.zip comes out as a plain file.
  assert.deepEqual(names(await collect([outer], { maxFileBytes: 10_000, maxArchiveEntries: 10, maxDepth: 4 })), [`${outer}!middle.zip!deep.zip`]);
  assert.deepEqual(names(await collect([outer], { maxFileBytes: 10_000, maxArchiveEntries: 10, maxDepth: 4, maxZipNesting: 3 })), [`${outer}!middle.zip!deep.zip!x.json`]);
  const n = names(await collect([outer], { maxFileBytes: 10_000, maxArchiveEntries: 10, maxDepth: 4, maxNestedZipBytes: 10 }));
  assert.equal(n.length, 1);
  assert.match(n[0]!, /^ERR .*nest\.zip: cannot read inner archive: inner archive is \d+ bytes, over the 10-byte limit/);
});
