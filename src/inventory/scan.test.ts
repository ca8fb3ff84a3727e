import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dockerSave, sha256, tarOf } from './image/__fixtures__/build-image.js';
import { renderSbom } from './sbom/index.js';
import { scanPath } from './scan.js';

/** scan.ts picks the right path for each kind of input, and never throws for bad input. */

let dir: string;
const lock = JSON.stringify({ name: 'app', lockfileVersion: 3, packages: { '': { name: 'app', dependencies: { ms: '*' } }, 'node_modules/ms': { version: '2.1.3' } } });
const dpkg = 'Package: curl\nStatus: install ok installed\nVersion: 7.88.1-10+deb12u5\nArchitecture: amd64\n\n';

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-scan-'));
  await mkdir(join(dir, 'tree', 'web'), { recursive: true });
  await writeFile(join(dir, 'tree', 'web', 'package-lock.json'), lock);
  await writeFile(join(dir, 'blob-1234'), lock);
  await writeFile(join(dir, 'junk.bin'), 'hello');
  const layer = await tarOf([
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: 'var/lib/dpkg/status', content: dpkg },
  ]);
  const { tar } = await dockerSave({ layers: [{ blob: layer, diffId: sha256(layer) }], repoTag: 'example.org/app:1.0' });
  await writeFile(join(dir, 'image.tar'), tar);
  await writeFile(join(dir, 'image-upload'), gzipSync(tar));
});
after(() => rm(dir, { recursive: true, force: true }));

test('a directory: every lockfile under it', async () => {
  const inv = await scanPath(join(dir, 'tree'));
  assert.equal(inv.source.kind, 'directory');
  assert.deepEqual(inv.packages.map((p) => p.purl), ['pkg:npm/ms@2.1.3']);
  assert.equal(inv.packages[0]!.location.file, 'web/package-lock.json');
});

test('an image tar (plain, or gzip-compressed under any name): OS packages with their layer', async () => {
  for (const [file, name] of [['image.tar', undefined], ['image-upload', 'upload.bin']] as const) {
    const inv = await scanPath(join(dir, file), name ? { name } : {});
    assert.equal(inv.source.kind, 'image', file);
    const curl = inv.packages.find((p) => p.name === 'curl');
    assert.ok(curl, `${file}: ${JSON.stringify(inv.problems)}`);
    assert.equal(curl.ecosystem, 'Debian:12');
    assert.equal(curl.layer?.index, 0);
  }
});

test('an SBOM is read as an SBOM; content stored under another name is read by the given name', async () => {
  const tree = await scanPath(join(dir, 'tree'));
  await writeFile(join(dir, 'sbom-blob'), renderSbom(tree, 'cyclonedx'));
  const sbom = await scanPath(join(dir, 'sbom-blob'), { name: 'upload' });
  assert.equal(sbom.source.kind, 'sbom');
  assert.deepEqual(sbom.packages.map((p) => p.purl), ['pkg:npm/ms@2.1.3']);
  const named = await scanPath(join(dir, 'blob-1234'), { name: 'package-lock.json' });
  assert.deepEqual(named.packages.map((p) => p.purl), ['pkg:npm/ms@2.1.3']);
  assert.equal(named.packages[0]!.location.file, 'package-lock.json');
});

test('missing, unrecognised and broken input: one error problem each, no throw', async () => {
  for (const [path, opts, re] of [
    [join(dir, 'nope'), {}, /cannot read/],
    [join(dir, 'junk.bin'), { name: 'junk.bin' }, /not recognised/],
    [join(dir, 'junk.bin'), { name: 'package-lock.json' }, /./],
  ] as const) {
    const inv = await scanPath(path, opts);
    assert.equal(inv.packages.length, 0);
    const err = inv.problems.find((p) => p.severity === 'error');
    assert.ok(err, `${path}: expected an error problem`);
    assert.match(err.message, re);
  }
});
