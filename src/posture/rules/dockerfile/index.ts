import type { Rule } from '../../rule.js';

export const dockerfileRules: readonly Rule[] = [];
