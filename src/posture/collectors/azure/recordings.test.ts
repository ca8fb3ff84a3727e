/**
 * The Azure collector offline over every Cloud Custodian cassette in ../shared/data: the
 * expectations are read from the recordings themselves, by code independent of the replay
 * (plain JSON, paths compared lower-cased without the query): every recorded list answer
 * becomes exactly the resources of its kind, every recorded sub-call answer is merged under
 * its key, every unrecorded call is a gap. Then spot checks of values read by hand.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { Resource } from '../../model.js';
import { subCallGaps, type CollectResult } from '../types.js';
import { RESOURCE_TYPES } from './catalog.js';
import { azureCollector } from './index.js';

const DIR = sharedData('cloud', 'custodian-azure-cassettes');
const SUB = 'ea42f556-5106-4743-99b0-c129bfa71a47';

interface Raw {
  method: string;
  path: string;
  query: URLSearchParams;
  status: number;
  body: unknown;
}

/** The cassette read plainly: request path lower-cased, body decoded. */
function readRaw(file: string): Raw[] {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as { interactions: { request: { method: string; uri: string }; response: { status: { code: number }; body: { data?: unknown; string?: string } } }[] };
  return doc.interactions.map((it) => {
    const u = new URL(it.request.uri);
    const b = it.response.body;
    let body: unknown = b.data;
    if (b.string !== undefined) {
      try {
        body = JSON.parse(b.string);
      } catch {
        body = b.string;
      }
    }
    return { method: it.request.method, path: decodeURIComponent(u.pathname).toLowerCase(), query: u.searchParams, status: it.response.status.code, body };
  });
}

const firstGet = (raw: Raw[], path: string, token?: string): Raw | undefined =>
  raw.find((r) => r.method === 'GET' && r.path === path.toLowerCase() && (token === undefined ? !r.query.has('$skiptoken') : r.query.get('$skiptoken') === token));

/** A recorded list, following recorded nextLinks; undefined when not recorded. */
function recordedList(raw: Raw[], path: string): unknown[] | undefined {
  let r = firstGet(raw, path);
  if (!r || r.status !== 200) return undefined;
  const items: unknown[] = [];
  for (let guard = 0; r && guard < 100; guard++) {
    const body = r.body as { value?: unknown[]; nextLink?: string };
    items.push(...(body.value ?? []));
    if (!body.nextLink) return items;
    r = firstGet(raw, path, new URL(body.nextLink).searchParams.get('$skiptoken') ?? '');
  }
  return r ? items : undefined;
}

function byKind(results: CollectResult[]): Map<string, Resource[]> {
  const m = new Map<string, Resource[]>();
  for (const r of results) for (const x of r.resources) m.set(x.kind, [...(m.get(x.kind) ?? []), x]);
  return m;
}

const files = DIR ? readdirSync(DIR).filter((f) => f.endsWith('.json')).sort() : [];
const cache = new Map<string, CollectResult[]>();
async function offline(file: string): Promise<CollectResult[]> {
  const hit = cache.get(file);
  if (hit) return hit;
  const res = await azureCollector.collect({ recordings: [join(DIR ?? '', file)] });
  cache.set(file, res);
  return res;
}

