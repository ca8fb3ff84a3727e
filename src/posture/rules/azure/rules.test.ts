/**
 * The Azure rules through the real Terraform inputs: every Terraform example (the collected-data
 * examples run in the registry test), plus the shapes examples do
 * not show (unresolved values, plan JSON, cross-resource settings, many blocks).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RULE_ID, type Rule } from '../../rule.js';
import { azureRules } from './index.js';
import { azureLiveRules } from './live/index.js';
import { exampleMismatches, planJson, runRule } from '../shared/example-runner.js';
import { nsgSshOpen } from './network.js';
import { dbFirewallOpen } from './dbservers.js';
import { publicNetworkAccess } from './paas.js';
import { sqlAuditingDisabled, sqlFirewallOpen } from './sql.js';
import { storageDefaultNetworkAllow, storageMinTls, storagePublicBlobAccess } from './storage.js';
import { appAuthDisabled } from './appservice.js';

/** The rule with its Terraform examples only (the registry test runs the collected-data ones). */
const terraformOnly = (rule: Rule): Rule => ({
  ...rule,
  examples: { bad: rule.examples.bad.filter((e) => e.input === 'terraform'), good: rule.examples.good.filter((e) => e.input === 'terraform') },
});
const hasTerraform = (rule: Rule): boolean => rule.kinds.some((k) => k.startsWith('tf:'));

test('ids are VGL-AZURE-NNN, unique, numbered without gaps (Terraform from 001, collected-data only from 100)', () => {
  const ids = azureRules.map((r) => r.id).sort();
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, RULE_ID);
  const series = (rules: readonly Rule[], first: number): void =>
    rules
      .map((r) => r.id)
      .sort()
      .forEach((id, i) => assert.equal(id, `VGL-AZURE-${String(first + i).padStart(3, '0')}`));
  series(azureRules.filter(hasTerraform), 1);
  series(azureLiveRules, 100);
  for (const r of azureRules) assert.ok(r.platform === 'azure' && r.kinds.every((k) => k.startsWith('tf:azure') || k.startsWith('azure:')), r.id);
  for (const r of azureLiveRules) assert.ok(r.kinds.every((k) => k.startsWith('azure:')), `${r.id} reads collected data only`);
});

describe('examples', () => {
  for (const rule of azureRules.filter(hasTerraform)) {
    test(rule.id, async () => {
      assert.deepEqual(await exampleMismatches(terraformOnly(rule)), []);
    });
  }
});

