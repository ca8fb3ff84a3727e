// Every vector of Red Hat's `cvss` test corpus (shared/data/cvss/redhat-cvss-vectors) must
// score exactly as Red Hat's library does. Lines are `vector - (base, temporal, environmental)`
// for v2/v3 (temporal and environmental may be None) and `vector - (score,)` or
// `vector - score` for v4, where the score is CVSS-BTE of the vector as given.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { scoreCvss } from './index.js';

/** VIGIL_SHARED_DATA, else shared/data beside the repository (test/helpers/shared.ts). */
const CORPUS = sharedData('cvss', 'redhat-cvss-vectors');

type Expected = readonly (number | null)[];

/** `(5, 3.5, None)`, `(9.2,)` or `0.0` → numbers, null for None; undefined if malformed. */
function parseExpected(text: string): Expected | undefined {
  const inner = text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
  const parts = inner.split(',').map((p) => p.trim());
  if (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  const values = parts.map((p) => (p === 'None' ? null : p !== '' && Number.isFinite(Number(p)) ? Number(p) : undefined));
  if (values.length !== 1 && values.length !== 3) return undefined;
  return values.every((v) => v !== undefined) ? values : undefined;
}

/** One decimal, -0 as 0, null kept. */
function oneDecimal(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10 + 0;
}

function checkLine(line: string): string | undefined {
  const cut = line.lastIndexOf(' - ');
  const expected = cut === -1 ? undefined : parseExpected(line.slice(cut + 3).trim());
  if (expected === undefined) return `unreadable line: ${line}`;
  const vector = line.slice(0, cut);
  const r = scoreCvss(vector);
  if (!r.ok) return `${vector}: rejected: ${r.error}`;
  const { baseScore, temporalScore, environmentalScore, score } = r.value;
  const got = expected.length === 1 ? [score] : [baseScore, temporalScore, environmentalScore];
  const same = expected.every((e, i) => oneDecimal(e) === oneDecimal(got[i] ?? null));
  if (same) return undefined;
  return `${vector}: expected ${JSON.stringify(expected.map(oneDecimal))}, got ${JSON.stringify(got)}`;
}

test('Red Hat cvss corpus scores exactly', async (t) => {
  if (CORPUS === undefined) {
    t.skip(skipMessage('cvss/redhat-cvss-vectors'));
    return;
  }
  const files = readdirSync(CORPUS).filter((f) => statSync(join(CORPUS, f)).isFile()).sort();
  assert.ok(files.length > 0, `no corpus files in ${CORPUS}`);
  let total = 0;
  for (const file of files) {
    await t.test(file, (st) => {
      const lines = readFileSync(join(CORPUS, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
      const mismatches = lines.map(checkLine).filter((m): m is string => m !== undefined);
      st.diagnostic(`${file}: ${lines.length} lines checked, ${mismatches.length} mismatches`);
      total += lines.length;
      assert.ok(lines.length > 0, `${file} is empty`);
      assert.deepEqual(mismatches.slice(0, 20), [], `${file}: ${mismatches.length} of ${lines.length} lines differ`);
    });
  }
  t.diagnostic(`${files.length} files, ${total} lines checked`);
});