test('every cassette: recorded lists become resources, recorded sub-calls are merged, the rest are gaps', { skip: DIR ? false : skipMessage('cloud/custodian-azure-cassettes') }, async (t) => {
  let agree = 0;
  let total = 0;
  const disagreements: string[] = [];
  const check = (ok: boolean, what: string): void => {
    total++;
    if (ok) agree++;
    else disagreements.push(what);
  };
  const kindCounts = new Map<string, number>();
  let readFiles = 0;
  for (const file of files) {
    const raw = readRaw(join(DIR ?? '', file));
    const results = await offline(file);
    assert.ok(results.length >= 1, file);
    const kinds = byKind(results);
    let used = false;
    for (const result of results) {
      const sub = result.target.id;
      for (const t of RESOURCE_TYPES) {
        const listPath = `/subscriptions/${sub}${t.listPath}`;
        const expected = recordedList(raw, listPath);
        const got = (kinds.get(t.kind) ?? []).filter((r) => r.account === sub);
        if (expected === undefined) {
          // Built-in role definitions are also read one by one, for the assignments that refer to them.
          const byReference = t.kind === 'azure:Microsoft.Authorization/roleDefinitions';
          check((byReference || got.length === 0) && result.gaps.some((g) => g.kinds.includes(t.kind)), `${file}: ${t.kind} not recorded but no gap`);
          continue;
        }
        used = true;
        const expectedIds = expected.map((i) => (i as { id: string }).id);
        check(JSON.stringify(got.map((r) => r.id)) === JSON.stringify(expectedIds), `${file}: ${t.kind} ids ${JSON.stringify(got.map((r) => r.name))} ≠ recorded`);
        for (const [i, item] of expected.entries()) {
          const r = got[i];
          const attrs = r?.attrs ?? {};
          check(Object.entries(item as object).every(([k, v]) => JSON.stringify(attrs[k]) === JSON.stringify(v)), `${file}: ${t.kind} ${expectedIds[i]} attrs differ from the recording`);
        }
        for (const r of got) {
          for (const c of t.subCalls) {
            if (c.type !== 'get' && c.type !== 'list') continue;
            if (c.when && !c.when(r.attrs)) continue;
            const rec = firstGet(raw, `${r.id}${c.path}`);
            const gap = subCallGaps(r)[c.key];
            if (!rec) {
              check(!(c.key in r.attrs) && gap?.reason === 'unavailable', `${file}: ${r.name}.${c.key} not recorded but no gap`);
              continue;
            }
            const want = rec.status === 404 ? null : c.type === 'list' ? (rec.body as { value: unknown[] }).value : rec.body;
            check(JSON.stringify(r.attrs[c.key]) === JSON.stringify(want), `${file}: ${r.name}.${c.key} ≠ recording`);
          }
        }
      }
    }
    for (const r of results.flatMap((x) => x.resources)) kindCounts.set(r.kind, (kindCounts.get(r.kind) ?? 0) + 1);
    if (used) readFiles++;
  }
  t.diagnostic(`azure cassettes: ${files.length} files, ${readFiles} with recorded lists the collector reads; checks agreeing ${agree}/${total}`);
  t.diagnostic(`resources by kind: ${[...kindCounts].map(([k, n]) => `${k.slice(6)}=${n}`).join(', ')}`);
  assert.deepEqual(disagreements, []);
});

const has = (file: string): boolean => files.includes(file);
const skipUnless = (file: string): { skip: string | false } => ({ skip: DIR && has(file) ? false : skipMessage(`cloud/custodian-azure-cassettes/${file}`) });
const find = (results: CollectResult[], kind: string, name: string): Resource => {
  const r = results.flatMap((x) => x.resources).find((x) => x.kind === kind && x.name === name);
  assert.ok(r, `${kind} ${name} collected`);
  return r;
};
const get = (o: unknown, ...path: (string | number)[]): unknown => path.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), o);

test('NSG rule open to * on port 22 is reported as recorded', skipUnless('NetworkSecurityGroupTest.test_allow_single_port.json'), async () => {
  const res = await offline('NetworkSecurityGroupTest.test_allow_single_port.json');
  const nsg = find(res, 'azure:Microsoft.Network/networkSecurityGroups', 'k8s-master-C02B7042-nsg');
  const rules = get(nsg.attrs, 'properties', 'securityRules') as { name: string; properties: Record<string, unknown> }[];
  const ssh = rules.find((r) => r.name === 'allow_ssh');
  assert.equal(ssh?.properties['direction'], 'Inbound');
  assert.equal(ssh?.properties['access'], 'Allow');
  assert.equal(ssh?.properties['sourceAddressPrefix'], '*');
  assert.equal(ssh?.properties['destinationPortRange'], '22-22');
  assert.equal(nsg.account, SUB);
  assert.equal(nsg.file, nsg.id);
  assert.equal(nsg.line, 0);
});

test('storage: account without secure transfer, a container open to anonymous reads', skipUnless('StorageContainerTest.containers.json'), async () => {
  const res = await offline('StorageContainerTest.containers.json');
  const sa = find(res, 'azure:Microsoft.Storage/storageAccounts', 'cctstoragey6akyqpagdt3o');
  assert.equal(get(sa.attrs, 'properties', 'supportsHttpsTrafficOnly'), false);
  assert.equal(get(sa.attrs, 'properties', 'networkAcls', 'defaultAction'), 'Allow');
  const containers = sa.attrs['containers'] as { name: string; properties: { publicAccess: string } }[];
  assert.deepEqual(containers.map((c) => [c.name, c.properties.publicAccess]), [['containerone', 'Container'], ['containertwo', 'None']]);
  assert.equal(subCallGaps(sa)['blobServiceProperties']?.reason, 'unavailable', 'blob service properties were not recorded');
  assert.equal(sa.region, 'southcentralus');
  assert.equal(sa.meta?.['resourceGroup'], 'test_storage');
});

