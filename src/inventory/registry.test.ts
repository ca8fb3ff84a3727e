import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReadResult } from './model.js';
import { isBinaryReader, type AnyInventoryReader } from './reader.js';
import { INVENTORY_READERS, readerById, readerFor } from './registry.js';

/**
 * Conformance of the reader registry with the format folders, as Renovate checks its
 * managers: one folder per reader under `formats/`, its id the folder name, registered once.
 * A new reader must add its folder, its group-list entry and a row in EXAMPLES below.
 */
const FORMATS = fileURLToPath(new URL('./formats/', import.meta.url));

/** Folders of code shared by several readers: no `index.ts`, no reader. */
const SHARED_FOLDERS: Readonly<Record<string, string>> = {
  'npm-shared': 'lockfile graph, spec and YAML helpers shared by npm-lock, yarn-lock, pnpm-lock and bun-lock',
  'pypi-shared': 'name normalisation, hashes and TOML helpers shared by the Python readers',
};

/** A typical path for each reader (relative, `/`-separated): its matches() must accept it. */
const EXAMPLES: Readonly<Record<string, string>> = {
  'npm-lock': 'app/package-lock.json',
  'yarn-lock': 'app/yarn.lock',
  'pnpm-lock': 'app/pnpm-lock.yaml',
  'bun-lock': 'app/bun.lock',
  'requirements-txt': 'service/requirements.txt',
  'pipfile-lock': 'service/Pipfile.lock',
  'poetry-lock': 'service/poetry.lock',
  'uv-lock': 'service/uv.lock',
  'pdm-lock': 'service/pdm.lock',
  'pylock-toml': 'service/pylock.toml',
  'go-mod': 'cmd/api/go.mod',
  'cargo-lock': 'crates/cli/Cargo.lock',
  'gemfile-lock': 'web/Gemfile.lock',
  'composer-lock': 'web/composer.lock',
  'nuget-lock': 'src/App/packages.lock.json',
  csproj: 'src/App/App.csproj',
  'maven-pom': 'backend/pom.xml',
  'gradle-lock': 'android/app/gradle.lockfile',
  'gradle-verification': 'gradle/verification-metadata.xml',
  'pubspec-lock': 'mobile/pubspec.lock',
  'mix-lock': 'phoenix/mix.lock',
  'conan-lock': 'native/conan.lock',
  'renv-lock': 'analysis/renv.lock',
  'dpkg-status': 'var/lib/dpkg/status',
  'apk-installed': 'lib/apk/db/installed',
  'rpm-sqlite': 'var/lib/rpm/rpmdb.sqlite',
};

/** Paths no reader should want, and odd ones matches() must survive. */
const NOBODY = ['', '/', '.', 'README.md', 'src/index.ts', 'node_modules/', 'a/b/c/d/e/f', 'package.json', 'Dockerfile'];
const ODD = ['\\', 'C:\\app\\package-lock.json', 'ä/ö/ü/🙂', '../../etc/passwd', '//', 'a//b', ' ', '\u0000', `${'deep/'.repeat(2000)}file`, 'x'.repeat(100_000)];

const folders = (): string[] =>
  readdirSync(FORMATS)
    .filter((name) => statSync(join(FORMATS, name)).isDirectory())
    .sort();

const isResult = (r: unknown): r is ReadResult =>
  typeof r === 'object' && r !== null && Array.isArray((r as ReadResult).packages) && Array.isArray((r as ReadResult).edges) && Array.isArray((r as ReadResult).problems);

async function readEmpty(reader: AnyInventoryReader, path: string, text: string): Promise<ReadResult> {
  const readFile = (): undefined => undefined;
  if (isBinaryReader(reader)) return await reader.read({ path, bytes: new TextEncoder().encode(text), readFile });
  return reader.read({ path, text, readFile });
}

test('every formats/ folder is a listed shared folder or holds exactly one registered reader with its id', async () => {
  const ids = INVENTORY_READERS.map((r) => r.id);
  for (const folder of folders()) {
    const hasIndex = existsSync(join(FORMATS, folder, 'index.ts'));
    if (folder in SHARED_FOLDERS) {
      assert.ok(!hasIndex, `${folder} is listed as shared but has an index.ts: register its reader and remove it from SHARED_FOLDERS`);
      continue;
    }
    assert.ok(hasIndex, `formats/${folder} has no index.ts: add its reader, or list it in SHARED_FOLDERS with a reason`);
    assert.equal(ids.filter((id) => id === folder).length, 1, `formats/${folder}: expected exactly one registered reader with id "${folder}"`);
    // The registered object is the one the folder's index.ts exports.
    const exports = (await import(`./formats/${folder}/index.js`)) as Record<string, unknown>;
    assert.ok(Object.values(exports).includes(readerById(folder)), `formats/${folder}/index.ts does not export the registered reader`);
  }
  for (const id of ids) assert.ok(folders().includes(id), `reader ${id} has no formats/${id} folder`);
  for (const shared of Object.keys(SHARED_FOLDERS)) assert.ok(folders().includes(shared), `SHARED_FOLDERS lists ${shared}, which does not exist`);
});

