/**
 * PEP 751 `pylock.toml` / `pylock.<name>.toml`: TOML, read with smol-toml. Each
 * `[[packages]]` is a distribution to install, from an index (sdist/wheels), a VCS (`vcs`
 * with `commit-id`), an archive or a local directory. A local directory at `.` or installed
 * editable is the project itself and is not listed. The extras and dependency groups a
 * package is installed for appear only in its `marker` (`"dev" in dependency_groups`): they
 * become `groups`. The file does not say which packages are direct.
 */
import { firstIssue } from '../../../core/json-input.js';
import type { ReaderInput } from '../../reader.js';
import type { ReadResult } from '../../model.js';
import { draft, NameIndex } from '../pypi-shared/build.js';
import { readLockTables } from '../pypi-shared/lock-toml.js';

import { pylockPackageSchema, type PylockPackage } from './schema.js';

export const READER_ID = 'pylock-toml';

export function parsePylock(input: ReaderInput): ReadResult {
  const read = readLockTables(input, READER_ID, 'packages');
  if (!read.ok) return read.result;
  const { out, list, lines } = read;

  const kept: PylockPackage[] = [];
  list.forEach((raw, i) => {
    const r = pylockPackageSchema.safeParse(raw);
    if (!r.success) {
      out.problem(`package entry skipped: ${firstIssue(r.error, ['packages', i]).reason}`, lines[i]);
      return;
    }
    const p = r.data;
    if (p.directory && (p.directory.editable === true || p.directory.path === '.' || p.directory.path === './')) return;
    const vcs = p.vcs;
    const commit = vcs?.['commit-id'];
    const vcsUrl = vcs?.url ?? vcs?.path;
    const d = draft({
      name: p.name,
      version: p.version ?? '',
      file: input.path,
      line: lines[i],
      groups: markerGroups(p.marker ?? ''),
      commit,
      vcsUrl: vcs && vcsUrl !== undefined ? `${vcs.type ?? 'git'}+${vcsUrl}${commit ? `@${commit}` : ''}` : undefined,
      properties: {
        marker: p.marker,
        index: p.index,
        sourceType: vcs ? 'vcs' : p.directory ? 'directory' : p.archive ? 'archive' : undefined,
        sourceUrl: vcsUrl ?? p.directory?.path ?? p.archive?.url ?? p.archive?.path,
        requestedRevision: vcs?.['requested-revision'],
      },
    });
    for (const a of [p.archive, p.sdist, ...(p.wheels ?? [])]) d.hashes.addTable(a?.hashes);
    out.add(d);
    kept.push(p);
  });

  const names = new NameIndex(out.drafts);
  kept.forEach((p, from) => {
    for (const dep of p.dependencies ?? []) if (dep.name !== undefined) for (const to of names.resolve(dep.name, dep.version)) out.edge(from, to);
  });
  return out.finish();
}

const isIdent = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);

/**
 * The groups and extras a PEP 751 marker mentions: `'x' in extras`, `"y" in dependency_groups`.
 * One linear pass over the marker, reading quoted strings and the `in <name>` after them.
 */
export function markerGroups(marker: string): string[] {
  const groups: string[] = [];
  let i = 0;
  while (i < marker.length) {
    const q = marker[i];
    if (q !== '"' && q !== "'") {
      i++;
      continue;
    }
    const close = marker.indexOf(q, i + 1);
    if (close === -1) break;
    const value = marker.slice(i + 1, close);
    let j = close + 1;
    while (marker[j] === ' ' || marker[j] === '\t') j++;
    if (marker.startsWith('in', j) && !isIdent(marker[j + 2])) {
      j += 2;
      while (marker[j] === ' ' || marker[j] === '\t') j++;
      for (const target of ['extras', 'dependency_groups']) {
        if (marker.startsWith(target, j) && !isIdent(marker[j + target.length]) && !groups.includes(value)) groups.push(value);
      }
    }
    i = close + 1;
  }
  return groups;
}
