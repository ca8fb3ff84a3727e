import type { Rule } from '../../rule.js';

export const awsServiceRules: readonly Rule[] = [];
