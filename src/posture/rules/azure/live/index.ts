/**
 * Azure rules over collected subscription data only (no Terraform form), VGL-AZURE-100…199.
 * Rules whose concern also exists in Terraform carry a `live` block in their own file one folder
 * up (the specs are in this folder's service files).
 */
import type { Rule } from '../../../rule.js';
import { appLiveRules } from './appservice.js';
import { computeLiveRules } from './compute.js';
import { mysqlLiveRules } from './dbservers.js';
import { defenderLiveRules } from './defender.js';
import { keyVaultLiveRules } from './keyvault.js';
import { monitorLiveRules } from './monitor.js';
import { networkLiveRules } from './network.js';
import { runtimeLiveRules } from './runtime.js';
import { storageLiveRules } from './storage.js';

export const azureLiveRules: readonly Rule[] = [
  ...storageLiveRules,
  ...networkLiveRules,
  ...keyVaultLiveRules,
  ...mysqlLiveRules,
  ...appLiveRules,
  ...runtimeLiveRules,
  ...computeLiveRules,
  ...defenderLiveRules,
  ...monitorLiveRules,
];
