/**
 * The evaluator against Terraform itself: every expression of __fixtures__/expressions.ts is
 * given to `terraform console` (no provider needed) and must have the value the table says,
 * which eval.test.ts checks our evaluator gives. Skipped when terraform is not installed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CONTEXT, EXPRESSIONS } from './__fixtures__/expressions.js';

function terraformAvailable(): boolean {
  try {
    execFileSync('terraform', ['version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

test('terraform console gives every expression the value in the table', { timeout: 120_000 }, (t) => {
  if (!terraformAvailable()) return t.skip('terraform is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'vigil-tf-console-'));
  try {
    // The console needs a value for every variable.
    writeFileSync(join(dir, 'main.tf'), CONTEXT.replace('variable "unset" {}', 'variable "unset" { default = null }'));
    // One expression: the console prints only the last of several input lines.
    const input = `jsonencode([${EXPRESSIONS.map(([e]) => `(${e})`).join(', ')}])\n`;
    let out: string;
    try {
      out = execFileSync('terraform', ['console'], {
        cwd: dir,
        input,
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', CHECKPOINT_DISABLE: '1' },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
    } catch (err: unknown) {
      return t.skip(`terraform console failed here: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    const values = JSON.parse(JSON.parse(out.trim()) as string) as unknown[];
    assert.equal(values.length, EXPRESSIONS.length);
    EXPRESSIONS.forEach(([expr, expected], i) => assert.deepEqual(values[i], expected, expr));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
