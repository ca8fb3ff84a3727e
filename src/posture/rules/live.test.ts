/**
 * The cloud rules on collected data (issue 7, section 2): how many each provider has against
 * the floor, and that every one tells how to fix a live finding (a provider CLI
 * command and console steps), since a live finding has no source file to patch.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_RULES } from './registry.js';

const FLOOR = { aws: 150, azure: 60, gcp: 60 } as const;

for (const [provider, floor] of Object.entries(FLOOR)) {
  test(`${provider}: at least ${floor} rules check collected ${provider} data, each with a CLI fix and console steps`, (t) => {
    const live = BUILTIN_RULES.filter((r) => r.kinds.some((k) => k.startsWith(`${provider}:`)));
    t.diagnostic(`${provider}: ${live.length} rules on collected data (floor ${floor})`);
    assert.ok(live.length >= floor, `${live.length} < ${floor}`);
    const noCli = live.filter((r) => !r.fix?.cli).map((r) => r.id);
    const noConsole = live.filter((r) => !r.fix?.console).map((r) => r.id);
    assert.deepEqual(noCli, [], 'rules without a CLI fix');
    assert.deepEqual(noConsole, [], 'rules without console steps');
    // The provider's CLI, or (for what only the console can do, such as the root user's MFA) a
    // comment saying so.
    const cli = provider === 'aws' ? /\baws\s/ : provider === 'azure' ? /\baz\s/ : /\bgcloud\s|\bgsutil\s|\bbq\s/;
    for (const r of live) assert.ok(cli.test(r.fix!.cli!) || r.fix!.cli!.startsWith('# '), `${r.id}: the CLI fix uses the ${provider} CLI or says why there is none: ${r.fix!.cli!}`);
  });
}

test('every rule has a fix for each input it reads (issue 7, section 4: every finding with its fix)', () => {
  const FIX_OF = { k8s: 'kubernetes', tf: 'terraform', cfn: 'cloudformation', docker: 'dockerfile', aws: 'cli', azure: 'cli', gcp: 'cli' } as const;
  const missing: string[] = [];
  for (const r of BUILTIN_RULES) {
    for (const family of new Set(r.kinds.map((k) => k.slice(0, k.indexOf(':'))))) {
      const key = FIX_OF[family as keyof typeof FIX_OF];
      if (key !== undefined && !r.fix?.[key]) missing.push(`${r.id} (${key})`);
    }
  }
  assert.deepEqual(missing, []);
});
