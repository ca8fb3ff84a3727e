#!/usr/bin/env node
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2));
// `serve` and `worker` keep running: only set the code, let open handles decide when to exit.
process.exitCode = code;
