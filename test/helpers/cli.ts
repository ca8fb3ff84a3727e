import { runCli } from '../../src/cli/program.js';

/** Runs the CLI in-process and captures what it writes to stdout and stderr. */
export async function runCaptured(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => void out.push(a.join(' '));
  console.error = (...a: unknown[]) => void err.push(a.join(' '));
  try {
    let raw = '';
    // Commander's writeOut: help text, and commands that stream (vigil sbom).
    const code = await runCli(args, { writeOut: (s) => void (raw += s), writeErr: (s) => void err.push(s) });
    return { code, out: raw + out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}
