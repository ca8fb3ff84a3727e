/**
 * Google Cloud rules over collected project data only (no Terraform form). Rules whose concern also
 * exists in Terraform carry a `live` block in their own file one folder up.
 */
import type { Rule } from '../../../rule.js';

export const gcpLiveRules: readonly Rule[] = [];
