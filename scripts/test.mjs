#!/usr/bin/env node
// Runs the node:test suites written in TypeScript (through tsx). Node 20's `--test` does not
// expand globs, so this script finds the files. Usage:
//   node scripts/test.mjs [unit|integration|all|e2e] [extra node --test flags]
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const which = process.argv[2] && !process.argv[2].startsWith('-') ? process.argv[2] : 'all';
const extra = process.argv.slice(which === process.argv[2] ? 3 : 2);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

// The browser suite (test/e2e) runs only as `e2e` (npm run test:e2e), which fails without Chromium.
const E2E = join('test', 'e2e');
if (which === 'e2e') {
  const chromium = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromium)) {
    console.error(`${chromium} is absent: the e2e suite needs Debian's Chromium (apt-get install chromium)`);
    process.exit(1);
  }
}
const files = (
  which === 'e2e'
    ? walk(E2E)
    : [...(which === 'integration' ? [] : walk('src')), ...(which === 'unit' ? [] : walk('test').filter((f) => !f.startsWith(E2E)))]
).sort();
if (files.length === 0) {
  console.error(`no test files found for "${which}"`);
  process.exit(2);
}
const res = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...extra, ...files], {
  stdio: 'inherit',
  env: { ...process.env, VIGIL_LOG_LEVEL: process.env.VIGIL_LOG_LEVEL ?? 'silent' },
});
process.exit(res.status ?? 1);
