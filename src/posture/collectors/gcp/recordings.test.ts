/**
 * The GCP collector offline over every Cloud Custodian flight directory in ../shared/data: the
 * expectations are read from the flight files themselves, by code independent of the replay
 * (file names built here from the catalog's paths): every recorded list becomes exactly the
 * resources of its kind, every recorded sub-call answer is merged under its key, every
 * unrecorded call is a gap. Then spot checks of values read by hand.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { Resource } from '../../model.js';
import { subCallGaps, type CollectResult } from '../types.js';
import { GCP_TYPES, PROJECT, type GcpObject, type GcpSubCall } from './catalog.js';
import { gcpCollector } from './index.js';

const DIR = sharedData('cloud', 'custodian-gcp-flights');
const dirs = DIR ? readdirSync(DIR).sort() : [];

/** The body of `<method><path with / and : as ->_1.json` (or the host-qualified name), if recorded. */
function recorded(dir: string, method: string, host: string, path: string): { status: number; body: GcpObject } | undefined {
  const dashed = decodeURIComponent(path).replace(/[/:]/g, '-');
  for (const name of [`${method.toLowerCase()}-${host}${dashed}_1.json`, `${method.toLowerCase()}${dashed}_1.json`]) {
    const file = join(DIR ?? '', dir, name);
    if (existsSync(file)) {
      const doc = JSON.parse(readFileSync(file, 'utf8')) as { headers: { status?: string }; body: GcpObject };
      return { status: Number(doc.headers.status ?? 200), body: doc.body };
    }
  }
  return undefined;
}

function itemsOf(body: GcpObject, key: string, aggregated = false): GcpObject[] {
  if (!aggregated) return (body[key] as GcpObject[] | undefined) ?? [];
  return Object.values((body['items'] as Record<string, GcpObject> | undefined) ?? {}).flatMap((scope) => (scope[key] as GcpObject[] | undefined) ?? []);
}

const cache = new Map<string, CollectResult[]>();
async function offline(dir: string): Promise<CollectResult[]> {
  const hit = cache.get(dir);
  if (hit) return hit;
  const res = await gcpCollector.collect({ recordings: [join(DIR ?? '', dir)] });
  cache.set(dir, res);
  return res;
}

