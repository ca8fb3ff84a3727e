/**
 * The Azure rules over Cloud Custodian's real VCR cassettes
 * (../shared/data/cloud/custodian-azure-cassettes): the collector replays one cassette offline,
 * the Azure rules run on what it gives (analyseCollected, as a scan does), and the findings match
 * what the recorded ARM answers say. Each expectation was written by reading the cassette named
 * in its test.
 */
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { findingKeys, has, hasNot as hasNotKey } from '../../../../../test/helpers/posture-corpus.js';
import { sharedData, skipMessage } from '../../../../../test/helpers/shared.js';
import { azureCollector } from '../../../collectors/azure/index.js';
import { azureRules } from '../index.js';

const ROOT = sharedData('cloud', 'custodian-azure-cassettes');
const skip = ROOT ? false : skipMessage('cloud/custodian-azure-cassettes');

/** `ruleId status resource-name` for every finding of one cassette. */
async function findings(cassette: string): Promise<Set<string>> {
  return findingKeys((await azureCollector.collect({ recordings: [join(ROOT!, `${cassette}.json`)] }))[0], azureRules, cassette);
}

/** No finding starting with `entry` (any resource name or status after it). */
const hasNot = (set: Set<string>, entry: string, cassette: string): void => hasNotKey(set, entry, cassette, { prefix: true });

