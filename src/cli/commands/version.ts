import type { Command } from 'commander';
import { VERSION } from '../../version.js';

export function registerVersion(program: Command): void {
  program
    .command('version')
    .description('Print the version')
    .option('--json', 'as JSON')
    .action((opts: { json?: boolean }) => {
      console.log(opts.json ? JSON.stringify({ version: VERSION, node: process.versions.node }) : VERSION);
    });
}
