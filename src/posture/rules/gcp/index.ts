import type { Rule } from '../../rule.js';

export const gcpRules: readonly Rule[] = [];
