import { createHash } from 'node:crypto';
import type { Rule } from '../rule.js';

/**
 * What judged a scan: the Vigil version and a digest of the rules that ran (ids and
 * severities), so two scans can be compared knowing whether the catalogue changed between them.
 */
export function rulesVersionOf(version: string, rules: readonly Pick<Rule, 'id' | 'severity'>[]): string {
  const h = createHash('sha256');
  for (const r of [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) h.update(`${r.id}\0${r.severity}\n`);
  return `vigil ${version}; ${rules.length} rules; ${h.digest('hex').slice(0, 12)}`;
}
