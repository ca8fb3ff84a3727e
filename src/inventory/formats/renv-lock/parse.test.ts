import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renvLockReader } from './index.js';
import { parseRenvLock, renvEcosystem } from './parse.js';

const read = (text: string) => parseRenvLock({ path: 'renv.lock', text });

const LOCK = JSON.stringify({
  R: { Version: '4.3.1', Repositories: [{ Name: 'CRAN', URL: 'https://cloud.r-project.org' }] },
  Bioconductor: { Version: '3.17' },
  Packages: {
    markdown: { Package: 'markdown', Version: '1.0', Source: 'Repository', Repository: 'CRAN', Hash: '4584a57f565dd7987d59dda3a02cfb41', Requirements: ['mime', 'utils'] },
    mime: { Package: 'mime', Version: '0.12', Source: 'Repository', Repository: 'CRAN' },
    BSgenome: { Package: 'BSgenome', Version: '1.60.0', Source: 'Bioconductor' },
    gh: { Package: 'gh', Version: '1.4.0', Source: 'GitHub', RemoteType: 'github', RemoteUsername: 'r-lib', RemoteRepo: 'gh', RemoteSha: '1763e0dcb72fb58d97bab97bb834fc71f1e012bc' },
  },
}, null, 2);

test('CRAN and Bioconductor packages; other sources are named in warnings; requirements are edges', () => {
  const r = read(LOCK);
  assert.deepEqual(r.packages.map((p) => [p.name, p.version, p.ecosystem, p.purl, p.location.line]), [
    ['markdown', '1.0', 'CRAN', 'pkg:cran/markdown@1.0', 15],
    ['mime', '0.12', 'CRAN', 'pkg:cran/mime@0.12', 26],
    ['BSgenome', '1.60.0', 'Bioconductor', 'pkg:bioconductor/BSgenome@1.60.0', 32],
  ]);
  assert.equal(r.packages[0]!.properties?.['renv:hash'], '4584a57f565dd7987d59dda3a02cfb41');
  assert.deepEqual(r.edges, [{ from: r.packages[0]!.id, to: r.packages[1]!.id }]);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0]!.severity, 'warning');
  assert.equal(r.problems[0]!.location.line, 37);
  assert.match(r.problems[0]!.message, /^gh 1\.4\.0 comes from GitHub \(r-lib\/gh@1763e0dcb72f\)/);
});

test('ecosystem as osv-scanner decides it, plus Bioconductor', () => {
  assert.equal(renvEcosystem({ Repository: 'CRAN' }), 'CRAN');
  assert.equal(renvEcosystem({ Repository: 'BioCsoft' }), 'Bioconductor');
  assert.equal(renvEcosystem({ Repository: 'RSPM' }), undefined);
  assert.equal(renvEcosystem({}), undefined);
});

test('no packages: nothing, no problems', () => {
  assert.deepEqual(read('{"R": {"Version": "4.2.3"}, "Packages": {}}'), { packages: [], edges: [], problems: [] });
  assert.deepEqual(read('{"R": {"Version": "4.2.3"}}'), { packages: [], edges: [], problems: [] });
});

test('not JSON or the wrong shape: one error; a bad entry is a warning', () => {
  for (const text of ['not json', '"x"', '{"Packages": []}']) assert.deepEqual(read(text).problems.map((p) => p.severity), ['error']);
  const r = read('{"Packages": {"a": 1, "b": {"Package": "b", "Version": "1", "Repository": "CRAN"}}}');
  assert.deepEqual(r.packages.map((p) => p.name), ['b']);
  assert.deepEqual(r.problems.map((p) => p.severity), ['warning']);
});

test('hostile: deep nesting refused', () => {
  assert.deepEqual(read(`{"Packages": ${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`).problems.map((p) => p.severity), ['error']);
});

test('matches renv.lock only', () => {
  assert.equal(renvLockReader.matches('proj/renv.lock'), true);
  assert.equal(renvLockReader.matches('proj/renv/activate.R'), false);
});
