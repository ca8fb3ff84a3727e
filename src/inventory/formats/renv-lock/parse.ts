/**
 * R `renv.lock` (JSON through the `readJsonText` guards of ../../json.ts). Each entry of
 * `Packages` is an installed R package. As osv-scanner does, a package whose `Repository` is
 * `CRAN` is a CRAN package; packages from Bioconductor (`Source: Bioconductor`, or a `BioC…`
 * repository) are reported in OSV's Bioconductor ecosystem. Packages from anywhere else
 * (GitHub, GitLab, local sources, other repositories) have no OSV ecosystem to be matched in:
 * each is named in a warning rather than reported as a package. `Requirements` give the edges
 * between the packages of the lock (base R packages are not in it).
 */
import type { JsonLimits } from '../../../core/json-input.js';
import { readJsonText } from '../../json.js';
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { ForwardLines, LineIndex } from '../../lines.js';
import { PackageIds, purl } from '../../purl.js';

export const RENV_LOCK_READER_ID = 'renv-lock';
const LIMITS: JsonLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 32 };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** CRAN, Bioconductor, or undefined (no OSV ecosystem), as osv-scanner decides it (plus Bioconductor). */
export function renvEcosystem(entry: Record<string, unknown>): 'CRAN' | 'Bioconductor' | undefined {
  const repository = str(entry['Repository']);
  if (repository === 'CRAN') return 'CRAN';
  if (str(entry['Source']) === 'Bioconductor' || repository?.startsWith('BioC')) return 'Bioconductor';
  return undefined;
}

export function parseRenvLock(input: ReaderInput): ReadResult {
  const { path, text } = input;
  const problems: ReadProblem[] = [];
  const fatal = (message: string): ReadResult => ({ packages: [], edges: [], problems: [{ location: { file: path }, reader: RENV_LOCK_READER_ID, message, severity: 'error' }] });
  const json = readJsonText(text, LIMITS);
  if (!json.ok) return fatal(`could not read renv.lock: ${json.problem.reason}`);
  const doc = json.value;
  if (!isRecord(doc)) return fatal('not an renv.lock: the top level is not an object');
  const entries = doc['Packages'] ?? {};
  if (!isRecord(entries)) return fatal('/Packages is not an object');

  const keyLines = new ForwardLines(new LineIndex(text));
  const lineOf = (key: string): number | undefined => keyLines.next(`${JSON.stringify(key)}:`);
  const warn = (message: string, line?: number): void => {
    problems.push({ location: { file: path, line }, reader: RENV_LOCK_READER_ID, message, severity: 'warning' });
  };

  const ids = new PackageIds();
  const packages: Package[] = [];
  const requirements: string[][] = [];
  const byName = new Map<string, string>();
  for (const key of Object.keys(entries)) {
    const entry = entries[key];
    const line = lineOf(key);
    if (!isRecord(entry)) {
      warn(`/Packages/${key} is not an object: skipped`, line);
      continue;
    }
    const name = str(entry['Package']) ?? key;
    const version = str(entry['Version']) ?? '';
    const ecosystem = renvEcosystem(entry);
    if (!ecosystem) {
      const source = str(entry['Source']) ?? str(entry['RemoteType']) ?? 'an unknown source';
      const remote = [str(entry['RemoteUsername']), str(entry['RemoteRepo'])].filter(Boolean).join('/');
      const sha = str(entry['RemoteSha']);
      const where = `${source}${str(entry['Repository']) ? ` repository ${String(entry['Repository'])}` : ''}${remote ? ` (${remote}${sha ? `@${sha.slice(0, 12)}` : ''})` : ''}`;
      warn(`${name} ${version} comes from ${where}, not CRAN or Bioconductor: not reported as a package (no OSV ecosystem to match it in)`, line);
      continue;
    }
    let p: string;
    try {
      p = ecosystem === 'CRAN' ? purl('cran', undefined, name, version) : purl('bioconductor', undefined, name, version);
    } catch {
      p = purl('generic', undefined, name, version);
    }
    const properties: Record<string, string> = {};
    const hash = str(entry['Hash']);
    if (hash) properties['renv:hash'] = hash;
    if (str(entry['Repository'])) properties['renv:repository'] = String(entry['Repository']);
    const id = ids.next(p);
    if (!byName.has(name)) byName.set(name, id);
    const reqs = entry['Requirements'];
    requirements.push(Array.isArray(reqs) ? reqs.filter((r): r is string => typeof r === 'string') : []);
    packages.push({ id, name, version, ecosystem, purl: p, location: { file: path, line }, ...(Object.keys(properties).length ? { properties } : {}) });
  }
  const edges: Edge[] = [];
  packages.forEach((p, k) => {
    for (const r of requirements[k]!) {
      const to = byName.get(r);
      if (to) edges.push({ from: p.id, to });
    }
  });
  return { packages, edges, problems };
}
