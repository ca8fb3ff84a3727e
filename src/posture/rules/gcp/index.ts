/**
 * The Google Cloud rules (VGL-GCP-NNN), Terraform google resources. Adding a rule is adding it
 * to its family file and that file's list to this one.
 */
import type { Rule } from '../../rule.js';
import { COMPUTE_RULES } from './compute.js';
import { DATA_RULES } from './data.js';
import { FIREWALL_RULES } from './firewall.js';
import { GKE_RULES } from './gke.js';
import { IAM_RULES } from './iam.js';
import { NETWORK_RULES } from './network.js';
import { PUBLIC_RULES } from './public.js';
import { SQL_RULES } from './sql.js';
import { STORAGE_RULES } from './storage.js';
import { gcpLiveRules } from './live/index.js';

export const gcpRules: readonly Rule[] = [
  ...PUBLIC_RULES,
  ...STORAGE_RULES,
  ...FIREWALL_RULES,
  ...IAM_RULES,
  ...SQL_RULES,
  ...COMPUTE_RULES,
  ...NETWORK_RULES,
  ...GKE_RULES,
  ...DATA_RULES,
  ...gcpLiveRules,
];
