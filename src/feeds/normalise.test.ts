import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Advisory } from '../core/advisory.js';
import { normaliseAdvisory } from './normalise.js';

const base: Advisory = {
  source: 'osv', id: 'GHSA-xxxx-yyyy-zzzz', aliases: ['CVE-2024-0001'], related: [], title: 't', description: null,
  published: null, modified: '2024-01-01T00:00:00Z', withdrawn: null, rejected: false, cwes: [], references: [],
  cvss: [], ssvc: [], affectedPackages: [], affectedProducts: [], cpeConfigurations: [], raw: {},
};

test('scores every vector with the library, ignoring what the source claimed', () => {
  const a = normaliseAdvisory({
    ...base,
    cvss: [
      { version: '3.1', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', score: 1.0, severity: 'low', source: 'osv:GHSA' },
      { version: '2.0', vector: 'AV:N/AC:L/Au:N/C:P/I:P/A:P', score: null, severity: 'unknown', source: 'nvd' },
      { version: '3.1', vector: 'CVSS:3.1/AV:X', score: null, severity: 'unknown', source: 'cna:x' },
    ],
  });
  assert.deepEqual(a.cvss.map((c) => [c.score, c.severity]), [[9.8, 'critical'], [7.5, 'high'], [null, 'unknown']]);
  assert.equal(a.cvss[2]!.vector, 'CVSS:3.1/AV:X', 'an unscorable vector is kept as given');
});

test('an advisory without CVSS is returned as is', () => {
  assert.equal(normaliseAdvisory(base), base);
});
