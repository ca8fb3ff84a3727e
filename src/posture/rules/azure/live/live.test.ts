/**
 * The Azure collected-data checks on what examples do not show: odd shapes (a string where an
 * object or array was expected, missing `properties`), failed sub-calls (not assessed, never a
 * pass) and the subscription-level rules' reading of the other kinds.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { evaluate } from '../../../engine.js';
import type { Rule } from '../../../rule.js';
import { collected, exampleResources, type ExampleResource } from '../../shared/live.js';
import { azureRules } from '../index.js';
import { arm, AZ, denied, subscription, SUB_ID, subScoped } from './lib.js';
import { logAlert } from './monitor.js';

const byId = new Map(azureRules.map((r) => [r.id, r]));
const rule = (id: string): Rule => {
  const r = byId.get(id);
  assert.ok(r, id);
  return r;
};

function run(id: string, resources: ExampleResource[]): string[] {
  const { resources: rs, problems } = exampleResources(collected('azure', resources));
  assert.deepEqual(problems, []);
  return evaluate(rs, [rule(id)]).map((f) => `${f.status} ${f.resource.name}`);
}

describe('hostile shapes never throw', () => {
  const odd: ExampleResource[] = [
    { type: 'Microsoft.Storage/storageAccounts', id: '/s/1', name: 'a', attrs: { properties: 'nope', containers: 'x', blobServiceProperties: 7, fileServices: { a: 1 } } },
    { type: 'Microsoft.Network/networkSecurityGroups', id: '/n/1', name: 'b', attrs: { properties: { securityRules: 'all' }, flowLogs: [null, 3, 'x'] } },
    { type: 'Microsoft.KeyVault/vaults', id: '/k/1', name: 'c', attrs: { properties: null, keys: [{ properties: 'x' }], secrets: 'none', diagnosticSettings: [{}] } },
    { type: 'Microsoft.DBforPostgreSQL/flexibleServers', id: '/p/1', name: 'd', attrs: { properties: [], configurations: 'x', firewallRules: [{ properties: { startIpAddress: 'x' } }] } },
    { type: 'Microsoft.Sql/servers', id: '/q/1', name: 'e', attrs: { auditingSettings: 'x', firewallRules: {}, administrators: 'x', securityAlertPolicies: null, vulnerabilityAssessments: 1 } },
    { type: 'Microsoft.Web/sites', id: '/w/1', name: 'f', attrs: { config: 'x', authSettingsV2: [] } },
    { type: 'Microsoft.Insights/activityLogAlerts', id: '/a/1', name: 'g', attrs: { properties: { condition: { allOf: 'x' }, scopes: 'x' } } },
    { type: 'Microsoft.Authorization/roleDefinitions', id: '/r/1', name: 'h', attrs: { properties: { type: 'CustomRole', assignableScopes: '/', permissions: 'x' } } },
  ];
  for (const r of azureRules.filter((x) => x.kinds.some((k) => k.startsWith('azure:')))) {
    test(r.id, () => {
      const { resources } = exampleResources(collected('azure', [subscription(), ...odd]));
      assert.doesNotThrow(() => evaluate(resources, [r]));
    });
  }
});

describe('failed sub-calls are not assessed', () => {
  test('containers, blob service, keys, auditing, configuration parameters', () => {
    assert.deepEqual(run('VGL-AZURE-002', [arm(AZ.storage, 'sa', {}, {}, { containers: denied('GET containers') })]), ['not-assessed sa']);
    assert.deepEqual(run('VGL-AZURE-103', [arm(AZ.storage, 'sa', {}, {}, { blobServiceProperties: denied('GET blobServices/default') })]), ['not-assessed sa']);
    assert.deepEqual(run('VGL-AZURE-011', [arm(AZ.vault, 'kv', {}, {}, { keys: denied('GET keys') })]), ['not-assessed kv']);
    assert.deepEqual(run('VGL-AZURE-015', [arm(AZ.sql, 'sql', {}, {}, { auditingSettings: denied('GET auditingSettings/default') })]), ['not-assessed sql']);
    assert.deepEqual(run('VGL-AZURE-027', [arm(AZ.pgFlex, 'pg', {}, {}, { 'configurations.log_connections': denied('GET configurations/log_connections') })]), ['not-assessed pg']);
  });

  test('a 404 sub-call (null: not configured) is judged, not skipped', () => {
    assert.deepEqual(run('VGL-AZURE-015', [arm(AZ.sql, 'sql', {}, { auditingSettings: null })]), ['fail sql']);
    assert.deepEqual(run('VGL-AZURE-020', [arm(AZ.sql, 'sql', {}, { encryptionProtector: null })]), []);
  });

  test('a subscription whose alert listing failed is not assessed, not failed', () => {
    assert.deepEqual(run('VGL-AZURE-139', [subscription({ [AZ.alert]: denied('GET activityLogAlerts') })]), ['not-assessed prod']);
  });
});

describe('subscription-level checks', () => {
  test('an alert in another subscription or disabled does not count; anyOf conditions do', () => {
    const op = 'Microsoft.Network/networkSecurityGroups/write';
    assert.deepEqual(run('VGL-AZURE-141', [subscription(), logAlert('x', op, false)]), ['fail prod']);
    const anyOf = subScoped(AZ.alert, 'any', {
      enabled: true,
      scopes: [SUB_ID.toUpperCase()],
      condition: { allOf: [{ field: 'category', equals: 'Administrative' }, { anyOf: [{ field: 'operationName', equals: op }] }] },
    });
    assert.deepEqual(run('VGL-AZURE-141', [subscription(), anyOf]), []);
  });

  test('Defender plans: deprecated plans and other plans are ignored', () => {
    assert.deepEqual(run('VGL-AZURE-130', [subScoped(AZ.pricing, 'ContainerRegistry', { pricingTier: 'Free', deprecated: true })]), []);
    assert.deepEqual(run('VGL-AZURE-130', [subScoped(AZ.pricing, 'Containers', { pricingTier: 'free' })]), ['fail Containers']);
  });
});
