import type { Command } from 'commander';
import { createContext, type AppContext } from '../app/context.js';
import { loadConfig, type Config, type RawSettings } from '../config/config.js';

/** Global options every command accepts. */
export interface GlobalOptions {
  config?: string;
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
}

export function globalFlags(cmd: Command): RawSettings {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  return { dataDir: o.dataDir, databaseUrl: o.databaseUrl, logLevel: o.logLevel };
}

export async function configFor(cmd: Command, flags: RawSettings = {}): Promise<Config> {
  const o = cmd.optsWithGlobals<GlobalOptions>();
  return loadConfig({ ...globalFlags(cmd), ...flags }, o.config);
}

/** Opens the database (migrating it) and runs fn with the context, closing it afterwards. */
export async function withContext<T>(cmd: Command, fn: (ctx: AppContext) => Promise<T>, flags: RawSettings = {}): Promise<T> {
  // One-shot commands log warnings only, unless a level was asked for.
  const quiet = cmd.optsWithGlobals<GlobalOptions>().logLevel === undefined && !process.env['VIGIL_LOG_LEVEL'] ? { logLevel: 'warn' } : {};
  const config = await configFor(cmd, { ...quiet, ...flags });
  const ctx = await createContext(config, { defaultMetrics: false });
  try {
    return await fn(ctx);
  } finally {
    await ctx.db.close();
  }
}
