/**
 * The GCP rules on collected data beyond their examples (the registry test runs those): hostile
 * and odd attrs never throw, list gaps recorded on the project make project-level checks "not
 * assessed" instead of failing, and edge cases of the firewall, alert and flag tables.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectedResource } from '../../../collectors/resource.js';
import { evaluate, makeContext } from '../../../engine.js';
import type { Resource, ResourceKind } from '../../../model.js';
import type { SubCallGap } from '../../../collectors/types.js';
import { gcpRules } from '../index.js';
import { GCP } from '../lib/live.js';

const liveRules = gcpRules.filter((r) => r.kinds.some((k) => k.startsWith('gcp:')));
const rule = (id: string) => {
  const r = gcpRules.find((x) => x.id === id);
  assert.ok(r, id);
  return r;
};

function res(kind: ResourceKind, id: string, attrs: Record<string, unknown>, gaps?: Record<string, SubCallGap>, account = 'p1'): Resource {
  return collectedResource({ kind, input: 'gcp', provider: 'gcp', id, name: id.slice(id.lastIndexOf('/') + 1), account, region: 'global', attrs, gaps });
}

const statuses = (resources: Resource[], id: string): string[] => evaluate(resources, [rule(id)]).map((f) => `${f.status} ${f.resource.id}`);

describe('hostile attrs', () => {
  const junk: Record<string, unknown>[] = [
    {},
    { iamPolicy: 'policy', keys: 7, acl: {}, allowed: 'tcp:22', sourceRanges: '0.0.0.0/0', nodePools: 'pool', settings: [], disks: null, metadata: { items: 'x' } },
    { iamPolicy: { bindings: [null, 3, { role: 5, members: 'allUsers' }, { role: 'roles/owner', members: [null, 7, 'user:x@gmail.com'] }], auditConfigs: [{ auditLogConfigs: 'all' }] } },
    { settings: { databaseFlags: [{ name: 5 }, 'x', { name: 'log_connections', value: { on: true } }], ipConfiguration: { authorizedNetworks: [{ value: 5 }] } }, databaseVersion: 17 },
    { restrictions: 'none', createTime: 'yesterday', essentialContacts: 'a@b', computeProject: { commonInstanceMetadata: { items: [{ key: 'enable-oslogin', value: null }] } } },
    { rotationPeriod: 'forever', purpose: 'ENCRYPT_DECRYPT', primary: 'x', filter: 42, destination: 9, conditions: 'x', networks: [{ networkUrl: 3 }] },
  ];
  test('every live rule on every kind with odd attrs: no exception', () => {
    const kinds = Object.values(GCP);
    const resources = kinds.flatMap((kind, i) => junk.map((attrs, j) => res(kind, `//x/${i}/${j}`, attrs)));
    const ctx = makeContext(resources);
    for (const r of liveRules) {
      for (const x of resources.filter((y) => r.kinds.includes(y.kind))) assert.doesNotThrow(() => r.check?.(x, ctx), `${r.id} on ${x.kind} ${x.id}`);
      assert.deepEqual(evaluate(resources, [r]).filter((f) => f.message.startsWith('rule error')), [], r.id);
    }
  });
});

describe('project-level checks and list gaps', () => {
  const project = (gaps?: Record<string, SubCallGap>) => res(GCP.project, '//cloudresourcemanager.googleapis.com/projects/p1', { projectId: 'p1' }, gaps);
  const gap = (kind: string): Record<string, SubCallGap> => ({ [kind]: { operation: 'GET /v2/projects/p1/sinks', reason: 'access-denied', message: '403' } });

  test('no sink: fails; the sink list recorded as failed on the project: not assessed, never a fail', () => {
    assert.deepEqual(statuses([project()], 'VGL-GCP-102'), ['fail //cloudresourcemanager.googleapis.com/projects/p1']);
    assert.deepEqual(statuses([project(gap(GCP.logSink))], 'VGL-GCP-102'), ['not-assessed //cloudresourcemanager.googleapis.com/projects/p1']);
    assert.deepEqual(statuses([project(gap(GCP.logMetric))], 'VGL-GCP-104'), ['not-assessed //cloudresourcemanager.googleapis.com/projects/p1']);
  });

  test('sinks and metrics of another project do not count', () => {
    const sink = res(GCP.logSink, '//logging.googleapis.com/projects/p2/sinks/all', { name: 'all', destination: 'storage.googleapis.com/b' }, undefined, 'p2');
    assert.deepEqual(statuses([project(), sink], 'VGL-GCP-102'), ['fail //cloudresourcemanager.googleapis.com/projects/p1']);
  });

  test('DNS logging: a network of a project whose policy list failed is not assessed', () => {
    const net = res(GCP.network, '//compute.googleapis.com/projects/p1/global/networks/app', { name: 'app', selfLink: 'https://www.googleapis.com/compute/v1/projects/p1/global/networks/app' });
    assert.deepEqual(statuses([project(gap(GCP.dnsPolicy)), net], 'VGL-GCP-112'), ['not-assessed //compute.googleapis.com/projects/p1/global/networks/app']);
    const policy = res(GCP.dnsPolicy, '//dns.googleapis.com/projects/p1/policies/log', { enableLogging: true, networks: [{ networkUrl: 'projects/p1/global/networks/app' }] });
    assert.deepEqual(statuses([project(), net, policy], 'VGL-GCP-112'), [], 'a relative network URL matches the selfLink');
  });
});

describe('edge cases', () => {
  const fw = (attrs: Record<string, unknown>) => res(GCP.firewall, '//compute.googleapis.com/projects/p1/global/firewalls/fw', { direction: 'INGRESS', ...attrs });

  test('firewall: protocol numbers, no ports, ranges and IPv6', () => {
    assert.equal(statuses([fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: '6', ports: ['22'] }] })], 'VGL-GCP-009').length, 1);
    assert.equal(statuses([fw({ sourceRanges: ['::/0'], allowed: [{ IPProtocol: 'tcp' }] })], 'VGL-GCP-009').length, 1);
    assert.equal(statuses([fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'udp', ports: ['3389'] }] })], 'VGL-GCP-010').length, 1, 'RDP over UDP');
    assert.equal(statuses([fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'udp', ports: ['22'] }] })], 'VGL-GCP-009').length, 0, 'SSH is TCP only');
    assert.equal(statuses([fw({ allowed: [{ IPProtocol: 'tcp', ports: ['22'] }] })], 'VGL-GCP-009').length, 1, 'no source at all means anywhere');
    assert.equal(statuses([fw({ sourceRanges: ['0.0.0.0/0'], allowed: [{ IPProtocol: 'icmp' }] })], 'VGL-GCP-043').length, 0, 'ICMP has no ports');
  });

  test('alert filters: spacing and quotes do not matter, a missing term does', () => {
    const project = res(GCP.project, '//cloudresourcemanager.googleapis.com/projects/p1', {});
    const metric = (filter: string) => res(GCP.logMetric, '//logging.googleapis.com/projects/p1/metrics/m', { name: 'm', filter });
    const alert = res(GCP.alertPolicy, '//monitoring.googleapis.com/projects/p1/alertPolicies/a', { enabled: true, conditions: [{ conditionMonitoringQueryLanguage: { query: "fetch global | metric 'logging.googleapis.com/user/m'" } }] });
    assert.deepEqual(statuses([project, metric("protoPayload.methodName = 'cloudsql.instances.update'"), alert], 'VGL-GCP-111'), []);
    assert.equal(statuses([project, metric('resource.type="gce_route" AND protoPayload.methodName:"compute.routes.delete"'), alert], 'VGL-GCP-108').length, 1, 'route inserts are not covered');
  });

  test('SQL flags: engine prefixes, case and values', () => {
    const sql = (version: string, flags: unknown) => res(GCP.sql, '//cloudsql.googleapis.com/projects/p1/instances/db', { databaseVersion: version, settings: { databaseFlags: flags } });
    assert.deepEqual(statuses([sql('POSTGRES_16', [{ name: 'log_connections', value: 'ON' }])], 'VGL-GCP-135'), []);
    assert.equal(statuses([sql('POSTGRES_16', [{ name: 'log_min_messages', value: 'error' }])], 'VGL-GCP-138').length, 1, 'error is above warning');
    assert.deepEqual(statuses([sql('POSTGRES_16', [{ name: 'log_min_messages', value: 'debug1' }])], 'VGL-GCP-138'), []);
    assert.deepEqual(statuses([sql('MYSQL_8_0', [{ name: 'log_connections', value: 'off' }])], 'VGL-GCP-135'), [], 'a PostgreSQL flag on MySQL');
    assert.equal(statuses([sql('SQLSERVER_2019_STANDARD', [])], 'VGL-GCP-146').length, 1, 'remote access defaults to on');
    assert.deepEqual(statuses([sql('SQLSERVER_2019_STANDARD', [])], 'VGL-GCP-143'), [], 'cross db ownership chaining defaults to off');
  });

  test('KMS rotation: exactly 90 days passes, a fraction over fails', () => {
    const key = (rotationPeriod: string) => res(GCP.cryptoKey, '//cloudkms.googleapis.com/k', { purpose: 'ENCRYPT_DECRYPT', rotationPeriod, nextRotationTime: '2027-01-01T00:00:00Z' });
    assert.deepEqual(statuses([key('7776000s')], 'VGL-GCP-017'), []);
    assert.equal(statuses([key('7776001s')], 'VGL-GCP-017').length, 1);
  });

  test('service agents are not service accounts with admin roles', () => {
    const project = (member: string) => res(GCP.project, '//cloudresourcemanager.googleapis.com/projects/p1', { iamPolicy: { bindings: [{ role: 'roles/editor', members: [member] }] } });
    assert.deepEqual(statuses([project('serviceAccount:service-1@gcp-sa-cloudbuild.iam.gserviceaccount.com')], 'VGL-GCP-014'), []);
    assert.equal(statuses([project('serviceAccount:1-compute@developer.gserviceaccount.com')], 'VGL-GCP-014').length, 1, 'the default compute account is the project\'s own');
  });
});