test('ids are unique kebab-case names, every reader has a title', () => {
  const ids = INVENTORY_READERS.map((r) => r.id);
  assert.deepEqual(
    ids.filter((id, i) => ids.indexOf(id) !== i),
    [],
    'duplicate reader ids',
  );
  for (const r of INVENTORY_READERS) {
    assert.match(r.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, `id ${r.id}`);
    assert.equal(typeof r.title, 'string', r.id);
    assert.ok(r.title.trim().length > 0, `${r.id} has no title`);
  }
});

test('matches() is cheap and pure: a boolean, the same answer twice, no throw on odd paths', () => {
  const paths = [...NOBODY, ...ODD, ...Object.values(EXAMPLES), ...Object.values(EXAMPLES).map((p) => `node_modules/x/${p}`)];
  for (const r of INVENTORY_READERS) {
    const started = performance.now();
    for (const path of paths) {
      const first = r.matches(path);
      assert.equal(typeof first, 'boolean', `${r.id}.matches(${JSON.stringify(path.slice(0, 40))})`);
      assert.equal(r.matches(path), first, `${r.id}.matches is not deterministic for ${JSON.stringify(path.slice(0, 40))}`);
    }
    // A name check, not I/O: a few hundred calls (two on 100 kB paths) take microseconds each.
    assert.ok(performance.now() - started < 500, `${r.id}.matches took ${Math.round(performance.now() - started)} ms for ${paths.length * 2} calls`);
    for (const path of NOBODY) assert.equal(r.matches(path), false, `${r.id} wants ${JSON.stringify(path)}`);
  }
});

test('every reader has an example path that it matches and the registry routes to it', () => {
  for (const r of INVENTORY_READERS) {
    const example = EXAMPLES[r.id];
    assert.ok(example !== undefined, `reader ${r.id} has no example path: add one to EXAMPLES in src/inventory/registry.test.ts`);
    assert.ok(r.matches(example), `${r.id} does not match its example ${example}`);
    assert.equal(readerFor(example)?.id, r.id, `${example} goes to ${readerFor(example)?.id}, not ${r.id} (first match wins: check the registry order)`);
  }
  for (const id of Object.keys(EXAMPLES)) assert.ok(readerById(id), `EXAMPLES lists ${id}, which is not registered`);
});

test('empty input: every reader returns a ReadResult, with an error problem or no packages', async () => {
  for (const r of INVENTORY_READERS) {
    const path = EXAMPLES[r.id] ?? `${r.id}.example`;
    for (const text of ['', '\n', ' \t\r\n']) {
      let result: ReadResult;
      try {
        result = await readEmpty(r, path, text);
      } catch (err) {
        assert.fail(`${r.id} threw on ${JSON.stringify(text)}: ${err instanceof Error ? err.message : String(err)}`);
      }
      assert.ok(isResult(result), `${r.id} did not return a ReadResult`);
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.ok(errors.length > 0 || result.packages.length === 0, `${r.id}: packages from empty input without an error`);
      for (const p of result.problems) {
        assert.equal(p.location.file, path, `${r.id}: problem not located in the file read`);
        assert.equal(p.reader, r.id, `${r.id}: problem names reader ${p.reader}`);
        assert.ok(p.message.length > 0, `${r.id}: problem without a message`);
      }
    }
  }
});

test('garbage input: no reader throws; whatever it reads, it reports against the file', async () => {
  const garbage = ['\u0000\u0001\u0002', '{[<"\'', `${'['.repeat(5000)}`, 'name: x\nversion: [\n', '\uFFFD'.repeat(100), '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'];
  for (const r of INVENTORY_READERS) {
    const path = EXAMPLES[r.id] ?? `${r.id}.example`;
    for (const text of garbage) {
      let result: ReadResult;
      try {
        result = await readEmpty(r, path, text);
      } catch (err) {
        assert.fail(`${r.id} threw on ${JSON.stringify(text.slice(0, 30))}: ${err instanceof Error ? err.message : String(err)}`);
      }
      assert.ok(isResult(result), `${r.id} did not return a ReadResult`);
      for (const p of result.problems) assert.equal(p.location.file, path, `${r.id}: problem not located in the file read`);
    }
  }
});
