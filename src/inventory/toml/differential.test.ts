/**
 * The hand-written TOML parser against smol-toml (the library it replaces in the lockfile
 * readers): every TOML file in the shared test data, corrupted copies of them, generated
 * documents that exercise every value type, key form and table rule (valid and invalid), and
 * hostile input. Both must accept the same documents with the same values and refuse the same
 * ones, on the same line. Known, intended differences are listed in parse.test.ts.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../test/helpers/shared.js';
import { assertSame, randomDocument, rng, smol } from './__fixtures__/differential.js';

const DATA = sharedData();
const TOML_NAME = /\.(toml|lock)$/;

function tomlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...tomlFiles(p));
    else if (TOML_NAME.test(e) && st.size < 16 * 1024 * 1024) out.push(p);
  }
  return out;
}

test('every .toml and .lock file in the shared data parses the same (TOML ones) or is refused by both', { skip: DATA ? false : skipMessage('(the whole folder)') }, (t) => {
  let parsed = 0;
  let refused = 0;
  for (const file of tomlFiles(DATA!)) {
    const text = readFileSync(file, 'utf8');
    // Files that are not TOML (yarn.lock, conan.lock …) are refused by both, maybe at different lines.
    assertSame(text, file, true);
    if (smol(text).ok) parsed++;
    else refused++;
  }
  t.diagnostic(`${parsed} TOML files parsed identically; ${refused} other .lock files refused by both`);
  assert.ok(parsed >= 20, `expected the shared data to hold TOML lockfiles, found ${parsed}`);
});

test('corrupted copies of the shared TOML files: same verdict, same values', { skip: DATA ? false : skipMessage('(the whole folder)') }, () => {
  const random = rng(7);
  const files = tomlFiles(DATA!)
    .map((f) => readFileSync(f, 'utf8'))
    .filter((text) => smol(text).ok && text.length < 300_000);
  const junk = ['"', "'", '[', ']', '{', '}', '=', ',', '.', '#', '\n', '\r', '\t', ' ', '\\', '0', 'x', '\u0000', '"""', "'''", '[[', ']]', '\r\n'];
  let cases = 0;
  for (const text of files) {
    for (let i = 0; i < 40; i++) {
      const at = Math.floor(random() * text.length);
      const kind = Math.floor(random() * 4);
      const piece = junk[Math.floor(random() * junk.length)]!;
      const mutated =
        kind === 0 ? text.slice(0, at) : kind === 1 ? text.slice(0, at) + text.slice(at + 1 + Math.floor(random() * 8)) : kind === 2 ? text.slice(0, at) + piece + text.slice(at) : text.slice(0, at) + text.slice(at, at + 60) + text.slice(at);
      assertSame(mutated, `corrupted (${kind}) at ${at}`);
      cases++;
    }
  }
  assert.ok(cases > 0);
});

test('generated documents: the same verdict, values and error lines', () => {
  const random = rng(20261123);
  let accepted = 0;
  const N = 6000;
  for (let i = 0; i < N; i++) {
    const doc = randomDocument(random);
    if (/1979-13-01|24:00:00/.test(doc)) continue; // dates both refuse, maybe at a different point
    assertSame(doc, `generated #${i}`);
    if (smol(doc).ok) accepted++;
  }
  // Both kinds must be well represented for the comparison to mean something.
  assert.ok(accepted > N * 0.15 && accepted < N * 0.85, `accepted ${accepted} of ${N}`);
});

test('hostile input: deep nesting, long runs and huge numbers are refused or read alike, in linear time', () => {
  const started = performance.now();
  for (const [label, text] of [
    ['deep arrays', `a = ${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['deep inline tables', `a = ${'{b='.repeat(3000)}1${'}'.repeat(3000)}`],
    ['deep at the limit', `a = ${'['.repeat(1000)}${']'.repeat(1000)}`],
    ['long dotted key', `${Array.from({ length: 2000 }, (_, i) => `k${i}`).join('.')} = 1`],
    ['long header', `[${Array.from({ length: 2000 }, (_, i) => `k${i}`).join('.')}]`],
    ['long string', `a = "${'x'.repeat(1_000_000)}"`],
    ['unterminated string', `a = "${'x'.repeat(1_000_000)}`],
    ['unterminated multiline', `a = """${'x\n'.repeat(200_000)}`],
    ['many escapes', `a = "${'\\n'.repeat(200_000)}"`],
    ['huge integer', `a = ${'9'.repeat(10_000)}`],
    ['huge float', `a = 1.${'9'.repeat(10_000)}e${'9'.repeat(400)}`],
    ['many tables', Array.from({ length: 20_000 }, (_, i) => `[[package]]\nname = "p${i}"\n`).join('')],
    ['redefinition at the end', `${Array.from({ length: 20_000 }, (_, i) => `k${i} = ${i}`).join('\n')}\nk0 = 1\n`],
    ['prototype keys', '__proto__ = 1\nconstructor = 2\n[__proto__.x]\n[toString]\nvalueOf = { __proto__ = 3 }\n'],
    ['NUL and control characters', 'a = "\u0000"\nb = "\u001f"\n# \u0000\n'],
    ['lone CR', 'a = 1\rb = 2\n'],
  ] as const) {
    assertSame(text, label, label === 'deep arrays' || label === 'deep inline tables');
  }
  assert.ok(performance.now() - started < 10_000, 'hostile input took too long');
});
