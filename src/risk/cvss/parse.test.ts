import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_VECTOR_LENGTH, parseCvss } from './index.js';

const V31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H';
const V40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
const V2 = 'AV:N/AC:L/Au:N/C:P/I:P/A:P';

test('valid vectors parse with version, normalised vector and metrics', () => {
  const cases: { input: string; version: string; vector: string; metrics?: Record<string, string> }[] = [
    { input: V31, version: '3.1', vector: V31, metrics: { AV: 'N', AC: 'L', PR: 'N', UI: 'N', S: 'U', C: 'H', I: 'H', A: 'H' } },
    { input: V31.replace('3.1', '3.0'), version: '3.0', vector: V31.replace('3.1', '3.0') },
    { input: V40, version: '4.0', vector: V40 },
    { input: `  ${V31}\n`, version: '3.1', vector: V31 },
    // v2: bare, NVD's parenthesised form, and a CVSS:2.0/ prefix all normalise to the bare form.
    { input: V2, version: '2.0', vector: V2, metrics: { AV: 'N', AC: 'L', Au: 'N', C: 'P', I: 'P', A: 'P' } },
    { input: `(${V2})`, version: '2.0', vector: V2 },
    { input: `CVSS:2.0/${V2}`, version: '2.0', vector: V2 },
    { input: ` (${V2}) `, version: '2.0', vector: V2 },
    // v2 optional groups may be partial (Red Hat's feed omits RL) and may say ND.
    { input: 'AV:L/AC:L/Au:S/C:P/I:P/A:P/E:U/RC:C/CDP:LM/TD:L/IR:H/AR:M', version: '2.0', vector: 'AV:L/AC:L/Au:S/C:P/I:P/A:P/E:U/RC:C/CDP:LM/TD:L/IR:H/AR:M' },
    { input: `${V2}/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND`, version: '2.0', vector: `${V2}/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND/CR:ND/IR:ND/AR:ND` },
    // v3: any order is valid (spec §6), X is allowed outside the base group.
    { input: 'CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N', version: '3.1', vector: 'CVSS:3.1/A:H/I:H/C:H/S:U/UI:N/PR:N/AC:L/AV:N' },
    { input: `${V31}/E:X/RL:X/RC:X/CR:X/MAV:X/MS:C`, version: '3.1', vector: `${V31}/E:X/RL:X/RC:X/CR:X/MAV:X/MS:C` },
    // v4: every group, in spec order, including the mixed-case Provider Urgency values.
    {
      input: `${V40}/E:A/CR:H/IR:M/AR:L/MAV:A/MAC:H/MAT:P/MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:N/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber`,
      version: '4.0',
      vector: `${V40}/E:A/CR:H/IR:M/AR:L/MAV:A/MAC:H/MAT:P/MPR:L/MUI:A/MVC:L/MVI:N/MVA:H/MSC:N/MSI:S/MSA:S/S:P/AU:Y/R:I/V:C/RE:H/U:Amber`,
    },
    { input: `${V40}/U:Clear`, version: '4.0', vector: `${V40}/U:Clear` },
  ];
  for (const c of cases) {
    const r = parseCvss(c.input);
    assert.ok(r.ok, `${JSON.stringify(c.input)}: ${r.ok ? '' : r.error}`);
    assert.equal(r.value.version, c.version, c.input);
    assert.equal(r.value.vector, c.vector, c.input);
    if (c.metrics) assert.deepEqual(r.value.metrics, c.metrics);
  }
});

