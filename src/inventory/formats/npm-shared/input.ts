import type { JsonLimits } from '../../../core/json-input.js';
import { readJsonText } from '../../json.js';
import type { YamlLimits } from '../../../core/yaml-input.js';
import type { ReaderInput } from '../../reader.js';
import type { DepKind } from './graph.js';
import { dirOf, joinPath } from './spec.js';

/** Limits for lockfiles: big monorepo lockfiles reach tens of MB; npm v1 trees nest deeply. */
export const LOCK_JSON_LIMITS: JsonLimits = { maxBytes: 256 * 1024 * 1024, maxDepth: 512 };
export const LOCK_YAML_LIMITS: YamlLimits = { maxBytes: 256 * 1024 * 1024, maxDepth: 64, maxAliases: 1000 };
const MANIFEST_LIMITS: JsonLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 64 };

export type TextJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** The JSON guards of ../../json.ts (size, nesting depth), as a value or a reason. */
export function parseJsonText(text: string, limits: JsonLimits = LOCK_JSON_LIMITS): TextJson {
  const r = readJsonText(text, limits);
  return r.ok ? r : { ok: false, reason: r.problem.reason };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** YAML lockfiles carry booleans as `true` (YAML reader) or `'true'` (string-only reader). */
export const isTrue = (v: unknown): boolean => v === true || v === 'true';

/** A scalar as text: strings as they are, numbers and booleans as written by String(). */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/** One dependency a package.json lists. */
export interface ManifestDep {
  readonly name: string;
  readonly range: string;
  readonly kind: DepKind;
}

export interface Manifest {
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  readonly deps: readonly ManifestDep[];
  /** `workspaces` patterns (array form or `{ packages: [...] }`). */
  readonly workspaces: readonly string[];
  /** Yarn `resolutions` (npm `overrides` are already applied in npm lockfiles), as written. */
  readonly resolutions: ReadonlyMap<string, string>;
}

const FIELDS: readonly [string, DepKind][] = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
  ['devDependencies', 'dev'],
];

/** The dependency maps of a package.json-shaped object (also npm's `packages[""]`, bun's workspaces). */
export function manifestDeps(value: Record<string, unknown>, kinds: readonly DepKind[] = ['prod', 'optional', 'peer', 'dev']): ManifestDep[] {
  const out: ManifestDep[] = [];
  const seen = new Set<string>();
  for (const [field, kind] of FIELDS) {
    if (!kinds.includes(kind)) continue;
    const map = value[field];
    if (!isRecord(map)) continue;
    for (const [name, range] of Object.entries(map)) {
      // npm installs a name once: an optional dependency also listed as a dependency is that one.
      if (seen.has(name)) continue;
      seen.add(name);
      out.push({ name, range: text(range) ?? '', kind });
    }
  }
  return out;
}

/**
 * The package.json in `dir` (relative to the scan root), read through the walker's
 * `readFile`; undefined when absent, unreadable or not a JSON object.
 */
export function readManifest(input: ReaderInput, dir: string): Manifest | undefined {
  const raw = input.readFile?.(dir === '' ? 'package.json' : `${dir}/package.json`);
  if (raw === undefined) return undefined;
  const parsed = parseJsonText(raw, MANIFEST_LIMITS);
  if (!parsed.ok || !isRecord(parsed.value)) return undefined;
  const v = parsed.value;
  const ws = v['workspaces'];
  const patterns = Array.isArray(ws) ? ws : isRecord(ws) && Array.isArray(ws['packages']) ? ws['packages'] : [];
  const resolutions = new Map<string, string>();
  if (isRecord(v['resolutions'])) for (const [k, r] of Object.entries(v['resolutions'])) if (typeof r === 'string') resolutions.set(k, r);
  return {
    name: text(v['name']),
    version: text(v['version']),
    deps: manifestDeps(v),
    workspaces: patterns.filter((p): p is string => typeof p === 'string'),
    resolutions,
  };
}

/** The package.json beside the lockfile at `lockPath`. */
export function readSiblingManifest(input: ReaderInput): Manifest | undefined {
  return readManifest(input, dirOf(input.path));
}

/** The package.json of a workspace folder given relative to the lockfile's folder. */
export function readWorkspaceManifest(input: ReaderInput, workspacePath: string): Manifest | undefined {
  return readManifest(input, joinPath(dirOf(input.path), workspacePath));
}
