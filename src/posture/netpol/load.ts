/**
 * Where `vigil posture netpol` reads resources from (the I/O edge of the generator): manifest
 * files and folders (the posture scan's inputs, same walk limits), a cluster dump, or a live
 * cluster (the Kubernetes collector). What could not be read is returned as problems: for a
 * network policy generator, a Service or workload it did not see is traffic it will deny.
 */
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { parseSources } from '../analyse.js';
import type { ResourceKind, Resource } from '../model.js';
import { DEFAULT_LIMITS, isCandidateFile, SKIP_DIRS } from '../scan.js';

export interface NetpolSource {
  readonly paths?: readonly string[] | undefined;
  readonly snapshot?: string | undefined;
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
}

export interface Loaded {
  readonly resources: Resource[];
  /** For the output header: `manifests (3 files)`, `cluster dump x.json`, `cluster prod (v1.31.2)`. */
  readonly source: string;
  readonly problems: string[];
}

/** Kinds whose absence changes the generated policies. */
const NEEDED: ReadonlySet<ResourceKind> = new Set(['k8s:Service', 'k8s:ConfigMap', 'k8s:Ingress', 'k8s:Pod', 'k8s:Deployment', 'k8s:StatefulSet', 'k8s:DaemonSet', 'k8s:ReplicaSet', 'k8s:Job', 'k8s:CronJob', 'k8s:ReplicationController']);

const toPosix = (p: string): string => p.split(sep).join('/');

async function manifestFiles(paths: readonly string[], problems: string[]): Promise<{ path: string; abs: string }[]> {
  const out: { path: string; abs: string }[] = [];
  const walk = async (dir: string, base: string, depth: number): Promise<void> => {
    if (depth > DEFAULT_LIMITS.maxDepth) return void problems.push(`${dir}: deeper than ${DEFAULT_LIMITS.maxDepth} levels; not read`);
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      return void problems.push(`${dir}: could not be listed: ${(err as Error).message}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      const full = join(dir, e.name);
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) await walk(full, base, depth + 1);
      else if (e.isFile() && isCandidateFile(e.name)) {
        if (out.length >= DEFAULT_LIMITS.maxFiles) return void problems.push(`${full}: more than ${DEFAULT_LIMITS.maxFiles} files; the rest were not read`);
        out.push({ path: toPosix(relative(base, full)), abs: full });
      }
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    const st = await lstat(abs).catch(() => undefined);
    if (st === undefined) problems.push(`${p}: no such file or directory`);
    else if (st.isFile()) out.push({ path: basename(abs), abs });
    else if (st.isDirectory()) await walk(abs, abs, 0);
    else problems.push(`${p}: not a file or directory`);
  }
  return out;
}

export async function loadNetpolResources(src: NetpolSource): Promise<Loaded> {
  const problems: string[] = [];
  if (src.paths !== undefined && src.paths.length > 0) {
    const files = await manifestFiles(src.paths, problems);
    const sources: { path: string; text: string }[] = [];
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for (const f of files) {
      try {
        const st = await lstat(f.abs);
        if (st.size > DEFAULT_LIMITS.maxFileBytes) {
          problems.push(`${f.path}: ${st.size} bytes, over the ${DEFAULT_LIMITS.maxFileBytes}-byte limit; not read`);
          continue;
        }
        sources.push({ path: f.path, text: decoder.decode(await readFile(f.abs)) });
      } catch (err) {
        problems.push(`${f.path}: ${err instanceof TypeError ? 'not valid UTF-8' : (err as Error).message}`);
      }
    }
    const parsed = await parseSources(sources);
    for (const p of parsed.problems) problems.push(`${p.path}${p.line ? `:${p.line}` : ''}: ${p.reason}`);
    const resources = parsed.resources.filter((r) => r.input === 'kubernetes');
    return { resources, source: `manifests (${sources.length} file(s))`, problems };
  }
  const { collectKubernetes } = await import('../collectors/kubernetes/index.js');
  const r = await collectKubernetes(
    src.snapshot !== undefined ? { snapshot: src.snapshot } : { kubeconfig: src.kubeconfig, context: src.context },
  );
  for (const g of r.gaps) {
    if (g.kinds.some((k) => NEEDED.has(k))) problems.push(`${g.operation}: ${g.reason}: ${g.message}`);
  }
  const what = src.snapshot !== undefined ? `cluster dump ${src.snapshot}` : `cluster ${r.target.name}${r.target.version ? ` (${r.target.version})` : ''}`;
  return { resources: r.resources, source: what, problems };
}