test('storage: allowBlobPublicAccess as recorded', skipUnless('StorageFileServicesFilterTest.test_filter_with_file_services_delete_policy.json'), async () => {
  const res = await offline('StorageFileServicesFilterTest.test_filter_with_file_services_delete_policy.json');
  const raw = readRaw(join(DIR ?? '', 'StorageFileServicesFilterTest.test_filter_with_file_services_delete_policy.json'));
  const listed = recordedList(raw, `/subscriptions/${SUB}/providers/Microsoft.Storage/storageAccounts`) as { name: string; properties: { allowBlobPublicAccess?: boolean } }[];
  for (const item of listed) {
    const sa = find(res, 'azure:Microsoft.Storage/storageAccounts', item.name);
    assert.equal(get(sa.attrs, 'properties', 'allowBlobPublicAccess'), item.properties.allowBlobPublicAccess);
    assert.ok(Array.isArray(sa.attrs['fileServices']), 'file services merged');
  }
});

test('SQL: auditing enabled with 0 retention days, TDE per database, empty Entra admin list', async (t) => {
  if (DIR && has('SqlServerTest.auditing.json')) {
    const audit = find(await offline('SqlServerTest.auditing.json'), 'azure:Microsoft.Sql/servers', 'cctestsqlserverotx7agz44aofe');
    assert.equal(get(audit.attrs, 'auditingSettings', 'properties', 'state'), 'Enabled');
    assert.equal(get(audit.attrs, 'auditingSettings', 'properties', 'retentionDays'), 0);
  } else t.diagnostic(skipMessage('SqlServerTest.auditing.json'));
  if (DIR && has('SqlDatabaseTest.test_data_encryption_filter.json')) {
    const res = await offline('SqlDatabaseTest.test_data_encryption_filter.json');
    const dbs = res.flatMap((r) => r.resources).filter((r) => r.kind === 'azure:Microsoft.Sql/servers/databases');
    const tde = Object.fromEntries(dbs.map((d) => [d.name, get(d.attrs, 'transparentDataEncryption', 'properties', 'status')]));
    assert.equal(tde['master'], 'Disabled');
    assert.equal(tde['cctestdb'], 'Enabled');
    assert.equal(tde['cclongtermretentiondb'], 'Enabled');
  } else t.diagnostic(skipMessage('SqlDatabaseTest.test_data_encryption_filter.json'));
  if (DIR && has('SqlServerTest.administrators.json')) {
    const admin = find(await offline('SqlServerTest.administrators.json'), 'azure:Microsoft.Sql/servers', 'cctestsqlservertqtfgpqzllch4');
    assert.deepEqual(admin.attrs['administrators'], []);
  } else t.diagnostic(skipMessage('SqlServerTest.administrators.json'));
  if (DIR && has('SqlServerTest.firewall.json')) {
    const fw = find(await offline('SqlServerTest.firewall.json'), 'azure:Microsoft.Sql/servers', 'cctestsqlserverj6y6cbbtaphs4');
    const rules = fw.attrs['firewallRules'] as { properties: { startIpAddress: string } }[];
    assert.ok(rules.some((r) => r.properties.startIpAddress === '1.2.2.128'), 'recorded as a {string} body');
  } else t.diagnostic(skipMessage('SqlServerTest.firewall.json'));
});

test('role assignments carry their role definition; Owner is there', skipUnless('AccessControlTest.test_find_assignments_by_role.json'), async () => {
  const res = await offline('AccessControlTest.test_find_assignments_by_role.json');
  const all = res.flatMap((r) => r.resources);
  const assignments = all.filter((r) => r.kind === 'azure:Microsoft.Authorization/roleAssignments');
  assert.equal(assignments.length, 74);
  assert.ok(assignments.every((a) => get(a.attrs, 'roleDefinition', 'properties', 'roleName') !== undefined), 'every assignment resolved');
  assert.ok(assignments.some((a) => get(a.attrs, 'roleDefinition', 'properties', 'roleName') === 'Owner'));
  const defs = all.filter((r) => r.kind === 'azure:Microsoft.Authorization/roleDefinitions').map((d) => get(d.attrs, 'properties', 'roleName'));
  assert.ok(defs.includes('Owner') && defs.includes('Reader'));
  assert.ok(res[0]?.gaps.some((g) => g.kinds.includes('azure:Microsoft.Authorization/roleDefinitions') && g.reason === 'unavailable'), 'the custom role list was not recorded');
});

