import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workerExecArgv } from './threads.js';

test('workerExecArgv: preloads and loaders are left out, in either spelling; other options are kept in order', () => {
  assert.deepEqual(workerExecArgv([]), []);
  assert.deepEqual(workerExecArgv(['--import', 'tsx']), []);
  assert.deepEqual(workerExecArgv(['--enable-source-maps', '--import=tsx', '--require', './apm.cjs', '-r', 'x', '--conditions=dev']), ['--enable-source-maps', '--conditions=dev']);
  assert.deepEqual(workerExecArgv(['--loader', 'ts-node/esm', '--experimental-loader=./h.mjs', '--trace-warnings']), ['--trace-warnings']);
  // Options whose names merely contain theirs are kept.
  assert.deepEqual(workerExecArgv(['--experimental-import-meta-resolve', '--experimental-require-module']), ['--experimental-import-meta-resolve', '--experimental-require-module']);
  // A preload at the very end without its value does not swallow anything else.
  assert.deepEqual(workerExecArgv(['--stack-trace-limit=50', '--import']), ['--stack-trace-limit=50']);
});
