/**
 * Poetry `poetry.lock` (lock versions 1.x and 2.x): TOML, read with the TOML parser of
 * ../../toml (tested against smol-toml). Each `[[package]]` is a locked distribution;
 * `category` (Poetry < 1.5) or `groups` (Poetry 2) name its dependency groups, `optional =
 * true` marks an extra, `[package.source]` a git / url / file / directory / legacy-index
 * origin (git: `resolved_reference` is the commit), and `[package.dependencies]` the edges.
 * The lock does not say which packages the project requires directly (pyproject.toml does), so
 * `direct` stays undefined.
 */
import { firstIssue } from '../../../core/json-input.js';
import type { ReaderInput } from '../../reader.js';
import type { ReadResult, Scope } from '../../model.js';
import { draft, NameIndex } from '../pypi-shared/build.js';
import { isTable } from '../../../core/toml-input.js';
import { readLockTables } from '../pypi-shared/lock-toml.js';

import { isPlainPoetryPackage, poetryMetadataFilesSchema, poetryPackageSchema, type PoetryPackage } from './schema.js';

export const READER_ID = 'poetry-lock';

export function parsePoetryLock(input: ReaderInput): ReadResult {
  const read = readLockTables(input, READER_ID, 'package');
  if (!read.ok) return read.result;
  const { doc, out, list, lines } = read;
  const metadata = doc['metadata'];
  const legacyFiles = isTable(metadata) ? poetryMetadataFilesSchema.safeParse(metadata['files'] ?? {}) : undefined;
  if (legacyFiles && !legacyFiles.success) out.problem(`[metadata.files] ignored: ${firstIssue(legacyFiles.error, ['metadata', 'files']).reason}`, undefined, 'warning');

  const parsed: PoetryPackage[] = [];
  list.forEach((entry, i) => {
    const line = lines[i];
    let p: PoetryPackage;
    if (isPlainPoetryPackage(entry)) p = entry;
    else {
      const r = poetryPackageSchema.safeParse(entry);
      if (!r.success) {
        out.problem(`package entry skipped: ${firstIssue(r.error, ['package', i]).reason}`, line);
        return;
      }
      p = r.data;
    }
    const source = p.source;
    const isGit = source?.type === 'git';
    const groups = p.groups ?? (p.category !== undefined ? [p.category] : []);
    const d = draft({
      name: p.name,
      version: p.version ?? '',
      file: input.path,
      line,
      scope: scopeOf(p.optional === true, groups),
      groups,
      commit: isGit ? source.resolved_reference : undefined,
      vcsUrl: isGit && source.url ? `git+${source.url}${source.resolved_reference ? `@${source.resolved_reference}` : ''}` : undefined,
      properties: {
        optional: p.optional === true ? 'true' : undefined,
        sourceType: source?.type,
        sourceUrl: source?.url,
        sourceReference: source?.reference,
      },
    });
    for (const f of p.files ?? []) if (f.hash !== undefined) d.hashes.addText(f.hash);
    if (legacyFiles?.success) for (const f of legacyFiles.data[p.name] ?? []) if (f.hash !== undefined) d.hashes.addText(f.hash);
    out.add(d);
    parsed.push(p);
  });

  const names = new NameIndex(out.drafts);
  parsed.forEach((p, from) => {
    for (const dep of Object.keys(p.dependencies ?? {})) for (const to of names.resolve(dep)) out.edge(from, to);
  });
  return out.finish();
}

/**
 * Poetry's groups → scope: an optional package is an extra; `main` is the runtime group;
 * a package only in other groups (`dev`, `test`, `docs` …) is a development dependency.
 * Poetry 1.5–1.8 locks record neither, so the scope stays unknown there.
 */
function scopeOf(optional: boolean, groups: readonly string[]): Scope | undefined {
  if (optional) return 'optional';
  if (groups.includes('main')) return 'prod';
  return groups.length > 0 ? 'dev' : undefined;
}
