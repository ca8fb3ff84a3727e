/**
 * PDM `pdm.lock`: TOML, read with the TOML parser of ../../toml (tested against smol-toml).
 * Each `[[package]]` is a locked distribution; `groups` (lock ≥ 4.4) names the dependency
 * groups that need it, `dependencies` lists PEP 508 requirement strings (the edges),
 * `git`/`revision` a VCS origin. An entry with `extras` is the same distribution seen through
 * an extra: it is merged into the plain entry. The lock does not say which packages the
 * project requires directly, so `direct` stays undefined.
 */
import { firstIssue } from '../../../core/json-input.js';
import type { ReaderInput } from '../../reader.js';
import type { ReadResult, Scope } from '../../model.js';
import { addGroup, draft, NameIndex, widerScope } from '../pypi-shared/build.js';
import { readLockTables } from '../pypi-shared/lock-toml.js';
import { normalizePypiName, requirementName } from '../pypi-shared/names.js';

import { pdmPackageSchema } from './schema.js';

export const READER_ID = 'pdm-lock';

export function parsePdmLock(input: ReaderInput): ReadResult {
  const read = readLockTables(input, READER_ID, 'package');
  if (!read.ok) return read.result;
  const { out, list, lines } = read;

  const byKey = new Map<string, number>();
  const requirements: string[][] = [];
  const extras: Set<string>[] = [];
  list.forEach((raw, i) => {
    const r = pdmPackageSchema.safeParse(raw);
    if (!r.success) {
      out.problem(`package entry skipped: ${firstIssue(r.error, ['package', i]).reason}`, lines[i]);
      return;
    }
    const p = r.data;
    const version = p.version ?? '';
    const key = `${normalizePypiName(p.name)}@${version}`;
    let at = byKey.get(key);
    if (at === undefined) {
      const vcs = p.git ?? p.hg;
      const commit = p.revision ?? (p.ref !== undefined && /^[0-9a-f]{40}$/i.test(p.ref) ? p.ref : undefined);
      at = out.add(
        draft({
          name: p.name,
          version,
          file: input.path,
          line: lines[i],
          commit: vcs !== undefined ? commit : undefined,
          vcsUrl: vcs !== undefined ? `${p.git !== undefined ? 'git' : 'hg'}+${vcs}${commit ? `@${commit}` : ''}` : undefined,
          properties: { sourceUrl: vcs ?? p.url, path: p.path, ref: p.ref, editable: p.editable ? 'true' : undefined },
        }),
      );
      byKey.set(key, at);
      requirements.push([]);
      extras.push(new Set());
    }
    const d = out.drafts[at]!;
    for (const g of p.groups ?? []) addGroup(d.groups, g);
    if (p.groups) d.scope = widerScope(d.scope, scopeOf(p.groups));
    for (const x of p.extras ?? []) extras[at]!.add(x);
    for (const f of p.files ?? []) if (f.hash !== undefined) d.hashes.addText(f.hash);
    requirements[at]!.push(...(p.dependencies ?? []));
  });

  extras.forEach((set, i) => {
    if (set.size > 0) out.drafts[i]!.properties['extras'] = [...set].join(',');
  });
  const names = new NameIndex(out.drafts);
  requirements.forEach((reqs, from) => {
    for (const req of reqs) {
      const name = requirementName(req);
      if (name === undefined) {
        out.problem(`dependency ${JSON.stringify(req.slice(0, 100))} of ${out.drafts[from]!.name} has no package name`, out.drafts[from]!.line, 'warning');
        continue;
      }
      for (const to of names.resolve(name)) out.edge(from, to);
    }
  });
  return out.finish();
}

/** `default` is the runtime group, `dev` the development one; any other group is optional (as osv-scanner reads it). */
function scopeOf(groups: readonly string[]): Scope | undefined {
  if (groups.includes('default')) return 'prod';
  if (groups.includes('dev')) return 'dev';
  return groups.length > 0 ? 'optional' : undefined;
}
