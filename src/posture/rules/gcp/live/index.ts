/**
 * Google Cloud rules over collected project data only (no Terraform form), VGL-GCP-100 … 199.
 * Rules whose concern also exists in Terraform carry a `live` block in their own file one folder
 * up, with the live half written beside these (storage.ts, iam.ts, kms.ts, …).
 */
import type { Rule } from '../../../rule.js';
import { ALERT_RULES } from './alerts.js';
import { APIKEY_LIVE_RULES } from './apikeys.js';
import { COMPUTE_LIVE_RULES } from './compute.js';
import { GKE_LIVE_RULES } from './gke.js';
import { IAM_LIVE_RULES } from './iam.js';
import { LOGGING_LIVE_RULES } from './logging.js';
import { NETWORK_LIVE_RULES } from './network.js';
import { SQL_FLAG_RULES } from './sql-flags.js';
import { STORAGE_LIVE_RULES } from './storage.js';

export const gcpLiveRules: readonly Rule[] = [...IAM_LIVE_RULES, ...STORAGE_LIVE_RULES, ...COMPUTE_LIVE_RULES, ...SQL_FLAG_RULES, ...NETWORK_LIVE_RULES, ...LOGGING_LIVE_RULES, ...ALERT_RULES, ...GKE_LIVE_RULES, ...APIKEY_LIVE_RULES];
