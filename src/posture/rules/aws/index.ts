import type { Rule } from '../../rule.js';
import { awsCoreRules } from './index-core.js';
import { awsServiceRules } from './index-services.js';

export const awsRules: readonly Rule[] = [...awsCoreRules, ...awsServiceRules];
