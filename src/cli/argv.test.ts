import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commandOf, GLOBAL_VALUE_OPTIONS, isTracedCommand, TRACED_COMMANDS } from './argv.js';
import { buildProgram } from './program.js';

test('commandOf finds the command after global options, with or without values', () => {
  const cases: [string[], string | undefined][] = [
    [['serve'], 'serve'],
    [['serve', '--port', '9000'], 'serve'],
    [['--data-dir', 'serve', 'migrate'], 'migrate'],
    [['-c', 'vigil.yaml', '--log-level', 'debug', 'worker'], 'worker'],
    [['--data-dir=/tmp/x', 'serve'], 'serve'],
    [['--database-url', 'postgres://u:p@h/db', 'user', 'create'], 'user'],
    [['--', 'serve'], 'serve'],
    [['--help'], undefined],
    [[], undefined],
  ];
  for (const [argv, want] of cases) assert.equal(commandOf(argv), want, argv.join(' '));
});

test('only long-running commands are traced', () => {
  assert.equal(isTracedCommand(['--data-dir', 'serve', 'serve']), true);
  assert.equal(isTracedCommand(['worker']), true);
  assert.equal(isTracedCommand(['--data-dir', 'serve', 'migrate']), false);
  assert.equal(isTracedCommand(['version']), false);
});

test('the lists match the program: every global option with a value, every traced command', () => {
  const program = buildProgram();
  const withValue = program.options.filter((o) => o.required || o.optional).flatMap((o) => [o.short, o.long].filter((f): f is string => f !== undefined));
  assert.deepEqual([...withValue].sort(), [...GLOBAL_VALUE_OPTIONS].sort());
  const names = program.commands.map((c) => c.name());
  for (const c of TRACED_COMMANDS) assert.ok(names.includes(c), `command ${c} exists`);
});
