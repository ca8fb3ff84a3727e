import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../core/errors.js';
import { SETTINGS, type SettingKey } from './settings.js';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly databasePoolSize: number;
  readonly adminEmail: string | undefined;
  readonly adminPassword: string | undefined;
  readonly jwtSecret: string | undefined;
  readonly accessTokenTtl: number;
  readonly refreshTokenTtl: number;
  readonly cookieSecure: boolean;
  readonly trustProxy: boolean;
  readonly corsOrigins: readonly string[];
  readonly bodyLimit: number;
  readonly rateLimit: number;
  readonly loginMaxFailures: number;
  readonly loginLockout: number;
  readonly workerConcurrency: number;
  readonly bus: 'memory' | 'postgres';
  readonly objectsDir: string | undefined;
  readonly uploadLimit: number;
  readonly s3Bucket: string | undefined;
  readonly s3Prefix: string;
  readonly s3Region: string;
  readonly s3Endpoint: string | undefined;
  readonly cveReleasesUrl: string;
  readonly githubToken: string | undefined;
  readonly osvUrl: string;
  readonly osvEcosystems: readonly string[];
  readonly nvdUrl: string;
  readonly nvdApiKey: string | undefined;
  readonly kevUrl: string;
  readonly epssUrl: string;
  readonly feedMaxDownload: number;
  readonly feedSyncCron: string | undefined;
  readonly feedSyncOnline: boolean;
  readonly postureCollect: boolean;
  readonly postureSnapshotDir: string | undefined;
  readonly postureMaxScans: number;
  readonly serverUrl: string;
  readonly apiKey: string | undefined;
  readonly demo: boolean;
  readonly demoData: string | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
}

export type RawSettings = Partial<Record<SettingKey, unknown>>;

export interface ConfigSources {
  /** Values from command-line flags (highest precedence). */
  readonly flags?: RawSettings;
  /** The process environment. */
  readonly env?: NodeJS.ProcessEnv;
  /** Parsed `vigil.yaml` (lowest precedence). */
  readonly file?: { readonly path: string; readonly values: unknown };
}

/**
 * Resolves configuration with precedence flags > env > file > defaults, validating each
 * value and naming the key (and where it came from) when one is wrong.
 */
export function resolveConfig(sources: ConfigSources): Config {
  const fileValues = checkFile(sources.file);
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(SETTINGS) as [SettingKey, (typeof SETTINGS)[SettingKey]][]) {
    const candidates: [string, unknown][] = [
      [`--${kebab(key)}`, sources.flags?.[key]],
      [spec.env, emptyToUndefined(sources.env?.[spec.env])],
      [`${sources.file?.path ?? 'vigil.yaml'}: ${key}`, fileValues[key]],
      ['default', 'default' in spec ? spec.default : undefined],
    ];
    const found = candidates.find(([, v]) => v !== undefined);
    if (!found) {
      out[key] = undefined;
      continue;
    }
    const [origin, raw] = found;
    const parsed = spec.schema.safeParse(raw);
    if (!parsed.success) {
      const why = parsed.error.issues.map((i) => i.message).join('; ');
      throw new ConfigError(origin === 'default' ? key : origin, `invalid value${'secret' in spec ? '' : ` ${JSON.stringify(raw)}`}: ${why}`);
    }
    out[key] = parsed.data;
  }
  const origins = (typeof out['corsOrigins'] === 'string' ? out['corsOrigins'] : '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return { ...(out as Omit<Config, 'corsOrigins'>), corsOrigins: origins };
}

function checkFile(file: ConfigSources['file']): RawSettings {
  if (!file || file.values === null || file.values === undefined) return {};
  if (typeof file.values !== 'object' || Array.isArray(file.values)) {
    throw new ConfigError(file.path, 'expected a mapping of setting names to values');
  }
  const values = file.values as Record<string, unknown>;
  for (const key of Object.keys(values)) {
    if (!(key in SETTINGS)) {
      throw new ConfigError(`${file.path}: ${key}`, `unknown setting; known: ${Object.keys(SETTINGS).join(', ')}`);
    }
  }
  return values;
}

/** Reads `vigil.yaml` (or the given path). A missing default file is not an error. */
export async function loadConfigFile(path: string | undefined): Promise<ConfigSources['file']> {
  const target = path ?? 'vigil.yaml';
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (err) {
    if (path === undefined && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(target, `cannot read config file: ${(err as Error).message}`);
  }
  try {
    return { path: target, values: parseYaml(text, { maxAliasCount: 100 }) as unknown };
  } catch (err) {
    throw new ConfigError(target, `not valid YAML: ${(err as Error).message}`);
  }
}

export async function loadConfig(flags: RawSettings = {}, configPath?: string, env = process.env): Promise<Config> {
  const file = await loadConfigFile(configPath ?? emptyToUndefined(env['VIGIL_CONFIG']));
  return resolveConfig({ flags, env, ...(file ? { file } : {}) });
}

function kebab(s: string): string {
  return s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function emptyToUndefined(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