describe('Azure rules over the custodian cassettes', { skip }, () => {
  test('StorageContainerTest.containers: containerone is public (Container); secure transfer off; only ccip… denies by default', async () => {
    const c = 'StorageContainerTest.containers';
    const f = await findings(c);
    has(f, 'VGL-AZURE-002 fail cctstoragey6akyqpagdt3o', c);
    hasNot(f, 'VGL-AZURE-002 fail ccipstoragey6akyqpagdt3o', c); // no containers recorded for it
    has(f, 'VGL-AZURE-003 fail cctstoragey6akyqpagdt3o', c); // supportsHttpsTrafficOnly: false
    has(f, 'VGL-AZURE-005 fail cclgstoragey6akyqpagdt3o', c); // networkAcls.defaultAction: Allow
    hasNot(f, 'VGL-AZURE-005 fail ccipstoragey6akyqpagdt3o', c); // defaultAction: Deny with two IP rules
    // The blob service properties were not recorded: soft delete is not assessed, never passed.
    has(f, 'VGL-AZURE-103 not-assessed cctstoragey6akyqpagdt3o', c);
  });

  test('StorageFileServicesFilterTest: allowBlobPublicAccess true, TLS 1.2, HTTPS only, share soft delete 7 days', async () => {
    const c = 'StorageFileServicesFilterTest.test_filter_with_file_services_delete_policy';
    const f = await findings(c);
    has(f, 'VGL-AZURE-001 fail storagefasdfhad2323', c);
    hasNot(f, 'VGL-AZURE-003 fail storagefasdfhad2323', c);
    hasNot(f, 'VGL-AZURE-004 fail storagefasdfhad2323', c);
    has(f, 'VGL-AZURE-100 fail storagefasdfhad2323', c); // allowSharedKeyAccess: true
    hasNot(f, 'VGL-AZURE-107 fail storagefasdfhad2323', c); // allowCrossTenantReplication: false
    hasNot(f, 'VGL-AZURE-108', c); // shareDeleteRetentionPolicy enabled, 7 days
  });

  test('NetworkSecurityGroupTest.test_deny_implicit: allow-all opens every port; deny-all opens none; mixed opens 80 and 443 only', async () => {
    const c = 'NetworkSecurityGroupTest.test_deny_implicit';
    const f = await findings(c);
    for (const id of ['006', '007', '109', '110']) has(f, `VGL-AZURE-${id} fail nsg-allow-all-ingress`, c);
    for (const id of ['006', '007', '109', '110']) hasNot(f, `VGL-AZURE-${id} fail nsg-deny-all-ingress`, c);
    has(f, 'VGL-AZURE-110 fail nsg-mixed-rules', c);
    hasNot(f, 'VGL-AZURE-007 fail nsg-mixed-rules', c); // its SSH rule is Deny
    hasNot(f, 'VGL-AZURE-109 fail nsg-mixed-rules', c); // Tcp rules only
    has(f, 'VGL-AZURE-111 fail nsg-deny-all-ingress', c); // properties.flowLogs absent: no flow log
  });

  test('NetworkSecurityGroupTest.test_find_by_name: k8s master allows SSH from *; c7n-nsg denies 22 inbound', async () => {
    const c = 'NetworkSecurityGroupTest.test_find_by_name';
    const f = await findings(c);
    has(f, 'VGL-AZURE-007 fail k8s-master-C02B7042-nsg', c);
    hasNot(f, 'VGL-AZURE-006 fail k8s-master-C02B7042-nsg', c);
    hasNot(f, 'VGL-AZURE-007 fail c7n-nsg', c); // test4 denies TCP 22; test5 is outbound
    has(f, 'VGL-AZURE-110 fail c7n-nsg', c); // test1: Allow * from * to 80
  });

  test('NetworkSecurityGroupFlowLogsFilterTest.test_flow_log_filter_all: c7n-nsg flow log enabled, kept 90 days', async () => {
    const c = 'NetworkSecurityGroupFlowLogsFilterTest.test_flow_log_filter_all';
    hasNot(await findings(c), 'VGL-AZURE-111', c);
  });

  test('KeyVaultTest.test_update_access_policy: only CMKVaultStacklet has purge protection; Stacklet-kv uses access policies and denies by default', async () => {
    const c = 'KeyVaultTest.test_update_access_policy';
    const f = await findings(c);
    has(f, 'VGL-AZURE-010 fail ajtest', c);
    hasNot(f, 'VGL-AZURE-010 fail CMKVaultStacklet', c);
    has(f, 'VGL-AZURE-113 fail Stacklet-kv', c); // enableRbacAuthorization: false
    hasNot(f, 'VGL-AZURE-051 fail Stacklet-kv', c); // networkAcls.defaultAction: Deny
    // Keys and secrets were not recorded: expiry is not assessed.
    has(f, 'VGL-AZURE-011 not-assessed ajtest', c);
  });

  test('SqlServerTest.administrators / auditing / firewall / test_data_encryption_filter / vulnerability-scan', async () => {
    let c = 'SqlServerTest.administrators';
    has(await findings(c), 'VGL-AZURE-019 fail cctestsqlservertqtfgpqzllch4', c); // administrators: []
    c = 'SqlServerTest.auditing';
    const audit = await findings(c);
    hasNot(audit, 'VGL-AZURE-015 fail', c); // state Enabled
    hasNot(audit, 'VGL-AZURE-016 fail', c); // retentionDays 0 = unlimited
    c = 'SqlServerTest.firewall';
    has(await findings(c), 'VGL-AZURE-018 fail cctestsqlserverj6y6cbbtaphs4', c); // AllowAllWindowsAzureIps 0.0.0.0–0.0.0.0
    c = 'SqlServerTest.test_data_encryption_filter';
    const tde = await findings(c);
    has(tde, 'VGL-AZURE-020 fail cfb-oapcxbui-test-sql-server-1', c); // serverKeyType ServiceManaged
    hasNot(tde, 'VGL-AZURE-020 fail cfb-guhvauzm-test-sql-server', c); // AzureKeyVault
    c = 'SqlServerTest.vulnerability-scan';
    const va = await findings(c);
    has(va, 'VGL-AZURE-058 fail cctestsqlservertqtfgpqzllch4', c); // recurringScans.isEnabled false
    hasNot(va, 'VGL-AZURE-051 fail cctestsqlservertqtfgpqzllch4', c); // publicNetworkAccess Disabled
  });

  test('SqlServerSecurityAlertPoliciesFilterTest: both servers have the Default alert policy Disabled', async () => {
    const c = 'SqlServerSecurityAlertPoliciesFilterTest.test_sql_server_security_alert_policies_filter';
    const f = await findings(c);
    has(f, 'VGL-AZURE-025 fail server-016cisads', c);
    has(f, 'VGL-AZURE-025 fail cctestsqlserverp2fkgne6rt5vw', c);
  });

  test('SqlDatabaseTest.test_data_encryption_filter: user databases have TDE; master (Disabled) is exempt', async () => {
    const c = 'SqlDatabaseTest.test_data_encryption_filter';
    hasNot(await findings(c), 'VGL-AZURE-017 fail', c);
  });

  test('MySQL and PostgreSQL: SSL off, TLS enforcement disabled, audit log OFF, log_connections off, TLSv1.1 allowed', async () => {
    let c = 'MySQLTest.test_server_server_configurations_parameters';
    const my = await findings(c);
    has(my, 'VGL-AZURE-021 fail ccmysqlc129bfa71a47', c);
    has(my, 'VGL-AZURE-022 fail ccmysqlc129bfa71a47', c);
    has(my, 'VGL-AZURE-117 fail ccmysqlc129bfa71a47', c);
    c = 'MySQLFlexibleServerTest.test_server_server_parameter';
    const flex = await findings(c);
    has(flex, 'VGL-AZURE-022 fail azureheight', c); // tls_version TLSV1.1
    hasNot(flex, 'VGL-AZURE-022 fail mysql-test-server-20221213', c); // TLSV1.2
    c = 'PostgresqlConfigurationParameterFilterTest.test_server_configuration_parameter';
    const pg = await findings(c);
    has(pg, 'VGL-AZURE-027 fail cctestpostgresqlserverwtan2535ogzvk', c);
    hasNot(pg, 'VGL-AZURE-021 fail cctestpostgresqlserverwtan2535ogzvk', c); // sslEnforcement Enabled
    has(pg, 'VGL-AZURE-026 not-assessed cctestpostgresqlserverwtan2535ogzvk', c); // log_checkpoints not recorded
  });

  test('WebAppTest.test_find_by_min_tls: TLS 1.0, FTP allowed, HTTP/1.1, plain HTTP, no identity, PHP 5.6', async () => {
    const c = 'WebAppTest.test_find_by_min_tls';
    const f = await findings(c);
    for (const id of ['033', '034', '035', '039', '119']) has(f, `VGL-AZURE-${id} fail cctestwebappc129bfa71a47`, c);
    hasNot(f, 'VGL-AZURE-036 fail', c); // remoteDebuggingEnabled false
    has(f, 'VGL-AZURE-152 fail cctestwebappc129bfa71a47', c); // phpVersion 5.6
    hasNot(f, 'VGL-AZURE-153 fail', c); // pythonVersion empty: Python not used
    has(f, 'VGL-AZURE-032 not-assessed cctestwebappc129bfa71a47', c); // authsettingsV2 not recorded
  });

  test('DefenderTest: Free tier for OpenSourceRelationalDatabases and Containers; contact not to owners; integrations on', async () => {
    let c = 'DefenderTest.test_azure_defender_pricing';
    const p = await findings(c);
    has(p, 'VGL-AZURE-127 fail OpenSourceRelationalDatabases', c);
    has(p, 'VGL-AZURE-130 fail Containers', c);
    hasNot(p, 'VGL-AZURE-123 fail', c); // VirtualMachines Standard
    c = 'DefenderTest.test_azure_defender_contacts';
    const ct = await findings(c);
    has(ct, 'VGL-AZURE-134 fail default1', c); // notificationsByRole roles: [Admin]
    hasNot(ct, 'VGL-AZURE-135 fail', c); // emails set
    c = 'DefenderTest.test_azure_defender_setting';
    const st = await findings(c);
    hasNot(st, 'VGL-AZURE-137 fail', c); // MCAS enabled
    hasNot(st, 'VGL-AZURE-138 fail', c); // WDATP enabled
    c = 'DefenderTest.test_azure_defender_autoprovisioning';
    hasNot(await findings(c), 'VGL-AZURE-136', c); // autoProvision On
  });

  test('AKS, Cosmos DB, Redis, disks and role definitions', async () => {
    let c = 'AksTest.test_find_aks_by_name';
    const aks = await findings(c);
    has(aks, 'VGL-AZURE-042 fail cctestaks', c); // no apiServerAccessProfile
    hasNot(aks, 'VGL-AZURE-043 fail', c); // enableRBAC true
    c = 'CosmosDBTest.firewall';
    const cosmos = await findings(c);
    hasNot(cosmos, 'VGL-AZURE-050 fail', c); // six ipRules restrict it
    has(cosmos, 'VGL-AZURE-052 fail cctestcosmosdbc129bfa71a47', c); // disableLocalAuth false
    c = 'RedisFirewallFilterTest.test_query';
    const redis = await findings(c);
    has(redis, 'VGL-AZURE-049 fail 301-redis-green', c); // minimumTlsVersion 1.0
    hasNot(redis, 'VGL-AZURE-048 fail', c); // enableNonSslPort false
    c = 'DiskTest.test_find_by_name';
    has(await findings(c), 'VGL-AZURE-041 fail cctestvm_disk2_a9097edcfa664ff48c8e88e87d72003e', c);
    c = 'AccessControlTest.test_find_assignments_by_role';
    hasNot(await findings(c), 'VGL-AZURE-151 fail', c); // only built-in roles (Owner's "*" is built in)
  });
});
