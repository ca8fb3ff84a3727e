/**
 * Assertions for the corpus tests of the cloud rules (src/posture/rules/<provider>/…/corpus.test.ts):
 * one collected target through the engine as a scan does, its findings as `ruleId status
 * resource-name` keys, and checks that name the recording an expectation came from.
 */
import assert from 'node:assert/strict';
import { analyseCollected } from '../../src/posture/collectors/analyse.js';
import type { CollectResult } from '../../src/posture/collectors/types.js';
import type { Rule } from '../../src/posture/rule.js';

/** `ruleId status resource-name` for every finding of one collected target. */
export function findingKeys(result: CollectResult | undefined, rules: readonly Rule[], recording: string): Set<string> {
  assert.ok(result, `${recording}: one target collected`);
  return new Set(analyseCollected(result, rules).report.findings.map((f) => `${f.ruleId} ${f.status} ${f.resource.name}`));
}

export function has(keys: Set<string>, entry: string, recording: string): void {
  assert.ok(keys.has(entry), `${recording}: expected "${entry}"`);
}

/** No finding `entry`; with `prefix`, no finding starting with it either. */
export function hasNot(keys: Set<string>, entry: string, recording: string, opts: { prefix?: boolean } = {}): void {
  const found = opts.prefix ? [...keys].some((e) => e.startsWith(entry)) : keys.has(entry);
  assert.ok(!found, `${recording}: did not expect "${entry}"`);
}

/** No finding at all (a pass) of `rule` on `name`. */
export function passes(keys: Set<string>, rule: string, name: string, recording: string): void {
  for (const status of ['fail', 'not-assessed']) hasNot(keys, `${rule} ${status} ${name}`, recording);
}