test('every flight directory: recorded lists become resources, recorded sub-calls are merged, the rest are gaps', { skip: DIR ? false : skipMessage('cloud/custodian-gcp-flights') }, async (t) => {
  let agree = 0;
  let total = 0;
  const disagreements: string[] = [];
  const check = (ok: boolean, what: string): void => {
    total++;
    if (ok) agree++;
    else disagreements.push(what);
  };
  const kindCounts = new Map<string, number>();
  let used = 0;
  for (const dir of dirs) {
    const results = await offline(dir);
    assert.ok(results.length >= 1, dir);
    let read = false;
    for (const result of results) {
      const project = result.target.id;
      const all = result.resources;
      const checkSubCalls = (r: Resource, calls: readonly GcpSubCall[]): void => {
        for (const c of calls) {
          const path = c.path(r.attrs, project);
          const rec = path ? recorded(dir, c.method, c.host, path) : undefined;
          if (!rec) {
            check(!(c.key in r.attrs) && subCallGaps(r)[c.key]?.reason === 'unavailable', `${dir}: ${r.name}.${c.key} not recorded but no gap`);
            continue;
          }
          read = true;
          const want = rec.status === 404 ? null : c.itemsKey ? itemsOf(rec.body, c.itemsKey) : rec.body;
          check(JSON.stringify(r.attrs[c.key]) === JSON.stringify(want), `${dir}: ${r.name}.${c.key} ≠ recording`);
        }
      };
      const projects = all.filter((r) => r.kind === PROJECT.kind);
      for (const p of projects) checkSubCalls(p, PROJECT.subCalls);
      for (const type of GCP_TYPES) {
        const got = all.filter((r) => r.kind === type.kind);
        let expected: GcpObject[] | undefined;
        if (type.parents) {
          const locations = recorded(dir, 'GET', type.host, type.parents.path(project));
          expected = locations
            ? itemsOf(locations.body, type.parents.itemsKey).flatMap((loc) => {
                const path = type.parents?.childPath(loc);
                const rings = path ? recorded(dir, 'GET', type.host, path) : undefined;
                return rings ? itemsOf(rings.body, type.itemsKey) : [];
              })
            : undefined;
        } else {
          const rec = recorded(dir, 'GET', type.host, type.path(project));
          expected = rec ? itemsOf(rec.body, type.itemsKey, type.aggregated) : undefined;
        }
        if (expected === undefined) {
          check(got.length === 0 && result.gaps.some((g) => g.kinds.includes(type.kind)), `${dir}: ${type.kind} not recorded but no gap`);
          continue;
        }
        read = true;
        check(JSON.stringify(got.map((r) => r.attrs['name'])) === JSON.stringify(expected.map((i) => i['name'])), `${dir}: ${type.kind} names differ from the recording`);
        for (const [i, item] of expected.entries()) {
          const attrs = got[i]?.attrs ?? {};
          if (!type.detail) check(Object.entries(item).every(([k, v]) => JSON.stringify(attrs[k]) === JSON.stringify(v)), `${dir}: ${type.kind} ${String(item['name'])} attrs differ`);
        }
        for (const r of got) checkSubCalls(r, type.subCalls);
        for (const child of type.children ?? []) {
          for (const ring of got) {
            const path = child.path(ring.attrs);
            const rec = path ? recorded(dir, 'GET', child.host, path) : undefined;
            const kids = all.filter((r) => r.kind === child.kind && r.id.startsWith(`//cloudkms.googleapis.com/${String(ring.attrs['name'])}/`));
            if (!rec) {
              check(kids.length === 0, `${dir}: ${child.kind} of ${ring.name} not recorded but collected`);
              continue;
            }
            check(JSON.stringify(kids.map((k) => k.attrs['name'])) === JSON.stringify(itemsOf(rec.body, child.itemsKey).map((k) => k['name'])), `${dir}: ${child.kind} of ${ring.name} differ`);
            for (const k of kids) checkSubCalls(k, child.subCalls);
          }
        }
      }
      for (const r of all) kindCounts.set(r.kind, (kindCounts.get(r.kind) ?? 0) + 1);
    }
    if (read) used++;
  }
  t.diagnostic(`gcp flights: ${dirs.length} directories, ${used} with recordings the collector reads; checks agreeing ${agree}/${total}`);
  t.diagnostic(`resources by kind: ${[...kindCounts].map(([k, n]) => `${k.slice(4)}=${n}`).join(', ')}`);
  assert.deepEqual(disagreements, []);
});

const has = (dir: string): boolean => dirs.includes(dir);
const find = (results: CollectResult[], kind: string, name: string): Resource => {
  const r = results.flatMap((x) => x.resources).find((x) => x.kind === kind && x.name === name);
  assert.ok(r, `${kind} ${name} collected`);
  return r;
};
const get = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