describe('edge cases', () => {
  test('unresolved values are unknown, not failures', async () => {
    const acct = (body: string): string =>
      `variable "v" {}\nresource "azurerm_storage_account" "sa" {\n  name                     = "sa"\n  resource_group_name      = "rg"\n  location                 = "westeurope"\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n${body}}\n`;
    assert.deepEqual((await runRule(storageMinTls, acct('  min_tls_version = var.v\n'))).lines, []);
    assert.deepEqual((await runRule(storagePublicBlobAccess, acct('  allow_nested_items_to_be_public = var.v\n'))).lines, []);
    assert.deepEqual((await runRule(storageDefaultNetworkAllow, acct('  public_network_access_enabled = var.v\n'))).lines, []);
    const fw = 'variable "start" {}\nresource "azurerm_mssql_firewall_rule" "fw" {\n  name             = "fw"\n  server_id        = "id"\n  start_ip_address = var.start\n  end_ip_address   = "255.255.255.255"\n}\n';
    assert.deepEqual((await runRule(sqlFirewallOpen, fw)).lines, []);
  });

  test('variables with known defaults are evaluated', async () => {
    const text =
      'variable "source" {\n  default = "*"\n}\nresource "azurerm_network_security_rule" "r" {\n  name                        = "ssh"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  protocol                    = "Tcp"\n  source_port_range           = "*"\n  destination_port_range      = "22"\n  source_address_prefix       = var.source\n  destination_address_prefix  = "*"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n}\n';
    assert.deepEqual((await runRule(nsgSshOpen, text)).lines, [11]);
  });

  test('NSG rules: outbound, deny and other ports pass; the Any protocol fails', async () => {
    const nsg = (rule: string): string =>
      `resource "azurerm_network_security_group" "nsg" {\n  name                = "nsg"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  security_rule {\n    name                       = "r"\n    priority                   = 100\n${rule}    source_port_range          = "*"\n    destination_address_prefix = "*"\n  }\n}\n`;
    const rule = (direction: string, access: string, protocol: string, port: string): string =>
      `    direction                  = "${direction}"\n    access                     = "${access}"\n    protocol                   = "${protocol}"\n    destination_port_range     = "${port}"\n    source_address_prefix      = "0.0.0.0/0"\n`;
    assert.deepEqual((await runRule(nsgSshOpen, nsg(rule('Outbound', 'Allow', 'Tcp', '22')))).lines, []);
    assert.deepEqual((await runRule(nsgSshOpen, nsg(rule('Inbound', 'Deny', 'Tcp', '22')))).lines, []);
    assert.deepEqual((await runRule(nsgSshOpen, nsg(rule('Inbound', 'Allow', 'Udp', '22')))).lines, []);
    assert.deepEqual((await runRule(nsgSshOpen, nsg(rule('Inbound', 'Allow', '*', '*')))).lines, [11]);
  });

  test('settings made by separate resources count for the server', async () => {
    const server = 'resource "azurerm_mssql_server" "sql" {\n  name                = "sql"\n  resource_group_name = "rg"\n  location            = "westeurope"\n  version             = "12.0"\n}\n';
    assert.deepEqual((await runRule(sqlAuditingDisabled, server)).lines, [1]);
    const disabled = `${server}resource "azurerm_mssql_server_extended_auditing_policy" "a" {\n  server_id = azurerm_mssql_server.sql.id\n  enabled   = false\n}\n`;
    assert.deepEqual((await runRule(sqlAuditingDisabled, disabled)).lines, [1], 'a disabled policy does not count');
  });

  test('database firewall ranges narrower than everything pass', async () => {
    const fw = (start: string, end: string): string =>
      `resource "azurerm_mysql_flexible_server_firewall_rule" "fw" {\n  name                = "fw"\n  resource_group_name = "rg"\n  server_name         = "db"\n  start_ip_address    = "${start}"\n  end_ip_address      = "${end}"\n}\n`;
    assert.deepEqual((await runRule(dbFirewallOpen, fw('0.0.0.0', '255.255.255.255'))).lines, [1]);
    assert.deepEqual((await runRule(dbFirewallOpen, fw('0.0.0.0', '10.0.0.0'))).lines, []);
    assert.deepEqual((await runRule(dbFirewallOpen, fw('not-an-ip', '0.0.0.0'))).lines, []);
  });

  test('a deny-by-default firewall block makes public network access acceptable', async () => {
    const kv = (body: string): string =>
      `resource "azurerm_key_vault" "kv" {\n  name                = "kv"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  tenant_id           = "t"\n  sku_name            = "standard"\n${body}}\n`;
    assert.deepEqual((await runRule(publicNetworkAccess, kv(''))).lines, [1]);
    assert.deepEqual((await runRule(publicNetworkAccess, kv('  network_acls {\n    default_action = "Deny"\n    bypass         = "AzureServices"\n  }\n'))).lines, []);
  });

  test('auth_settings written as an object attribute', async () => {
    const app = 'resource "azurerm_app_service" "a" {\n  name                = "a"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  app_service_plan_id = "p"\n  auth_settings = {\n    enabled = false\n  }\n}\n';
    assert.deepEqual((await runRule(appAuthDisabled, app)).lines, [7]);
  });

  test('plan JSON gives the same verdicts as HCL', async () => {
    const bad = await runRule(storagePublicBlobAccess, planJson('azurerm_storage_account', 'sa', { name: 'sa', allow_nested_items_to_be_public: true, min_tls_version: 'TLS1_2' }), 'plan.json');
    assert.equal(bad.problems.length, 0, bad.problems.join('; '));
    assert.equal(bad.messages.length, 1);
    const good = await runRule(storagePublicBlobAccess, planJson('azurerm_storage_account', 'sa', { name: 'sa', allow_nested_items_to_be_public: false }), 'plan.json');
    assert.deepEqual(good.messages, []);
    const nsg = planJson('azurerm_network_security_group', 'nsg', {
      name: 'nsg',
      security_rule: [
        { name: 'ssh', direction: 'Inbound', access: 'Allow', protocol: 'Tcp', destination_port_range: '22', destination_port_ranges: [], source_address_prefix: '*', source_address_prefixes: [] },
      ],
    });
    assert.equal((await runRule(nsgSshOpen, nsg, 'plan.json')).messages.length, 1);
  });

  test('many rules in one security group stay fast and are all reported', async () => {
    const rules = Array.from(
      { length: 2000 },
      (_, i) =>
        `  security_rule {\n    name                       = "r${i}"\n    priority                   = ${100 + i}\n    direction                  = "Inbound"\n    access                     = "Allow"\n    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "${i % 2 === 0 ? '22' : '443'}"\n    source_address_prefix      = "*"\n    destination_address_prefix = "*"\n  }\n`,
    ).join('');
    const text = `resource "azurerm_network_security_group" "nsg" {\n  name                = "nsg"\n  location            = "westeurope"\n  resource_group_name = "rg"\n${rules}}\n`;
    const started = Date.now();
    const r = await runRule(nsgSshOpen, text);
    assert.equal(r.lines.length, 1000);
    assert.ok(Date.now() - started < 20_000);
  });
});
