import type { Rule } from '../../rule.js';

export const awsCoreRules: readonly Rule[] = [];
