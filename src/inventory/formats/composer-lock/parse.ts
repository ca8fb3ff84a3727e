/**
 * PHP Composer `composer.lock` (JSON, read with the `readJsonText` guards of ../../json.ts,
 * entries checked with zod). `packages` are production dependencies, `packages-dev`
 * development ones (group `dev`, as osv-scanner reports them). The commit is the dist (else
 * source) reference, as osv-scanner takes it. When `composer.json` sits beside the lock (read
 * through `readFile`), its `require` / `require-dev` keys mark the direct dependencies;
 * without it `direct` stays unknown. Edges come from each entry's own `require`.
 */
import type { JsonLimits } from '../../../core/json-input.js';
import { readJsonText } from '../../json.js';
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';
import { composerLock, composerPackage, type ComposerPackage } from './schema.js';

export const COMPOSER_LOCK_READER_ID = 'composer-lock';
const ECOSYSTEM = 'Packagist';
const LIMITS: JsonLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 64 };
const MAX_LINE_MISSES = 50;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const siblingPath = (path: string, name: string): string => `${path.slice(0, path.lastIndexOf('/') + 1)}${name}`;

/** The names `composer.json` requires directly (lower-cased: Composer names are case-insensitive). */
function directNames(text: string | undefined): Set<string> | undefined {
  if (text === undefined) return undefined;
  const json = readJsonText(text, LIMITS);
  if (!json.ok || !isRecord(json.value)) return undefined;
  const names = new Set<string>();
  for (const key of ['require', 'require-dev']) {
    const req = json.value[key];
    if (isRecord(req)) for (const name of Object.keys(req)) names.add(name.toLowerCase());
  }
  return names;
}

/**
 * Finds `"name": "<value>"` at or after `from`, so each entry gets the line of its own name
 * (not of an earlier `require` mentioning it). Gives up after a few misses so a hostile file
 * cannot make this quadratic.
 */
function nameLocator(text: string): (name: string) => number | undefined {
  const lines = new LineIndex(text);
  let from = 0;
  let misses = 0;
  return (name) => {
    if (misses > MAX_LINE_MISSES) return undefined;
    const needle = JSON.stringify(name);
    for (let at = text.indexOf(needle, from); at !== -1; at = text.indexOf(needle, at + 1)) {
      let i = at - 1;
      while (i >= 0 && /\s/.test(text.charAt(i))) i--;
      if (text.charAt(i) !== ':') continue;
      i--;
      while (i >= 0 && /\s/.test(text.charAt(i))) i--;
      if (text.slice(i - 5, i + 1) !== '"name"') continue;
      from = at + needle.length;
      return lines.lineOf(at);
    }
    misses++;
    return undefined;
  };
}

export function parseComposerLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const fatal = (message: string): ReadResult => ({ packages: [], edges: [], problems: [{ location: { file: path }, reader: COMPOSER_LOCK_READER_ID, message, severity: 'error' }] });

  const json = readJsonText(text, LIMITS);
  if (!json.ok) return fatal(`could not read composer.lock: ${json.problem.reason}`);
  const lock = composerLock.safeParse(json.value);
  if (!lock.success) return fatal(`not a composer.lock: ${lock.error.issues[0]?.message ?? 'unexpected shape'} at /${lock.error.issues[0]?.path.join('/') ?? ''}`);

  const direct = directNames(input.readFile?.(siblingPath(path, 'composer.json')));
  const locate = nameLocator(text);
  const ids = new PackageIds();
  const packages: Package[] = [];
  const requires: string[][] = [];
  const byName = new Map<string, string>();

  const add = (entry: ComposerPackage, dev: boolean): void => {
    const name = entry.name;
    const slash = name.indexOf('/');
    let p: string;
    try {
      p = slash > 0 ? purl('composer', name.slice(0, slash), name.slice(slash + 1), entry.version) : purl('composer', undefined, name, entry.version);
    } catch {
      p = purl('composer', undefined, name, undefined);
    }
    const commit = entry.dist?.reference || entry.source?.reference || undefined;
    const shasum = entry.dist?.shasum;
    const id = ids.next(p);
    if (!byName.has(name.toLowerCase())) byName.set(name.toLowerCase(), id);
    requires.push(isRecord(entry.require) ? Object.keys(entry.require) : []);
    packages.push({
      id,
      name,
      version: entry.version,
      ecosystem: ECOSYSTEM,
      purl: p,
      ...(direct ? { direct: direct.has(name.toLowerCase()) } : {}),
      scope: dev ? 'dev' : 'prod',
      ...(dev ? { groups: ['dev'] } : {}),
      location: { file: path, line: locate(name) },
      ...(commit ? { commit } : {}),
      ...(shasum && /^[0-9a-f]{40}$/i.test(shasum) ? { hashes: [{ alg: 'SHA-1', content: shasum.toLowerCase() }] } : {}),
      ...(entry.license?.length ? { licenses: entry.license } : {}),
    });
  };

  for (const [key, dev] of [['packages', false], ['packages-dev', true]] as const) {
    (lock.data[key] ?? []).forEach((raw, i) => {
      const entry = composerPackage.safeParse(raw);
      if (entry.success) {
        add(entry.data, dev);
        return;
      }
      const issue = entry.error.issues[0];
      const name = isRecord(raw) && typeof raw['name'] === 'string' ? ` (${raw['name'].slice(0, 80)})` : '';
      problems.push({
        location: { file: path, line: name ? locate(String((raw as Record<string, unknown>)['name'])) : undefined },
        reader: COMPOSER_LOCK_READER_ID,
        message: `/${key}/${i}${name}: ${issue ? `${issue.path.join('.') || 'entry'}: ${issue.message}` : 'invalid entry'}: skipped`,
        severity: 'warning',
      });
    });
  }

  const edges: Edge[] = [];
  if (direct) for (const name of direct) {
    const to = byName.get(name);
    if (to) edges.push({ from: 'root', to });
  }
  packages.forEach((p, k) => {
    for (const dep of requires[k]!) {
      const to = byName.get(dep.toLowerCase());
      if (to) edges.push({ from: p.id, to });
    }
  });
  return { packages, edges, problems };
}
