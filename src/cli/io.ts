import { ConfigError, VigilError } from '../core/errors.js';

/** Exit codes, the contract with scripts and CI pipelines. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

let checkFailed = false;

/** A command whose check or gate ran and failed calls this: the CLI then exits 1. */
export function markCheckFailed(): void {
  checkFailed = true;
}

/** Reads and clears the flag (runCli calls it once per run). */
export function takeCheckFailed(): boolean {
  const v = checkFailed;
  checkFailed = false;
  return v;
}

/** An error the CLI reports as a usage or input problem (exit 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Exit code for an error. Only a check or gate that ran and failed exits 1 (the command sets
 * that itself); anything that kept the command from running (bad usage, bad input, bad
 * configuration, an unreachable database) exits 2, so a pipeline never mistakes a broken run
 * for a failed gate, or a failed gate for success.
 */
export function exitCodeFor(_err: unknown): number {
  return EXIT.usage;
}

export function isExpected(err: unknown): boolean {
  return err instanceof UsageError || err instanceof ConfigError || (err instanceof VigilError && err.status < 500);
}

export function printError(err: unknown): void {
  const msg = err instanceof Error ? err.message : String(err);
  console.error(`vigil: ${isExpected(err) ? '' : 'error: '}${msg}`);
}
