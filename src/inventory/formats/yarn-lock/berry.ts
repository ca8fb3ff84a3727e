import { isRecord, text } from '../npm-shared/input.js';
import { readLockYaml } from '../npm-shared/yaml-doc.js';
import type { YarnEntry } from './entry.js';

/**
 * yarn.lock from Yarn 2+ ("Berry"): YAML with a `__metadata` entry, keys listing the
 * descriptors an entry satisfies (`"lodash@npm:^4.17.0, lodash@npm:^4.17.21"`), and
 * `version`, `resolution` (`name@npm:1.2.3`, `name@workspace:packages/a`,
 * `name@patch:…`, `name@https://…#commit=…`), `dependencies`, `dependenciesMeta`.
 */
export type BerryResult = { readonly ok: true; readonly entries: YarnEntry[]; readonly bad: { line: number | undefined; message: string }[] } | { readonly ok: false; readonly reason: string };

export function readBerry(source: string): BerryResult {
  const doc = readLockYaml(source);
  if (!doc.ok) return { ok: false, reason: doc.reason };
  if (doc.value === null || doc.value === undefined) return { ok: true, entries: [], bad: [] };
  if (!isRecord(doc.value)) return { ok: false, reason: 'expected a YAML mapping at the top level' };
  const entries: YarnEntry[] = [];
  const bad: { line: number | undefined; message: string }[] = [];
  for (const [key, value] of Object.entries(doc.value)) {
    if (key === '__metadata') continue;
    const line = doc.lineOf(doc.value, key);
    if (!isRecord(value)) {
      bad.push({ line, message: `entry "${key}" is not a mapping; skipped` });
      continue;
    }
    const fields = new Map<string, string>();
    for (const [k, v] of Object.entries(value)) {
      const t = text(v);
      if (t !== undefined) fields.set(k, t);
    }
    const optional = new Set<string>();
    const meta = value['dependenciesMeta'];
    if (isRecord(meta)) for (const [name, m] of Object.entries(meta)) if (isRecord(m) && (m['optional'] === true || m['optional'] === 'true')) optional.add(name);
    const deps: [string, string][] = [];
    const optionalDeps: [string, string][] = [];
    const map = value['dependencies'];
    if (isRecord(map)) {
      for (const [name, range] of Object.entries(map)) {
        const r = text(range);
        if (r !== undefined) (optional.has(name) ? optionalDeps : deps).push([name, r]);
      }
    }
    const specifiers = key.split(',').map((s) => s.trim()).filter((s) => s !== '');
    entries.push({ specifiers, fields, deps, optionalDeps, line });
  }
  return { ok: true, entries, bad };
}

/** Berry files start (after comments) with `__metadata:`; v1 files never have it. */
export function isBerry(source: string): boolean {
  for (let start = 0; start < source.length; ) {
    let end = source.indexOf('\n', start);
    if (end === -1) end = source.length;
    const line = source.slice(start, end).trim();
    start = end + 1;
    if (line === '' || line.startsWith('#') || line === '---') continue;
    return line.replace(/^\uFEFF/, '').startsWith('__metadata:') || line.startsWith('"__metadata":');
  }
  return false;
}
