import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CDX_JUSTIFICATIONS,
  CDX_STATE_TO_VEX,
  CDX_STATES,
  CDX_TO_OPENVEX_JUSTIFICATION,
  cdxJustification,
  decisionOf,
  DECISION_TO_CDX,
  DECISION_TO_OPENVEX,
  DECISIONS,
  OPENVEX_JUSTIFICATIONS,
  OPENVEX_TO_CDX_JUSTIFICATION,
  openVexJustification,
} from './mapping.js';

test('every vocabulary word has a mapping, and mappings land in the other vocabulary', () => {
  for (const s of CDX_STATES) assert.ok(CDX_STATE_TO_VEX[s]);
  for (const j of CDX_JUSTIFICATIONS) assert.ok(OPENVEX_JUSTIFICATIONS.includes(CDX_TO_OPENVEX_JUSTIFICATION[j]));
  for (const j of OPENVEX_JUSTIFICATIONS) assert.ok(CDX_JUSTIFICATIONS.includes(OPENVEX_TO_CDX_JUSTIFICATION[j]));
  for (const d of DECISIONS) {
    assert.ok(CDX_STATES.includes(DECISION_TO_CDX[d].state));
    assert.ok(DECISION_TO_OPENVEX[d]);
  }
});

test('justifications convert from either vocabulary; unknown words give undefined', () => {
  assert.equal(cdxJustification('code_not_reachable'), 'code_not_reachable');
  assert.equal(cdxJustification('vulnerable_code_not_in_execute_path'), 'code_not_reachable');
  assert.equal(openVexJustification('code_not_present'), 'vulnerable_code_not_present');
  assert.equal(openVexJustification('inline_mitigations_already_exist'), 'inline_mitigations_already_exist');
  assert.equal(cdxJustification('because'), undefined);
  assert.equal(openVexJustification(undefined), undefined);
});

test('decisions: triage, VEX and CycloneDX words; ignore-file entries and unknown words are accepted risks', () => {
  const s = (kind: 'vex' | 'triage' | 'ignore-file', status: string) => decisionOf({ kind, status, source: 'x' });
  assert.equal(s('vex', 'not_affected'), 'not_affected');
  assert.equal(s('triage', 'FALSE_POSITIVE'), 'false_positive');
  assert.equal(s('vex', 'resolved'), 'fixed');
  assert.equal(s('triage', 'in_triage'), 'under_investigation');
  assert.equal(s('vex', 'exploitable'), 'affected');
  assert.equal(s('ignore-file', 'not_affected'), 'accepted_risk');
  assert.equal(s('triage', 'something-new'), 'accepted_risk');
});
