/**
 * Every built-in posture rule, one list per platform folder. Adding a rule is adding a file to
 * its platform folder and one line to that folder's index.ts.
 */
import type { Rule } from '../rule.js';
import { awsRules } from './aws/index.js';
import { azureRules } from './azure/index.js';
import { dockerfileRules } from './dockerfile/index.js';
import { gcpRules } from './gcp/index.js';
import { kubernetesRules } from './kubernetes/index.js';

export const BUILTIN_RULES: readonly Rule[] = [...kubernetesRules, ...awsRules, ...azureRules, ...gcpRules, ...dockerfileRules];

export const RULE_BY_ID: ReadonlyMap<string, Rule> = new Map(BUILTIN_RULES.map((r) => [r.id, r]));
