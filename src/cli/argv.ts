// What the CLI entry needs to know before it imports the program (and with it fastify, pg):
// which command runs. Kept free of imports so that looking costs nothing.

/** Global options that take a value (`--data-dir DIR`); argv.test.ts keeps this list true. */
export const GLOBAL_VALUE_OPTIONS: readonly string[] = ['-c', '--config', '--data-dir', '--database-url', '--log-level'];

/** Long-running commands, traced when an OTLP endpoint is configured. */
export const TRACED_COMMANDS: readonly string[] = ['serve', 'worker'];

/** The command name in `argv` (without node and script), skipping global options; undefined if none. */
export function commandOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return argv[i + 1];
    if (!a.startsWith('-') || a === '-') return a;
    if (GLOBAL_VALUE_OPTIONS.includes(a)) i++;
  }
  return undefined;
}

export const isTracedCommand = (argv: readonly string[]): boolean => TRACED_COMMANDS.includes(commandOf(argv) ?? '');