test('spot checks read from the recordings', async (t) => {
  const cases: [string, (res: CollectResult[]) => void][] = [
    [
      'bucket-iam-policy',
      (res) => {
        const b = find(res, 'gcp:storage.googleapis.com/Bucket', 'cloud-custodian-test-1');
        const bindings = get(b.attrs, 'iamPolicy', 'bindings') as { role: string; members: string[] }[];
        assert.ok(bindings.some((x) => x.members.includes('allUsers')), 'the recorded bucket policy grants allUsers');
        assert.equal(b.id, '//storage.googleapis.com/projects/_/buckets/cloud-custodian-test-1');
        assert.equal(b.region, 'us-east1');
        assert.equal(b.account, 'cloud-custodian');
      },
    ],
    [
      'bucket-uniform-bucket-access',
      (res) => {
        assert.equal(get(find(res, 'gcp:storage.googleapis.com/Bucket', 'c7n-dev-test').attrs, 'iamConfiguration', 'uniformBucketLevelAccess', 'enabled'), false);
        assert.equal(get(find(res, 'gcp:storage.googleapis.com/Bucket', 'custodian-gce-trail').attrs, 'iamConfiguration', 'uniformBucketLevelAccess', 'enabled'), true);
      },
    ],
    [
      'project-iam-policy',
      (res) => {
        assert.deepEqual(res.map((r) => r.target.id), ['custodian-test', 'custodian-test-2', 'custodian-test-3'], 'projects from the recorded list');
        const p = find(res, PROJECT.kind, 'custodian-test');
        const audit = get(p.attrs, 'iamPolicy', 'auditConfigs') as { service: string; auditLogConfigs: { logType: string }[] }[];
        assert.equal(audit[0]?.service, 'allServices');
        assert.deepEqual(audit[0]?.auditLogConfigs.map((c) => c.logType), ['DATA_WRITE', 'DATA_READ']);
        assert.equal(subCallGaps(p)['computeProject']?.reason, 'unavailable');
      },
    ],
    [
      'iam-service-account-key-query',
      (res) => {
        const sa = find(res, 'gcp:iam.googleapis.com/ServiceAccount', 'test-cutodian-scc@cloud-custodian.iam.gserviceaccount.com');
        const keys = sa.attrs['keys'] as { keyType: string }[];
        assert.deepEqual(keys.map((k) => k.keyType).sort(), ['SYSTEM_MANAGED', 'USER_MANAGED']);
      },
    ],
    [
      'sqlinstance-query',
      (res) => {
        const sql = find(res, 'gcp:sqladmin.googleapis.com/Instance', 'brenttest-6');
        assert.equal(get(sql.attrs, 'settings', 'ipConfiguration', 'ipv4Enabled'), true);
        assert.deepEqual(get(sql.attrs, 'settings', 'ipConfiguration', 'authorizedNetworks'), []);
      },
    ],
    [
      'gke-cluster-query-resourceLabels',
      (res) => {
        const c = find(res, 'gcp:container.googleapis.com/Cluster', 'cluster-1');
        assert.equal(c.attrs['location'], 'us-central1-c');
        assert.equal(c.region, 'us-central1');
      },
    ],
    ['logsink', (res) => assert.equal(find(res, 'gcp:logging.googleapis.com/LogSink', 'storage').attrs['filter'], undefined, 'the recorded sink has no filter: it exports everything')],
    [
      'kms-cryptokey-query',
      (res) => {
        const key = find(res, 'gcp:cloudkms.googleapis.com/CryptoKey', 'cloud-custodian');
        assert.equal(key.attrs['rotationPeriod'], undefined, 'no rotation recorded');
        assert.equal(key.attrs['purpose'], 'ENCRYPT_DECRYPT');
      },
    ],
    [
      'instance-effective-firewall',
      (res) => {
        const vm = find(res, 'gcp:compute.googleapis.com/Instance', 'iap-test-webapp');
        assert.equal(vm.region, 'us-east4');
        assert.equal(vm.id, '//compute.googleapis.com/projects/cloud-custodian/zones/us-east4-c/instances/iap-test-webapp');
      },
    ],
    [
      'kms-keyring-filter-iam',
      (res) => {
        const gap = res[0]?.gaps.find((g) => g.kinds.includes('gcp:cloudkms.googleapis.com/KeyRing'));
        assert.equal(gap?.reason, 'unavailable', 'the KMS location list was not recorded: key rings are unknown, not absent');
      },
    ],
  ];
  for (const [dir, checkIt] of cases) {
    if (!DIR || !has(dir)) {
      t.diagnostic(skipMessage(`cloud/custodian-gcp-flights/${dir}`));
      continue;
    }
    checkIt(await offline(dir));
  }
});

test('offline: a broken flight is a gap naming the file', { skip: DIR ? false : skipMessage('cloud/custodian-gcp-flights') }, async () => {
  const { mkdtempSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-gcp-'));
  try {
    writeFileSync(join(dir, 'get-v2-projects-cloud-custodian-sinks_1.json'), '{"headers": ');
    if (has('sqlinstance-query')) copyFileSync(join(DIR ?? '', 'sqlinstance-query', 'get-sql-v1beta4-projects-cloud-custodian-instances_1.json'), join(dir, 'get-sql-v1beta4-projects-cloud-custodian-instances_1.json'));
    const res = await gcpCollector.collect({ recordings: [dir] });
    const gap = res[0]?.gaps.find((g) => g.service === 'recordings');
    assert.match(gap?.operation ?? '', /sinks_1\.json/);
    assert.equal(gap?.reason, 'invalid-response');
    if (has('sqlinstance-query')) assert.ok(res[0]?.resources.some((r) => r.kind === 'gcp:sqladmin.googleapis.com/Instance'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
