/**
 * Adds a live block to a rule built by the services' own `awsRule` (services/lib/define.ts has
 * no `live` field): the same merge lib/define.ts does, applied to the finished rule.
 */
import { defineRule, type Rule } from '../../../rule.js';
import { withLiveFix, type LiveSpec } from '../../shared/live.js';

export function withLive(rule: Rule, live: LiveSpec): Rule {
  const iac = rule.check;
  const fix = withLiveFix(rule.fix, live);
  return defineRule({
    ...rule,
    kinds: [...rule.kinds, ...live.kinds],
    ...(fix ? { fix } : {}),
    examples: { bad: [...rule.examples.bad, ...live.bad], good: [...rule.examples.good, ...live.good] },
    check(resource, ctx) {
      if (resource.kind.startsWith('aws:')) return live.check(resource, ctx);
      return iac?.(resource, ctx) ?? [];
    },
  });
}
