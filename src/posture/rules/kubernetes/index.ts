import type { Rule } from '../../rule.js';

export const kubernetesRules: readonly Rule[] = [];