test('Defender plans, contacts; server parameters; flow logs; web app TLS; Key Vault paging', async (t) => {
  const cases: [string, (res: CollectResult[]) => void][] = [
    [
      'DefenderTest.test_azure_defender_pricing.json',
      (res) => assert.equal(get(find(res, 'azure:Microsoft.Security/pricings', 'VirtualMachines').attrs, 'properties', 'pricingTier'), 'Standard'),
    ],
    ['DefenderTest.test_azure_defender_contacts.json', (res) => assert.equal(get(find(res, 'azure:Microsoft.Security/securityContacts', 'default1').attrs, 'properties', 'emails'), 'azurebilling@epmcseclab.com')],
    [
      'PostgresqlConfigurationParameterFilterTest.test_server_configuration_parameter.json',
      (res) => {
        const pg = find(res, 'azure:Microsoft.DBforPostgreSQL/servers', 'cctestpostgresqlserverwtan2535ogzvk');
        assert.equal(get(pg.attrs, 'configurations', 'log_connections', 'properties', 'value'), 'off');
        assert.equal(subCallGaps(pg)['configurations.log_checkpoints']?.reason, 'unavailable');
        assert.equal(get(pg.attrs, 'properties', 'sslEnforcement'), 'Enabled');
      },
    ],
    [
      'MySQLFlexibleServerTest.test_server_server_parameter.json',
      (res) => assert.equal(get(find(res, 'azure:Microsoft.DBforMySQL/flexibleServers', 'azureheight').attrs, 'configurations', 'tls_version', 'properties', 'value'), 'TLSV1.1'),
    ],
    [
      'NetworkSecurityGroupFlowLogsFilterTest.test_flow_log_filter_all.json',
      (res) => {
        const logs = find(res, 'azure:Microsoft.Network/networkSecurityGroups', 'c7n-nsg').attrs['flowLogs'] as { properties: { retentionPolicy: { days: number }; enabled: boolean } }[];
        assert.equal(logs.length, 1);
        assert.equal(logs[0]?.properties.retentionPolicy.days, 90);
        assert.equal(logs[0]?.properties.enabled, true);
      },
    ],
    ['WebAppTest.test_find_by_min_tls.json', (res) => assert.equal(get(find(res, 'azure:Microsoft.Web/sites', 'cctestwebappc129bfa71a47').attrs, 'config', 'properties', 'minTlsVersion'), '1.0')],
    ['KeyVaultTest.test_update_access_policy.json', (res) => assert.equal(res.flatMap((r) => r.resources).filter((r) => r.kind === 'azure:Microsoft.KeyVault/vaults').length, 5)],
    ['AksTest.test_find_aks_by_name.json', (res) => assert.equal(res.flatMap((r) => r.resources).filter((r) => r.kind === 'azure:Microsoft.ContainerService/managedClusters').length, 1)],
  ];
  for (const [file, checkIt] of cases) {
    if (!DIR || !has(file)) {
      t.diagnostic(skipMessage(file));
      continue;
    }
    checkIt(await offline(file));
  }
});

test('offline: a broken cassette is a gap naming the file, the good ones still count', { skip: DIR ? false : skipMessage('cloud/custodian-azure-cassettes') }, async () => {
  const { mkdtempSync, writeFileSync, copyFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-az-'));
  try {
    writeFileSync(join(dir, 'broken.json'), '{"interactions": [');
    const good = files.find((f) => f.startsWith('NetworkSecurityGroupTest.test_find_by_name'));
    if (good) copyFileSync(join(DIR ?? '', good), join(dir, good));
    const res = await azureCollector.collect({ recordings: [dir] });
    assert.equal(res.length, 1);
    const gap = res[0]?.gaps.find((g) => g.service === 'recordings');
    assert.match(gap?.operation ?? '', /broken\.json/);
    assert.equal(gap?.reason, 'invalid-response');
    if (good) assert.ok((res[0]?.resources.length ?? 0) > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
