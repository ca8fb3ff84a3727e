import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CIS_EVENTS } from './cis-alarm-table.js';
import { filterTerms, MAX_PATTERN_CHARS, patternCovers, termKey } from './filter-pattern.js';

const MFA = '{ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") }';

test('the comparisons of a CIS pattern, quotes and spacing normalised', () => {
  assert.deepEqual([...filterTerms(MFA)].sort(), [termKey('additionalEventData.MFAUsed', '!=', 'Yes'), termKey('eventName', '=', 'ConsoleLogin')].sort());
  assert.deepEqual(
    [...filterTerms('{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }')].sort(),
    ['eventtype|!=|AwsServiceEvent', 'useridentity.invokedby|NOT EXISTS|', 'useridentity.type|=|Root'],
  );
  assert.ok(filterTerms('{ ($.errorMessage = "Failed authentication") }').has('errormessage|=|Failed authentication'));
  assert.ok(filterTerms('{ $.sourceIPAddress IS NULL }').has('sourceipaddress|IS|NULL'));
});

test('equivalent forms match: order, quoting, spacing, field case, extra conditions', () => {
  const wanted = filterTerms(MFA);
  assert.ok(patternCovers('{($.additionalEventData.MFAUsed!=Yes)&&($.eventName=ConsoleLogin)}', wanted));
  assert.ok(patternCovers('{ ($.EventName = ConsoleLogin) && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") }', wanted));
  assert.ok(!patternCovers('{ ($.eventName = ConsoleLogin) }', wanted), 'a missing comparison fails');
  assert.ok(!patternCovers('{ ($.eventName = consolelogin) && ($.additionalEventData.MFAUsed != Yes) }', wanted), 'values are case-sensitive');
  for (const e of CIS_EVENTS) assert.ok(patternCovers(e.pattern, filterTerms(e.pattern)) && filterTerms(e.pattern).size > 0, e.control);
});

test('empty, broken and non-JSON patterns give no comparisons and never throw', () => {
  assert.equal(filterTerms('').size, 0);
  assert.equal(filterTerms('ERROR Exception').size, 0);
  assert.equal(filterTerms('$.').size, 0);
  assert.equal(filterTerms('{ $.eventName = "ConsoleLogin').size, 1, 'an unclosed quote takes the rest');
  assert.equal(filterTerms('{ $.eventName ~ x }').size, 0, 'an unknown operator');
  assert.ok(!patternCovers('', new Set()), 'nothing wanted never matches');
});

test('hostile input stays linear and bounded', () => {
  const started = Date.now();
  const terms = filterTerms('{ ' + '($.a = b) || '.repeat(200_000) + '$.'.repeat(100_000) + ' }');
  assert.ok(terms.size <= 1);
  assert.ok(filterTerms('$.x = "'.repeat(MAX_PATTERN_CHARS)).size >= 1);
  assert.ok(Date.now() - started < 2000);
});
