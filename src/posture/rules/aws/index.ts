import type { Rule } from '../../rule.js';
import { awsAccountLiveRules } from './account/index.js';
import { awsCoreRules } from './index-core.js';
import { awsServiceRules } from './index-services.js';
import { awsNetworkLiveRules } from './network/index.js';

export const awsRules: readonly Rule[] = [...awsCoreRules, ...awsServiceRules, ...awsAccountLiveRules, ...awsNetworkLiveRules];
