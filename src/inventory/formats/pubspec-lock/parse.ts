/**
 * Dart / Flutter `pubspec.lock`, YAML read with the core `readYamlText` guards. Each entry of
 * `packages` is a package named by its key: `dependency: "direct main"` → direct prod,
 * `"direct dev"` → direct dev (group `dev`, as osv-scanner reports it), `"direct overridden"`
 * → direct, `transitive` → transitive. The commit of a git source is its `resolved-ref`;
 * hosted packages carry the archive's `sha256` (pub 3+). Path and SDK packages are kept (as
 * osv-scanner does) and marked with their source.
 */
import { readYamlText, type YamlLimits } from '../../../core/yaml-input.js';
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';

export const PUBSPEC_LOCK_READER_ID = 'pubspec-lock';
const ECOSYSTEM = 'Pub';
const LIMITS: YamlLimits = { maxBytes: 8 * 1024 * 1024, maxDepth: 32, maxAliases: 100 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

export function parsePubspecLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const fatal = (message: string): ReadResult => ({ packages: [], edges: [], problems: [{ location: { file: path }, reader: PUBSPEC_LOCK_READER_ID, message, severity: 'error' }] });
  // An empty lock (pub writes one for a package without dependencies) holds nothing.
  if (text.trim() === '') return { packages: [], edges: [], problems };
  const yaml = readYamlText(text, LIMITS);
  if (!yaml.ok) return fatal(`could not read pubspec.lock: ${yaml.problem.reason}`);
  const doc = yaml.value;
  if (doc === null || doc === undefined) return { packages: [], edges: [], problems };
  if (!isRecord(doc)) return fatal('not a pubspec.lock: the document is not a mapping with a `packages` key');
  const entries = doc['packages'] ?? {};
  if (!isRecord(entries)) return fatal('not a pubspec.lock: `packages` is not a mapping');

  // Package keys sit at one or two spaces of indentation, in document order.
  const lines = new LineIndex(text);
  let cursor = 0;
  let misses = 0;
  const lineOf = (name: string): number | undefined => {
    if (misses > 50) return undefined;
    for (let hit = lines.find(`${name}:`, cursor); hit; hit = lines.find(`${name}:`, hit.offset + 1)) {
      const prefix = text.slice(text.lastIndexOf('\n', hit.offset - 1) + 1, hit.offset);
      if (/^ {1,2}["']?$/.test(prefix)) {
        cursor = hit.offset + 1;
        return hit.line;
      }
    }
    misses++;
    return undefined;
  };

  const ids = new PackageIds();
  const packages: Package[] = [];
  const edges: Edge[] = [];
  for (const name of Object.keys(entries)) {
    const entry = entries[name];
    const line = lineOf(name);
    if (!isRecord(entry)) {
      problems.push({ location: { file: path, line }, reader: PUBSPEC_LOCK_READER_ID, message: `packages.${name} is not a mapping: skipped`, severity: 'warning' });
      continue;
    }
    const version = str(entry['version']) ?? '';
    const dependency = str(entry['dependency']) ?? '';
    const source = str(entry['source']);
    const description = entry['description'];
    const commit = isRecord(description) ? str(description['resolved-ref']) : undefined;
    const sha256 = isRecord(description) ? str(description['sha256']) : undefined;
    const direct = dependency.startsWith('direct');
    const dev = dependency === 'direct dev';
    let p: string;
    try {
      p = purl('pub', undefined, name, version);
    } catch {
      p = purl('generic', undefined, name, version);
    }
    const properties: Record<string, string> = {};
    if (source) properties['pub:source'] = source;
    if (dependency) properties['pub:dependency'] = dependency;
    const id = ids.next(p);
    packages.push({
      id,
      name,
      version,
      ecosystem: ECOSYSTEM,
      purl: p,
      ...(dependency ? { direct } : {}),
      ...(dependency === 'direct main' ? { scope: 'prod' as const } : dev ? { scope: 'dev' as const, groups: ['dev'] } : {}),
      location: { file: path, line },
      ...(commit ? { commit } : {}),
      ...(sha256 && /^[0-9a-f]{64}$/i.test(sha256) ? { hashes: [{ alg: 'SHA-256', content: sha256.toLowerCase() }] } : {}),
      properties,
    });
    if (direct) edges.push({ from: 'root', to: id });
  }
  return { packages, edges, problems };
}
