import type { Rule } from '../../rule.js';

export const azureRules: readonly Rule[] = [];
