// bench:posture — the posture scanner over ../shared/data/{kics,checkov,k8s} (files/s,
// resources/s, peak RSS), and 5,000 Kubernetes resources from real manifests in a fresh
// process (time and peak RSS). Targets (issue 6): ≥ 2,000 resources/s; 5,000 Kubernetes
// resources in < 512 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedData } from '../test/helpers/shared.js';
import type { BenchResult, Figure } from './types.js';

const RESOURCES_PER_S = 2000;
const K8S_RSS_MB = 512;

interface ChildOut {
  readonly files: number;
  readonly resources: number;
  readonly findings: number;
  readonly errors: number;
  readonly ms: number;
  /** CPU time of the scan (all threads): with `load_1m`, tells a slow scan from a busy machine. */
  readonly cpuMs: number;
  readonly maxRssMb: number;
}

function child(args: string[]): ChildOut {
  const script = fileURLToPath(new URL('./posture-child.ts', import.meta.url));
  const res = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`posture child failed: ${res.stderr.slice(0, 2000)}`);
  return JSON.parse(res.stdout.trim().split('\n').pop()!) as ChildOut;
}

export async function benchPosture(): Promise<BenchResult> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const dirs = ['kics', 'checkov', 'k8s'].map((d) => sharedData(d)).filter((d): d is string => d !== undefined);
  if (dirs.length === 0) {
    console.error('bench posture: ../shared/data/{kics,checkov,k8s} not found (set VIGIL_SHARED_DATA); skipped');
    return { figures, failures };
  }
  const perS = (n: number, ms: number) => Math.round((n / ms) * 1000);
  figures.push({ name: 'posture_load_1m', value: Math.round(loadavg()[0]! * 100) / 100, unit: 'load' });
  const corpus = child(['corpus', ...dirs]);
  figures.push(
    { name: 'posture_corpus_files', value: corpus.files, unit: 'files' },
    { name: 'posture_corpus_resources', value: corpus.resources, unit: 'resources' },
    { name: 'posture_corpus_findings', value: corpus.findings, unit: 'findings' },
    { name: 'posture_corpus_unreadable', value: corpus.errors, unit: 'files' },
    { name: 'posture_corpus_files_per_s', value: perS(corpus.files, corpus.ms), unit: 'files/s' },
    { name: 'posture_corpus_resources_per_s', value: perS(corpus.resources, corpus.ms), unit: 'resources/s' },
    { name: 'posture_corpus_cpu_s', value: Math.round(corpus.cpuMs / 10) / 100, unit: 's' },
    { name: 'posture_corpus_peak_rss', value: Math.round(corpus.maxRssMb), unit: 'MB' },
  );
  if (perS(corpus.resources, corpus.ms) < RESOURCES_PER_S) failures.push(`corpus: ${perS(corpus.resources, corpus.ms)} resources/s, target ≥ ${RESOURCES_PER_S}`);

  const manifests = sharedData('k8s', 'manifests');
  if (manifests !== undefined) {
    const tmp = mkdtempSync(join(tmpdir(), 'vigil-bench-posture-'));
    try {
      const k = child(['k8s', manifests, tmp, '5000']);
      figures.push(
        { name: 'posture_k8s_resources', value: k.resources, unit: 'resources' },
        { name: 'posture_k8s_ms', value: Math.round(k.ms), unit: 'ms' },
        { name: 'posture_k8s_resources_per_s', value: perS(k.resources, k.ms), unit: 'resources/s' },
        { name: 'posture_k8s_cpu_s', value: Math.round(k.cpuMs / 10) / 100, unit: 's' },
        { name: 'posture_k8s_peak_rss', value: Math.round(k.maxRssMb), unit: 'MB' },
      );
      if (k.maxRssMb >= K8S_RSS_MB) failures.push(`5,000 Kubernetes resources: peak RSS ${Math.round(k.maxRssMb)} MB, target < ${K8S_RSS_MB} MB`);
      if (perS(k.resources, k.ms) < RESOURCES_PER_S) failures.push(`Kubernetes: ${perS(k.resources, k.ms)} resources/s, target ≥ ${RESOURCES_PER_S}`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return { figures, failures };
}
