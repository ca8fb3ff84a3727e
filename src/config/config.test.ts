import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../core/errors.js';
import { resolveConfig } from './config.js';
import { SETTINGS } from './settings.js';

test('defaults', () => {
  const c = resolveConfig({ env: {} });
  assert.equal(c.port, 8080);
  assert.equal(c.dataDir, './.vigil');
  assert.equal(c.databaseUrl, undefined);
  assert.deepEqual(c.corsOrigins, []);
  assert.equal(c.cookieSecure, false);
});

test('precedence: flags > env > file > default', () => {
  const file = { path: 'vigil.yaml', values: { port: 1111, dataDir: '/from/file', logLevel: 'debug' } };
  const c = resolveConfig({ flags: { port: '3333' }, env: { PORT: '2222', VIGIL_DATA_DIR: '/from/env' }, file });
  assert.equal(c.port, 3333);
  assert.equal(c.dataDir, '/from/env');
  assert.equal(c.logLevel, 'debug');
  assert.equal(resolveConfig({ env: { PORT: '2222' }, file }).port, 2222);
  assert.equal(resolveConfig({ env: {}, file }).port, 1111);
});

test('bad values name the key and where they came from', () => {
  assert.throws(() => resolveConfig({ env: { PORT: 'eighty' } }), (e: unknown) => e instanceof ConfigError && e.key === 'PORT');
  assert.throws(() => resolveConfig({ env: {}, file: { path: 'vigil.yaml', values: { port: 70000 } } }), (e: unknown) => e instanceof ConfigError && e.key === 'vigil.yaml: port');
  assert.throws(() => resolveConfig({ flags: { logLevel: 'loud' }, env: {} }), (e: unknown) => e instanceof ConfigError && e.key === '--log-level');
  assert.throws(() => resolveConfig({ env: { DATABASE_URL: 'mysql://x' } }), /DATABASE_URL/);
});

test('secrets are not echoed in errors', () => {
  assert.throws(() => resolveConfig({ env: { VIGIL_ADMIN_PASSWORD: 'short' } }), (e: unknown) => e instanceof ConfigError && !e.message.includes('short'));
});

test('unknown keys in the file are refused by name', () => {
  assert.throws(() => resolveConfig({ env: {}, file: { path: 'v.yaml', values: { prot: 80 } } }), (e: unknown) => e instanceof ConfigError && e.key === 'v.yaml: prot');
  assert.throws(() => resolveConfig({ env: {}, file: { path: 'v.yaml', values: ['a'] } }), /mapping/);
});

test('empty environment values count as unset', () => {
  assert.equal(resolveConfig({ env: { PORT: '' } }).port, 8080);
});

test('booleans and lists parse', () => {
  const c = resolveConfig({ env: { VIGIL_COOKIE_SECURE: 'true', VIGIL_CORS_ORIGINS: 'https://a.example, https://b.example' } });
  assert.equal(c.cookieSecure, true);
  assert.deepEqual(c.corsOrigins, ['https://a.example', 'https://b.example']);
});

test('the README configuration table lists every setting', () => {
  let readme: string;
  try {
    readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  } catch {
    assert.fail('README.md is missing');
  }
  for (const [key, spec] of Object.entries(SETTINGS)) {
    assert.ok(readme.includes(`\`${spec.env}\``), `README lacks ${spec.env}`);
    assert.ok(readme.includes(`\`${key}\``), `README lacks the vigil.yaml key ${key}`);
  }
});
