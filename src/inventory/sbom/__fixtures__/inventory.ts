import type { Inventory, Package } from '../../model.js';

const pkg = (p: Partial<Package> & Pick<Package, 'id' | 'name' | 'version' | 'ecosystem' | 'purl'>): Package => ({ location: { file: 'package-lock.json', line: 3 }, ...p });

/** A small inventory with the awkward cases the writers must handle. */
export const SAMPLE: Inventory = {
  source: { kind: 'directory', name: 'shop', version: '2.1.0' },
  packages: [
    pkg({
      id: 'pkg:npm/express@4.18.2',
      name: 'express',
      version: '4.18.2',
      ecosystem: 'npm',
      purl: 'pkg:npm/express@4.18.2',
      direct: true,
      scope: 'prod',
      groups: ['dependencies'],
      licenses: ['MIT'],
      hashes: [{ alg: 'SHA-512', content: Buffer.alloc(64, 7).toString('base64') }],
    }),
    pkg({
      id: 'pkg:npm/%40types/node@20.1.0',
      name: '@types/node',
      version: '20.1.0',
      ecosystem: 'npm',
      purl: 'pkg:npm/%40types/node@20.1.0',
      scope: 'dev',
      licenses: ['MIT', 'Apache-2.0 OR BSD-3-Clause'],
      hashes: [{ alg: 'SHA-1', content: 'not-a-hash' }],
    }),
    pkg({
      id: 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12',
      name: 'libssl3',
      version: '3.0.11-1',
      ecosystem: 'Debian:12',
      purl: 'pkg:deb/debian/libssl3@3.0.11-1?arch=amd64&distro=debian-12',
      sourceName: 'openssl',
      location: { file: 'var/lib/dpkg/status', line: 120 },
      licenses: ['Custom <weird> "licence" & co'],
      layer: { digest: 'sha256:abc', index: 1, createdBy: 'RUN apt-get install -y libssl3' },
      properties: { 'vigil:cpe': 'cpe:2.3:a:openssl:openssl:3.0.11:*:*:*:*:*:*:*', 'note\u0001': 'x ]]> y' },
    }),
    pkg({ id: 'pkg:golang/github.com/a/b@v1.0.0', name: 'github.com/a/b', version: 'v1.0.0', ecosystem: 'Go', purl: 'pkg:golang/github.com/a/b@v1.0.0', commit: 'abc123', licenses: ['LicenseRef-Proprietary'] }),
    pkg({ id: 'pkg:generic/no-version', name: 'no-version', version: '', ecosystem: '', purl: 'pkg:generic/no-version' }),
  ],
  edges: [
    { from: 'root', to: 'pkg:npm/express@4.18.2' },
    { from: 'root', to: 'pkg:npm/%40types/node@20.1.0' },
    { from: 'pkg:npm/express@4.18.2', to: 'pkg:golang/github.com/a/b@v1.0.0' },
    { from: 'pkg:npm/express@4.18.2', to: 'pkg:golang/github.com/a/b@v1.0.0' },
    { from: 'pkg:npm/express@4.18.2', to: 'pkg:npm/missing@1' },
  ],
  problems: [{ location: { file: 'poetry.lock', line: 12 }, reader: 'poetry-lock', message: 'expected a [[package]] table', severity: 'error' }],
  files: [
    { path: 'package-lock.json', reader: 'npm-lock', packages: 3 },
    { path: 'poetry.lock', reader: 'poetry-lock', packages: 0 },
  ],
};

export const FIXED = { now: () => new Date('2024-05-06T07:08:09.123Z'), uuid: () => '3e671687-395b-41f5-a30f-a58921a69b79', toolVersion: '9.9.9' };

/** name@version purl, sorted: what a round trip must keep. */
export const componentKey = (inv: Inventory): string[] => inv.packages.map((p) => `${p.name}@${p.version} ${p.purl}`).sort();

/** Edges by purl (ids may differ between reads), sorted. */
export function edgeKey(inv: Inventory): string[] {
  const purl = new Map(inv.packages.map((p) => [p.id, p.purl]));
  return inv.edges.map((e) => `${purl.get(e.from) ?? e.from} > ${purl.get(e.to) ?? e.to}`).sort();
}

/** Parsed JSON for tests that poke into output documents (the test lint rules allow unsafe access). */
export type Loose = ReturnType<typeof JSON.parse>;
