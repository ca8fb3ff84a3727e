/**
 * The offline API layer: a `kubectl get -A -o json` dump (a file, or a directory of them)
 * answers the same calls as a live API server, so collect.ts runs unchanged on it and the same
 * objects give the same resources. Discovery answers that every kind of kinds.ts is served
 * (what the dump holds is what there is); objects of other kinds are ignored, as a live
 * collection never lists them. File reading lives here; parsing is dump.ts.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { ApiCounters, ApiGroupInfo, ApiResourceInfo, ClusterApi } from './api.js';
import { DUMP_LIMITS, parseDump, type DumpProblem } from './dump.js';
import { canonicalGroup, KIND_SPECS } from './kinds.js';

export const SNAPSHOT_LIMITS = { maxDepth: 8, maxFiles: 10_000 } as const;

const DUMP_FILE = /\.(json|ya?ml)$/i;

export interface Snapshot {
  readonly objects: Record<string, unknown>[];
  readonly version?: Record<string, unknown> | undefined;
  readonly problems: DumpProblem[];
  /** Files read. */
  readonly files: number;
}

/** Reads a dump file, or every .json/.yaml/.yml file below a directory (sorted, no symlinks followed). */
export async function readSnapshot(path: string): Promise<Snapshot> {
  const problems: DumpProblem[] = [];
  const files: string[] = [];
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    problems.push({ path, reason: `could not be read: ${err.code ?? err.message}` });
    return undefined;
  });
  if (st === undefined) return { objects: [], problems, files: 0 };
  if (st.isFile()) files.push(path);
  else if (st.isDirectory()) await walk(path, 0, files, problems);
  else problems.push({ path, reason: 'not a file or directory' });
  const objects: Record<string, unknown>[] = [];
  let version: Record<string, unknown> | undefined;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const file of files) {
    try {
      const size = (await lstat(file)).size;
      if (size > DUMP_LIMITS.maxBytes) {
        problems.push({ path: file, reason: `file is ${size} bytes, over the ${DUMP_LIMITS.maxBytes}-byte limit; not read` });
        continue;
      }
      const text = decoder.decode(await readFile(file));
      const dump = parseDump(file, text);
      for (const o of dump.objects) objects.push(o);
      version ??= dump.version;
      problems.push(...dump.problems);
    } catch (err) {
      problems.push({ path: file, reason: err instanceof TypeError ? 'not valid UTF-8' : `could not be read: ${(err as Error).message}` });
    }
  }
  return { objects, version, problems, files: files.length };
}

async function walk(dir: string, depth: number, files: string[], problems: DumpProblem[]): Promise<void> {
  if (depth > SNAPSHOT_LIMITS.maxDepth) {
    problems.push({ path: dir, reason: `deeper than ${SNAPSHOT_LIMITS.maxDepth} levels; not read` });
    return;
  }
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    problems.push({ path: dir, reason: `could not be listed: ${(err as Error).message}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) await walk(full, depth + 1, files, problems);
    else if (e.isFile() && DUMP_FILE.test(e.name)) {
      if (files.length >= SNAPSHOT_LIMITS.maxFiles) {
        problems.push({ path: full, reason: `more than ${SNAPSHOT_LIMITS.maxFiles} files; the rest were not read` });
        return;
      }
      files.push(full);
    }
  }
}

/** The cluster name a dump gets by default: its file or directory name without extension. */
export function snapshotName(path: string): string {
  const base = basename(path.replace(/[\\/]+$/, ''));
  return base.slice(0, base.length - extname(base).length) || base || 'snapshot';
}

/** A ClusterApi over the objects of a dump. */
export function snapshotApi(snapshot: Pick<Snapshot, 'objects' | 'version'>): ClusterApi {
  const counters: ApiCounters = { calls: 0, retries: 0 };
  const index = new Map<string, Record<string, unknown>[]>();
  for (const o of snapshot.objects) {
    const key = `${canonicalGroup(String(o['apiVersion']), String(o['kind']))}/${String(o['kind'])}`;
    let list = index.get(key);
    if (list === undefined) index.set(key, (list = []));
    list.push(o);
  }
  const groups = new Map<string, Set<string>>();
  for (const spec of KIND_SPECS) {
    let versions = groups.get(spec.group);
    if (versions === undefined) groups.set(spec.group, (versions = new Set()));
    for (const v of spec.versions) versions.add(v);
  }
  return {
    counters,
    version() {
      counters.calls++;
      return Promise.resolve({ ok: true, value: snapshot.version ?? {} });
    },
    groups() {
      counters.calls++;
      const out: ApiGroupInfo[] = [...groups].map(([group, versions]) => ({ group, preferredVersion: [...versions][0]!, versions: [...versions] }));
      return Promise.resolve({ ok: true, value: out });
    },
    resources(group) {
      counters.calls++;
      const out: ApiResourceInfo[] = KIND_SPECS.filter((s) => s.group === group).map((s) => ({ kind: s.kind, name: s.plural, namespaced: s.namespaced, verbs: ['list'] }));
      return Promise.resolve({ ok: true, value: out });
    },
    list(target, page) {
      counters.calls++;
      const all = index.get(`${target.group}/${target.kind}`) ?? [];
      const from = page.continue === undefined ? 0 : Number(page.continue);
      const to = Math.min(all.length, from + page.limit);
      return Promise.resolve({ ok: true, value: { items: all.slice(from, to), continue: to < all.length ? String(to) : undefined } });
    },
  };
}
