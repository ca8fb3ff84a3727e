/**
 * The Azure rules (VGL-AZURE-NNN), Terraform azurerm resources. Adding a rule is adding it to
 * its family file and that file's list to this one.
 */
import type { Rule } from '../../rule.js';
import { APP_SERVICE_RULES } from './appservice.js';
import { COMPUTE_RULES } from './compute.js';
import { CONTAINER_RULES } from './containers.js';
import { DATA_RULES } from './data.js';
import { DB_SERVER_RULES } from './dbservers.js';
import { KEYVAULT_RULES } from './keyvault.js';
import { NETWORK_RULES } from './network.js';
import { PAAS_RULES } from './paas.js';
import { SQL_RULES } from './sql.js';
import { STORAGE_RULES } from './storage.js';
import { azureLiveRules } from './live/index.js';

export const azureRules: readonly Rule[] = [
  ...STORAGE_RULES,
  ...NETWORK_RULES,
  ...KEYVAULT_RULES,
  ...SQL_RULES,
  ...DB_SERVER_RULES,
  ...APP_SERVICE_RULES,
  ...COMPUTE_RULES,
  ...CONTAINER_RULES,
  ...DATA_RULES,
  ...PAAS_RULES,
  ...azureLiveRules,
];
