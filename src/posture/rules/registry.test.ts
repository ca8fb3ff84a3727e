/**
 * Every built-in rule: well-formed metadata, unique id in its platform's series, known
 * frameworks, at least one good and one bad example; every bad example fails at exactly the
 * lines it lists and every good example passes, through the real input and engine.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../analyse.js';
import { evaluate } from '../engine.js';
import { isFrameworkId } from '../frameworks.js';
import { DEFAULT_FILE_NAMES, INPUT_BY_ID } from '../inputs/registry.js';
import { POSTURE_SEVERITIES } from '../model.js';
import { RULE_ID, RULE_PLATFORMS } from '../rule.js';
import type { Rule, RuleExample } from '../rule.js';
import { BUILTIN_RULES } from './registry.js';
import { exampleResources } from './shared/live.js';

const COLLECTED_INPUTS = new Set(['aws', 'azure', 'gcp']);

/** A collected-data example through the engine: the resources' ids that fail, and any problem. */
function runCollected(rule: Rule, ex: RuleExample): { fails: string[]; findings: string[]; problems: string[] } {
  const { resources, problems } = exampleResources(ex);
  const findings = evaluate(resources, [rule]);
  const fails = [...new Set(findings.filter((f) => f.status === 'fail').map((f) => f.resource.id))].sort();
  return { fails, findings: findings.map((f) => `${f.resource.id} ${f.status}: ${f.message}`), problems };
}

test('rule ids are unique and follow VGL-<PLATFORM>-NNN', () => {
  const seen = new Set<string>();
  for (const r of BUILTIN_RULES) {
    assert.match(r.id, RULE_ID);
    assert.ok(r.id.startsWith(`VGL-${RULE_PLATFORMS[r.platform]}-`), `${r.id} is not in the ${r.platform} series`);
    assert.ok(!seen.has(r.id), `duplicate rule id ${r.id}`);
    seen.add(r.id);
  }
});

describe('rule metadata and examples', () => {
  for (const rule of BUILTIN_RULES) {
    test(rule.id, async () => {
      assert.ok(rule.title.length > 5 && rule.description.length > 10 && rule.remediation.length > 5, 'title, description and remediation are written');
      assert.ok(POSTURE_SEVERITIES.includes(rule.severity));
      assert.ok(rule.kinds.length > 0, 'kinds');
      assert.ok(rule.check !== undefined || rule.checkScan !== undefined, 'a check');
      assert.ok(rule.frameworks.length > 0, 'mapped to at least one framework');
      for (const f of rule.frameworks) assert.ok(isFrameworkId(f.framework) && f.control.length > 0, `framework ${f.framework} ${f.control}`);
      assert.ok(rule.examples.bad.length > 0 && rule.examples.good.length > 0, 'good and bad examples');
      for (const [i, ex] of rule.examples.bad.entries()) {
        if (COLLECTED_INPUTS.has(ex.input)) {
          assert.ok(rule.kinds.some((k) => k.startsWith(`${ex.input}:`)), `bad example ${i}: the rule reads ${ex.input} kinds`);
          const r = runCollected(rule, ex);
          assert.deepEqual(r.problems, [], `bad example ${i} is well formed`);
          assert.ok(r.fails.length > 0, `bad example ${i} fails: ${r.findings.join('; ')}`);
          if (ex.resources !== undefined) assert.deepEqual(r.fails, [...ex.resources].sort(), `bad example ${i} failing resources`);
          continue;
        }
        assert.ok(INPUT_BY_ID.has(ex.input), `input ${ex.input} is registered`);
        const file = ex.file ?? DEFAULT_FILE_NAMES[ex.input];
        const a = await analyse([{ path: file, text: ex.text }], [rule]);
        assert.deepEqual(a.problems, [], `bad example ${i} parses`);
        const fails = a.findings.filter((f) => f.status === 'fail');
        assert.ok(fails.length > 0, `bad example ${i} fails`);
        if (ex.lines !== undefined) {
          assert.deepEqual([...new Set(fails.map((f) => f.location.line))].sort((x, y) => x - y), [...ex.lines].sort((x, y) => x - y), `bad example ${i} lines`);
        }
      }
      for (const [i, ex] of rule.examples.good.entries()) {
        if (COLLECTED_INPUTS.has(ex.input)) {
          const r = runCollected(rule, ex);
          assert.deepEqual(r.problems, [], `good example ${i} is well formed`);
          assert.deepEqual(r.findings, [], `good example ${i} passes`);
          continue;
        }
        const file = ex.file ?? DEFAULT_FILE_NAMES[ex.input];
        const a = await analyse([{ path: file, text: ex.text }], [rule]);
        assert.deepEqual(a.problems, [], `good example ${i} parses`);
        assert.deepEqual(a.findings.map((f) => `${f.location.line}: ${f.message}`), [], `good example ${i} passes`);
      }
    });
  }
});
