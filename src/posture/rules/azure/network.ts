/**
 * Azure networking: network security group rules open to the Internet on management ports (CIS
 * Azure 2.1 6.1, 6.2), subnets without a network security group and virtual networks without
 * DDoS protection. NSG rules are read both inline (`security_rule` blocks of
 * azurerm_network_security_group) and as azurerm_network_security_rule resources.
 */
import { isUnresolved } from '../../attrs.js';
import type { AttrPath, Resource, Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { blocksAt, known, lower } from '../shared/attrs.js';
import { themes } from '../shared/controls.js';
import { AZURERM_DOCS, azureRule, cis } from '../shared/define.js';
import { portSpecIncludes } from '../shared/network.js';
import type { LiveSpec } from '../shared/live.js';
import { nsgLive, RDP, SSH } from './live/network.js';

/** Source prefixes meaning "anywhere on the Internet". */
const INTERNET = new Set(['*', '0.0.0.0', '0.0.0.0/0', 'internet', 'any', '::/0', '<nw>/0', '/0']);

function values(v: unknown): string[] {
  const items = Array.isArray(v) ? v : [v];
  return items.filter((x): x is string => typeof x === 'string' && !isUnresolved(x)).map((x) => x.trim().toLowerCase());
}

/** The key holding the matching destination port (path relative to the rule), or undefined. */
function openPortKey(rule: Record<string, unknown>, port: number, protocols: readonly string[]): string | undefined {
  if (lower(rule['direction']) !== 'inbound' || lower(rule['access']) !== 'allow') return undefined;
  const protocol = lower(rule['protocol']);
  if (protocol === undefined || !protocols.includes(protocol)) return undefined;
  const sources = [...values(rule['source_address_prefix']), ...values(rule['source_address_prefixes'])];
  if (!sources.some((s) => INTERNET.has(s))) return undefined;
  for (const key of ['destination_port_range', 'destination_port_ranges']) {
    const v = rule[key];
    if ((Array.isArray(v) ? v : [v]).some((p) => known(p) && portSpecIncludes(p, port))) return key;
  }
  return undefined;
}

function nsgOpenPort(r: Resource, port: number, protocols: readonly string[], name: string): Violation[] {
  const found: { path: AttrPath; rule: Record<string, unknown> }[] =
    r.type === 'azurerm_network_security_rule'
      ? [{ path: [], rule: r.attrs }]
      : blocksAt(r.attrs, 'security_rule').map(({ block, path }) => ({ path, rule: block }));
  const out: Violation[] = [];
  for (const { path, rule } of found) {
    const key = openPortKey(rule, port, protocols);
    if (key !== undefined) out.push(violation([...path, key], `inbound rule allows ${name} (port ${port}) from the Internet`));
  }
  return out;
}

const NSG_TYPES = ['azurerm_network_security_group', 'azurerm_network_security_rule'];
const nsg = (rule: string): string =>
  `resource "azurerm_network_security_group" "nsg" {\n  name                = "nsg"\n  location            = "westeurope"\n  resource_group_name = "rg"\n\n  security_rule {\n    name                       = "r"\n    priority                   = 100\n    direction                  = "Inbound"\n    access                     = "Allow"\n${rule}  }\n}\n`;
const standalone = (rule: string): string =>
  `resource "azurerm_network_security_rule" "r" {\n  name                        = "r"\n  priority                    = 100\n  direction                   = "Inbound"\n  access                      = "Allow"\n  resource_group_name         = "rg"\n  network_security_group_name = "nsg"\n${rule}}\n`;

function managementPortRule(id: string, port: number, name: string, protocols: readonly string[], control: string, live: LiveSpec): Rule {
  return azureRule({
    id,
    live,
    title: `Network security group allows ${name} from the Internet`,
    description: `An inbound Allow rule whose source is any address (*, 0.0.0.0/0, Internet) and whose destination ports include ${port} exposes ${name} to password guessing and exploitation from anywhere.`,
    severity: 'high',
    service: 'network',
    types: NSG_TYPES,
    frameworks: [cis(control), ...themes('network')],
    remediation: `Restrict the rule's source to known management addresses, or remove it and reach machines through Azure Bastion or a VPN.`,
    fix: `security_rule {\n  name                       = "${name.toLowerCase()}-from-office"\n  priority                   = 100\n  direction                  = "Inbound"\n  access                     = "Allow"\n  protocol                   = "Tcp"\n  source_port_range          = "*"\n  destination_port_range     = "${port}"\n  source_address_prefix      = "203.0.113.0/24"\n  destination_address_prefix = "*"\n}`,
    references: [`${AZURERM_DOCS}network_security_group`, `${AZURERM_DOCS}network_security_rule`, 'https://learn.microsoft.com/azure/security/fundamentals/network-best-practices'],
    check: (r) => nsgOpenPort(r, port, protocols, name),
    bad: [
      {
        text: nsg(`    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "${port}"\n    source_address_prefix      = "*"\n    destination_address_prefix = "*"\n`),
        lines: [13],
      },
      {
        text: standalone(`  protocol                    = "*"\n  source_port_range           = "*"\n  destination_port_ranges     = ["80", "${port - 2}-${port + 2}"]\n  source_address_prefix       = "Internet"\n  destination_address_prefix  = "*"\n`),
        lines: [10],
      },
    ],
    good: [
      nsg(`    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "${port}"\n    source_address_prefix      = "10.0.0.0/8"\n    destination_address_prefix = "*"\n`),
      nsg(`    protocol                   = "Tcp"\n    source_port_range          = "*"\n    destination_port_range     = "443"\n    source_address_prefix      = "*"\n    destination_address_prefix = "*"\n`),
    ],
  });
}

export const nsgRdpOpen = managementPortRule('VGL-AZURE-006', 3389, 'RDP', ['tcp', 'udp', '*'], '6.1', nsgLive(RDP));
export const nsgSshOpen = managementPortRule('VGL-AZURE-007', 22, 'SSH', ['tcp', '*'], '6.2', nsgLive(SSH));

/** Subnets Azure manages itself and that must not (or cannot) carry an NSG. */
const NSG_EXEMPT_SUBNETS = new Set(['gatewaysubnet', 'azurefirewallsubnet', 'azurefirewallmanagementsubnet', 'routeserversubnet']);

function subnetExempt(block: Record<string, unknown>): boolean {
  const name = lower(block['name']);
  if (name !== undefined && NSG_EXEMPT_SUBNETS.has(name)) return true;
  // Azure NetApp Files delegated subnets do not support NSGs.
  return blocksAt(block, 'delegation').some(({ block: d }) =>
    [d['name'], ...blocksAt(d, 'service_delegation').map(({ block: s }) => s['name'])].some((n) => lower(n) === 'microsoft.netapp/volumes'),
  );
}

export const subnetWithoutNsg = azureRule({
  id: 'VGL-AZURE-008',
  title: 'Subnet has no network security group',
  description:
    'A subnet without a network security group filters no traffic: every port of every machine in it is reachable from wherever the virtual network routes allow. Checked on azurerm_subnet (through azurerm_subnet_network_security_group_association) and on subnets declared inline in azurerm_virtual_network and the classic azure_virtual_network.',
  severity: 'medium',
  service: 'network',
  types: ['azurerm_subnet', 'azurerm_virtual_network', 'azure_virtual_network'],
  frameworks: themes('network'),
  remediation: 'Associate a network security group with the subnet (azurerm_subnet_network_security_group_association, or security_group on an inline subnet).',
  fix: 'resource "azurerm_subnet_network_security_group_association" "app" {\n  subnet_id                 = azurerm_subnet.app.id\n  network_security_group_id = azurerm_network_security_group.app.id\n}',
  references: [`${AZURERM_DOCS}subnet_network_security_group_association`, `${AZURERM_DOCS}virtual_network#subnet`],
  check(r, ctx) {
    if (r.type === 'azurerm_subnet') {
      if (subnetExempt(r.attrs) || ctx.referrers(r, 'tf:azurerm_subnet_network_security_group_association').length > 0) return [];
      return [violation([], 'no network security group is associated with this subnet')];
    }
    return blocksAt(r.attrs, 'subnet').flatMap(({ block, path }) => {
      if (subnetExempt(block)) return [];
      const sg = block['security_group'];
      if (sg === undefined || sg === null) return [violation([...path, 'security_group'], 'inline subnet has no security_group')];
      return typeof sg === 'string' && sg.trim() === '' ? [violation([...path, 'security_group'], 'inline subnet has an empty security_group')] : [];
    });
  },
  bad: [
    { text: 'resource "azurerm_subnet" "app" {\n  name                 = "app"\n  resource_group_name  = "rg"\n  virtual_network_name = "vnet"\n  address_prefixes     = ["10.0.1.0/24"]\n}\n', lines: [1] },
    {
      text: 'resource "azurerm_virtual_network" "vnet" {\n  name                = "vnet"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  address_space       = ["10.0.0.0/16"]\n\n  subnet {\n    name           = "app"\n    address_prefix = "10.0.1.0/24"\n  }\n}\n',
      lines: [7],
    },
  ],
  good: [
    'resource "azurerm_subnet" "app" {\n  name                 = "app"\n  resource_group_name  = "rg"\n  virtual_network_name = "vnet"\n  address_prefixes     = ["10.0.1.0/24"]\n}\n\nresource "azurerm_subnet_network_security_group_association" "app" {\n  subnet_id                 = azurerm_subnet.app.id\n  network_security_group_id = azurerm_network_security_group.app.id\n}\n',
    'resource "azurerm_subnet" "gw" {\n  name                 = "GatewaySubnet"\n  resource_group_name  = "rg"\n  virtual_network_name = "vnet"\n  address_prefixes     = ["10.0.255.0/27"]\n}\n',
  ],
});

export const vnetWithoutDdosProtection = azureRule({
  id: 'VGL-AZURE-009',
  title: 'Virtual network has no DDoS protection plan',
  description:
    'Without a DDoS Network Protection plan, public endpoints in the virtual network get only the basic infrastructure protection, with no adaptive tuning, attack telemetry or cost protection during volumetric attacks.',
  severity: 'low',
  service: 'network',
  types: ['azurerm_virtual_network'],
  frameworks: themes('availability'),
  remediation: 'Attach a DDoS protection plan to virtual networks that host public endpoints (ddos_protection_plan { id = …, enable = true }).',
  fix: 'resource "azurerm_virtual_network" "vnet" {\n  # …\n  ddos_protection_plan {\n    id     = azurerm_network_ddos_protection_plan.plan.id\n    enable = true\n  }\n}',
  references: [`${AZURERM_DOCS}virtual_network#ddos_protection_plan`, 'https://learn.microsoft.com/azure/ddos-protection/ddos-protection-overview'],
  check(r) {
    const plans = blocksAt(r.attrs, 'ddos_protection_plan');
    if (plans.length === 0) return [violation(['ddos_protection_plan'], 'no ddos_protection_plan block')];
    return plans.flatMap(({ block, path }) => (lower(block['enable']) === 'false' ? [violation([...path, 'enable'], 'the DDoS protection plan is disabled (enable = false)')] : []));
  },
  bad: [
    { text: 'resource "azurerm_virtual_network" "vnet" {\n  name                = "vnet"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  address_space       = ["10.0.0.0/16"]\n}\n', lines: [1] },
    {
      text: 'resource "azurerm_virtual_network" "vnet" {\n  name                = "vnet"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  address_space       = ["10.0.0.0/16"]\n\n  ddos_protection_plan {\n    id     = azurerm_network_ddos_protection_plan.plan.id\n    enable = false\n  }\n}\n',
      lines: [9],
    },
  ],
  good: [
    'resource "azurerm_virtual_network" "vnet" {\n  name                = "vnet"\n  location            = "westeurope"\n  resource_group_name = "rg"\n  address_space       = ["10.0.0.0/16"]\n\n  ddos_protection_plan {\n    id     = azurerm_network_ddos_protection_plan.plan.id\n    enable = true\n  }\n}\n',
  ],
});

export const NETWORK_RULES = [nsgRdpOpen, nsgSshOpen, subnetWithoutNsg, vnetWithoutDdosProtection];
