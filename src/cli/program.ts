import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerApiKey } from './commands/apikey.js';
import { registerAudit } from './commands/audit.js';
import { registerMigrate } from './commands/migrate.js';
import { registerServe } from './commands/serve.js';
import { registerTenant, registerUser } from './commands/user.js';
import { registerVersion } from './commands/version.js';
import { EXIT, exitCodeFor, printError } from './io.js';

/** Every command: add one `register...` line here. */
const COMMANDS: readonly ((program: Command) => void)[] = [
  registerServe,
  registerMigrate,
  registerUser,
  registerTenant,
  registerApiKey,
  registerAudit,
  registerVersion,
];

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Vigil: self-hosted security platform')
    .version(VERSION, '-V, --version')
    .option('-c, --config <file>', 'configuration file (env VIGIL_CONFIG, default ./vigil.yaml)')
    .option('--data-dir <dir>', 'embedded database directory (env VIGIL_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL server URL (env DATABASE_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env VIGIL_LOG_LEVEL)')
    .showHelpAfterError()
    .addHelpText('after', '\nExit codes: 0 ok; 1 a check or gate failed; 2 usage, input or runtime error.\nConfiguration precedence: flags > environment > vigil.yaml > defaults.');
  for (const register of COMMANDS) register(program);
  const exitOverride = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(exitOverride);
  };
  exitOverride(program);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; unknown options, missing arguments: usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    printError(err);
    return exitCodeFor(err);
  }
}
