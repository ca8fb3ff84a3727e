/**
 * docs/coverage.md from the catalogues and the rule metadata: per framework how many of its
 * requirements the built-in rules assess, which, and with which rules. `npm run docs:rules`
 * writes it beside docs/rules.md; a test fails when it is out of date. Pure.
 */
import { RULE_PLATFORMS, type Rule, type RulePlatform } from '../rule.js';
import { coverage } from './coverage.js';
import { CATALOGUES } from './index.js';

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const PLATFORMS = Object.keys(RULE_PLATFORMS) as RulePlatform[];

export function renderCoverageDoc(rules: readonly Rule[]): string {
  const all = coverage(rules);
  const out: string[] = [
    '# Compliance coverage',
    '',
    '<!-- Generated from the requirement catalogues and the rule metadata by `npm run docs:rules`; do not edit by hand. -->',
    '',
    "How many of each framework's requirements Vigil's built-in rules assess. The requirements come from Vigil's own " +
      'catalogue of each framework (src/posture/coverage/catalogues/, written from the published standards); each says ' +
      'which edition and which level of the hierarchy it lists. The rules and their mappings are in [rules.md](rules.md); ' +
      'compliance % of a scan (passed / assessed controls) is a different number, see [posture.md](posture.md).',
    '',
    '- A requirement is **assessed** when at least one rule maps to it: to its id, or to a sub-item of it the catalogue ' +
      'does not list (a rule control `1.2.1` counts for `1.2` when the catalogue lists `1.2` and not `1.2.1`; `AC-6(1)` ' +
      'counts for `AC-6` when `AC-6(1)` is not listed; `1.20` never counts for `1.2`). A control counts for the nearest ' +
      'listed requirement only, never for its ancestors as well.',
    '- Coverage % = assessed / listed requirements. A high coverage says the rules look at those requirements, not that ' +
      'a target complies; many requirements (policies, training, physical security) cannot be assessed from configuration.',
    '- PSS Restricted includes every Baseline control: rules mapped to a Baseline control count for the same Restricted ' +
      'control. The *rules* column counts the rules mapped to the framework itself.',
    '- *On collected data*: rules that check a live account, subscription or project (resource kinds `aws:`, `azure:`, ' +
      '`gcp:`) as opposed to Terraform, CloudFormation, manifests and Dockerfiles.',
    '',
    '| framework | requirements | assessed | coverage | rules | on collected data | assessed per platform |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const c of all) {
    const per = PLATFORMS.filter((p) => c.platforms[p].rules > 0)
      .map((p) => `${p} ${c.platforms[p].assessed}`)
      .join(', ');
    out.push(
      `| ${esc(c.name)} (\`${c.framework}\`) | ${c.requirements} | ${c.assessed} | ${c.coverage.toFixed(1)}% | ${c.rules} | ` +
        `${c.collectedRules} rules, ${c.collectedAssessed} requirements | ${per || '–'} |`,
    );
  }
  out.push('');
  for (const c of all) {
    const titles = CATALOGUES[c.framework].titles ?? {};
    const named = (id: string): string => (titles[id] === undefined ? esc(id) : `${esc(id)} (${esc(titles[id])})`);
    out.push(`## ${esc(c.name)} (\`${c.framework}\`)`, '', `${esc(c.edition)}; ${esc(c.level)}.`, '');
    out.push(`${c.assessed} of ${c.requirements} requirements assessed (${c.coverage.toFixed(1)}%) by ${c.rules} rules.`, '');
    if (c.assessedIds.length > 0) {
      out.push('Assessed:', '');
      for (const id of c.assessedIds) out.push(`- ${named(id)}: ${(c.rulesByRequirement[id] ?? []).join(', ')}`);
      out.push('');
    }
    if (c.unassessedIds.length > 0) out.push(`Not assessed: ${c.unassessedIds.map(esc).join(', ')}`, '');
  }
  return out.join('\n');
}