test('invalid vectors are errors naming the problem', () => {
  // [input, fragments the error must contain]
  const cases: [string, string[]][] = [
    ['', ['empty']],
    ['   \t\n', ['empty']],
    ['CVSS:3.1/', ['no metrics', 'AV, AC, PR, UI, S, C, I, A']],
    ['CVSS:3.1', ['no metrics']],
    ['CVSS:4.0/', ['no metrics', 'AV, AC, AT, PR, UI, VC, VI, VA, SC, SI, SA']],
    ['CVSS:9.9/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['unsupported CVSS version "9.9"', '2.0, 3.0, 3.1, 4.0']],
    ['CVSS:3/AV:N', ['unsupported CVSS version "3"']],
    ['CVSS:/AV:N', ['unsupported CVSS version ""']],
    // case: prefix, metric names and values are case-sensitive
    ['cvss:3.1/av:n/ac:l/pr:n/ui:n/s:u/c:h/i:h/a:h', ['upper case']],
    ['CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['unknown metric "av"', 'case-sensitive', '"AV"']],
    ['CVSS:3.1/AV:n/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['metric AV', 'invalid value "n"', 'N, A, L, P']],
    ['av:n/ac:l/au:n/c:p/i:p/a:p', ['CVSS 2.0', 'unknown metric "av"', '"AV"']],
    // duplicates, unknown metrics, bad values
    ['CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['duplicate metric "AV"']],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/AV:L', ['duplicate metric "AV"']],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/XX:Y', ['unknown metric "XX"', 'expected one of AV, AC']],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q', ['metric A', 'invalid value "Q"', 'H, L, N']],
    ['CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['metric AV', 'invalid value "X"']],
    [`${V2}/E:X`, ['metric E', 'invalid value "X"', 'U, POC, F, H, ND']],
    ['CVSS:3.0/AV:N/AC:L/PR:U/UI:N/S:U/C:H/I:H/A:H', ['metric PR', 'invalid value "U"']],
    [`${V40}/SI:S`, ['duplicate metric "SI"']],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', ['metric SI', 'invalid value "S"', 'H, L, N']],
    [`${V40}/U:red`, ['metric U', 'invalid value "red"', 'X, Clear, Green, Amber, Red']],
    // missing base metrics
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H', ['missing mandatory base metric S']],
    ['CVSS:3.1/E:H', ['missing mandatory base metrics AV, AC, PR, UI, S, C, I, A']],
    ['AV:N/AC:L/Au:N', ['CVSS 2.0', 'missing mandatory base metrics C, I, A']],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', ['missing mandatory base metric AT']],
    // order, where the spec requires it (v2 and v4)
    ['AC:L/AV:N/Au:N/C:P/I:P/A:P', ['metric AV is out of order', 'before AC']],
    [`${V2}/CDP:H/E:F`, ['metric E is out of order', 'before CDP']],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N', ['metric VI is out of order', 'before SC']],
    [`${V40}/U:Red/S:P`, ['metric S is out of order', 'before U']],
    // version prefix mismatches
    ['CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', ['CVSS 3.1', 'unknown metric "AT"', 'metric of CVSS 4.0']],
    ['CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['CVSS 4.0', 'metric S', 'invalid value "U"']],
    ['CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['CVSS 2.0', 'unknown metric "PR"']],
    ['AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['CVSS 2.0', 'unknown metric "PR"', '"CVSS:3.1/"']],
    // structure
    [`${V31}/`, ['empty field 9', 'trailing "/"']],
    ['CVSS:3.1//AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['empty field 1', 'leading "/"']],
    ['CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['empty field 2']],
    ['CVSS:3.1/AV/AC:L', ['"AV" is not of the form METRIC:VALUE']],
    ['CVSS:3.1/AV:N:N/AC:L', ['"AV:N:N" is not of the form METRIC:VALUE']],
    ['CVSS:3.1/:N/AC:L', ['":N" is not of the form METRIC:VALUE']],
    ['CVSS:3.1/AV: N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', ['invalid value " N"']],
    ['(AV:N/AC:L/Au:N/C:P/I:P/A:P', ['unbalanced parentheses']],
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P)', ['unbalanced parentheses']],
    ['()', ['unbalanced parentheses']],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H extra', ['invalid value "H extra"']],
  ];
  for (const [input, fragments] of cases) {
    const r = parseCvss(input);
    assert.equal(r.ok, false, `${JSON.stringify(input)} should be rejected`);
    if (r.ok) continue;
    for (const f of fragments) assert.ok(r.error.includes(f), `${JSON.stringify(input)}: "${r.error}" lacks "${f}"`);
  }
});

test('hostile input comes back as an error, never a throw', () => {
  const huge = `${V31}/${'E:H/'.repeat(2500)}`;
  const hostile: unknown[] = [
    null,
    undefined,
    42,
    {},
    ['CVSS:3.1/AV:N'],
    Symbol('x'),
    'x'.repeat(10_000),
    huge,
    ' '.repeat(MAX_VECTOR_LENGTH + 1),
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Ｈ',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H\u0000',
    'CVSS:3.1/\u202eAV:N',
    '\ud800CVSS:3.1/AV:N',
    'CVSS:3.1/__proto__:x',
    'CVSS:3.1/constructor:N',
    'CVSS:3.1/toString:N/AC:L',
    '/'.repeat(500),
    ':'.repeat(500),
    'CVSS:'.repeat(100),
    '((((AV:N))))',
    `${'a:b/'.repeat(127)}a:b`,
  ];
  for (const input of hostile) {
    let r: ReturnType<typeof parseCvss> | undefined;
    assert.doesNotThrow(() => {
      r = parseCvss(input as string);
    }, String(typeof input));
    assert.equal(r?.ok, false, `${String(typeof input)} ${typeof input === 'string' ? input.slice(0, 40) : ''} should be rejected`);
  }
  const long = parseCvss('x'.repeat(10_000));
  assert.equal(long.ok, false);
  if (!long.ok) assert.equal(long.error, `vector is 10000 characters long; at most ${MAX_VECTOR_LENGTH} are accepted`);
  const nul = parseCvss(null as unknown as string);
  assert.deepEqual(nul, { ok: false, error: 'vector must be a string, got null' });
  // Untrusted text is quoted, escaped and cut short in messages.
  const ctl = parseCvss(`CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:${'\u0001'.repeat(100)}`);
  assert.equal(ctl.ok, false);
  if (!ctl.ok) {
    assert.ok(!ctl.error.includes('\u0001'), ctl.error);
    assert.ok(ctl.error.length < 200, ctl.error);
  }
  // A vector at the cap is still looked at.
  const padded = `${V31}${' '.repeat(MAX_VECTOR_LENGTH - V31.length)}`;
  assert.equal(padded.length, MAX_VECTOR_LENGTH);
  assert.equal(parseCvss(padded).ok, true);
});

test('metrics hold exactly what the vector lists, on a plain object', () => {
  const r = parseCvss(`${V31}/E:X/MS:C`);
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.value.metrics), ['AV', 'AC', 'PR', 'UI', 'S', 'C', 'I', 'A', 'E', 'MS']);
  assert.equal(r.value.metrics.E, 'X');
  assert.equal(r.value.metrics.RL, undefined);
});
