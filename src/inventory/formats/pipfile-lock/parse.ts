/**
 * Pipenv `Pipfile.lock`: JSON, read with `readJsonText` (size and nesting limits,
 * ../../json.ts). The `default` section holds the runtime packages, `develop` the development
 * ones, and any other top-level object (besides `_meta`) a custom Pipfile package category.
 * Versions are written `==1.2.3`; the `==` is dropped. VCS, path and file entries have no
 * version: they are kept with version '' (and the commit when `ref` is one), except the
 * project itself (`path: "."`). The same name and version in two sections is one package with
 * both groups.
 */
import { firstIssue, jsonPointer } from '../../../core/json-input.js';
import { readJsonText } from '../../json.js';
import { LineIndex } from '../../lines.js';
import type { ReaderInput } from '../../reader.js';
import type { ReadResult, Scope } from '../../model.js';
import { addGroup, draft, PypiResultBuilder, widerScope } from '../pypi-shared/build.js';
import { normalizePypiName } from '../pypi-shared/names.js';
import { isTable } from '../../../core/toml-input.js';
import { pipfileEntrySchema } from './schema.js';

export const READER_ID = 'pipfile-lock';

const LIMITS = { maxBytes: 64 * 1024 * 1024, maxDepth: 64 };
const COMMIT = /^[0-9a-f]{7,40}$/i;
const MAX_LINE_MISSES = 64;

const SECTION_SCOPE: Readonly<Record<string, Scope>> = { default: 'prod', develop: 'dev' };

export function parsePipfileLock(input: ReaderInput): ReadResult {
  const json = readJsonText(input.text, LIMITS);
  if (!json.ok) return PypiResultBuilder.failure(READER_ID, input.path, json.problem.reason);
  const doc = json.value;
  if (!isTable(doc)) return PypiResultBuilder.failure(READER_ID, input.path, 'expected a JSON object with `default` and `develop` sections');
  const out = new PypiResultBuilder(READER_ID, input.path);
  const lines = new LineIndex(input.text);
  const byKey = new Map<string, number>();
  let misses = 0;

  for (const [section, entries] of Object.entries(doc)) {
    if (section === '_meta') continue;
    const sectionAt = lines.find(`${JSON.stringify(section)}:`);
    if (!isTable(entries)) {
      out.problem(`section ${jsonPointer([section])} should be an object of packages`, sectionAt?.line);
      continue;
    }
    let cursor = sectionAt?.offset ?? 0;
    for (const [name, raw] of Object.entries(entries)) {
      // Keys come in document order (bar integer-like names): search on from the last hit,
      // and stop searching after a few misses so a hostile file cannot make this quadratic.
      const at = misses < MAX_LINE_MISSES ? lines.find(`${JSON.stringify(name)}:`, cursor) : undefined;
      if (at) cursor = at.offset + 1;
      else misses++;
      const r = pipfileEntrySchema.safeParse(raw);
      if (!r.success) {
        out.problem(`package entry skipped: ${firstIssue(r.error, [section, name]).reason}`, at?.line);
        continue;
      }
      const e = r.data;
      if (e.path === '.' || e.path === './') continue; // the project itself (`pipenv install -e .`)
      const version = e.version === undefined ? '' : stripEquals(e.version);
      const key = `${normalizePypiName(name)}@${version}`;
      let index = byKey.get(key);
      if (index === undefined) {
        const vcs = e.git ?? e.hg;
        const commit = vcs !== undefined && e.ref !== undefined && COMMIT.test(e.ref) ? e.ref : undefined;
        index = out.add(
          draft({
            name,
            version,
            file: input.path,
            line: at?.line,
            commit,
            vcsUrl: vcs !== undefined ? `${e.git !== undefined ? 'git' : 'hg'}+${vcs}${e.ref ? `@${e.ref}` : ''}` : undefined,
            properties: {
              marker: e.markers,
              index: e.index,
              extras: e.extras?.join(','),
              sourceUrl: vcs ?? e.file ?? e.path,
              ref: commit === undefined ? e.ref : undefined,
              editable: e.editable ? 'true' : undefined,
            },
          }),
        );
        byKey.set(key, index);
      }
      const d = out.drafts[index]!;
      addGroup(d.groups, section);
      d.scope = widerScope(d.scope, SECTION_SCOPE[section]);
      for (const h of e.hashes ?? []) d.hashes.addText(h);
    }
  }
  return out.finish();
}

/** `==1.2.3` / `===1.2.3` → `1.2.3`; anything else is kept as written. */
function stripEquals(version: string): string {
  if (version.startsWith('===')) return version.slice(3).trim();
  if (version.startsWith('==')) return version.slice(2).trim();
  return version;
}
