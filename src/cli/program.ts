import { Command, CommanderError } from 'commander';
import { VERSION } from '../version.js';
import { registerAdvisory } from './commands/advisory.js';
import { registerApiKey } from './commands/apikey.js';
import { registerAudit } from './commands/audit.js';
import { registerDb } from './commands/db.js';
import { registerMigrate } from './commands/migrate.js';
import { registerPosture } from './commands/posture.js';
import { registerSbom } from './commands/sbom.js';
import { registerScan } from './commands/scan.js';
import { registerServe } from './commands/serve.js';
import { registerTenant, registerUser } from './commands/user.js';
import { registerVersion } from './commands/version.js';
import { registerWorker } from './commands/worker.js';
import { EXIT, exitCodeFor, printError, takeCheckFailed } from './io.js';

/** Every command: add one `register...` line here. */
const COMMANDS: readonly ((program: Command) => void)[] = [
  registerServe,
  registerWorker,
  registerMigrate,
  registerUser,
  registerTenant,
  registerApiKey,
  registerAudit,
  registerDb,
  registerAdvisory,
  registerSbom,
  registerScan,
  registerPosture,
  registerVersion,
];

export interface CliOutput {
  writeOut(s: string): void;
  writeErr(s: string): void;
}

export function buildProgram(output?: CliOutput): Command {
  const program = new Command('vigil')
    .description('Vigil: self-hosted security platform')
    .version(VERSION, '-V', 'output the version number (also: vigil --version)')
    .option('-c, --config <file>', 'configuration file (env VIGIL_CONFIG, default ./vigil.yaml)')
    .option('--data-dir <dir>', 'embedded database directory (env VIGIL_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL server URL (env DATABASE_URL)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env VIGIL_LOG_LEVEL)')
    .showHelpAfterError()
    .addHelpText('after', '\nExit codes: 0 ok; 1 a check or gate failed; 2 usage, input or runtime error.\nConfiguration precedence: flags > environment > vigil.yaml > defaults.');
  for (const register of COMMANDS) register(program);
  const configure = (cmd: Command) => {
    cmd.exitOverride();
    if (output) cmd.configureOutput(output);
    cmd.commands.forEach(configure);
  };
  configure(program);
  return program;
}

/** Runs the CLI; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], output?: CliOutput): Promise<number> {
  const program = buildProgram(output);
  // `--version` alone prints the version; elsewhere it is free for commands
  // (`vigil sbom --upload --project NAME --version V`).
  const args = argv.length === 1 && argv[0] === '--version' ? ['-V'] : [...argv];
  try {
    await program.parseAsync(args, { from: 'user' });
    return takeCheckFailed() ? EXIT.failed : EXIT.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version exit 0; unknown options, missing arguments: usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    takeCheckFailed();
    printError(err);
    return exitCodeFor(err);
  }
}
