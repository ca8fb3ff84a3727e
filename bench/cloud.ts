// Posture II speed (issue 7): offline collections run as `vigil posture scan --snapshot` runs
// them, each in a fresh child process (bench/cloud-child.ts) so the peak RSS is its own:
//   - a generated 5,000-object `kubectl get -A -o json` dump (the collector's synthetic cluster:
//     Deployments with their ReplicaSets and Pods, Services, RBAC, nodes …);
//   - a generated AWS account of 10,000 resources as recorded API responses (see
//     src/posture/collectors/aws/__fixtures__/synthetic.ts).
// Targets: the cluster < 5 s and < 512 MB; the account < 30 s and < 1 GB.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { syntheticCluster } from '../src/posture/collectors/kubernetes/__fixtures__/synthetic.js';
import type { BenchResult, Figure } from './types.js';

const CLUSTER_OBJECTS = 5000;
const ACCOUNT_RESOURCES = 10_000;

interface ChildResult {
  readonly resources: number;
  readonly gaps: number;
  readonly findings: number;
  readonly collectMs: number;
  readonly rulesMs: number;
  readonly totalMs: number;
  readonly maxRssMb: number;
}

const round = (x: number, d = 0): number => Math.round(x * 10 ** d) / 10 ** d;
const note = (s: string): void => void process.stderr.write(`bench cloud: ${s}\n`);

function child(provider: string, path: string): ChildResult {
  const script = fileURLToPath(new URL('./cloud-child.ts', import.meta.url));
  const res = spawnSync(process.execPath, ['--import', 'tsx', script, provider, path], { encoding: 'utf8', env: { ...process.env, VIGIL_LOG_LEVEL: 'silent' }, maxBuffer: 16 * 1024 * 1024 });
  if (res.status !== 0) throw new Error(`cloud child (${provider}) failed (${res.status}): ${res.stderr.slice(-2000)}`);
  return JSON.parse(res.stdout.trim().split('\n').at(-1)!) as ChildResult;
}

export async function benchCloud(): Promise<BenchResult> {
  const figures: Figure[] = [];
  const failures: string[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'vigil-bench-cloud-'));
  try {
    const dump = join(dir, 'cluster.json');
    await writeFile(dump, JSON.stringify(syntheticCluster(CLUSTER_OBJECTS)));
    const k = child('kubernetes', dump);
    note(`cluster: ${CLUSTER_OBJECTS} objects → ${k.resources} resources assessed, ${k.findings} findings, ${k.gaps} gaps: collect ${round(k.collectMs)} ms, rules ${round(k.rulesMs)} ms, peak RSS ${round(k.maxRssMb)} MB`);
    figures.push(
      { name: 'cloud_cluster_5k_s', value: round(k.totalMs / 1000, 2), unit: 's' },
      { name: 'cloud_cluster_5k_peak_rss_mb', value: round(k.maxRssMb), unit: 'MB' },
    );
    if (k.totalMs > 5000) failures.push(`cluster of ${CLUSTER_OBJECTS} objects took ${round(k.totalMs / 1000, 1)} s, target < 5 s`);
    if (k.maxRssMb >= 512) failures.push(`cluster peak RSS ${round(k.maxRssMb)} MB, target < 512 MB`);

    const { writeSyntheticAccount } = await import('../src/posture/collectors/aws/__fixtures__/synthetic.js');
    const account = join(dir, 'account');
    const written = await writeSyntheticAccount(account, ACCOUNT_RESOURCES);
    const a = child('aws', account);
    note(`account: ${written.resources} resources in ${written.files} recorded responses → ${a.resources} resources, ${a.findings} findings, ${a.gaps} gaps: collect ${round(a.collectMs)} ms, rules ${round(a.rulesMs)} ms, peak RSS ${round(a.maxRssMb)} MB`);
    figures.push(
      { name: 'cloud_account_10k_s', value: round(a.totalMs / 1000, 2), unit: 's' },
      { name: 'cloud_account_10k_peak_rss_mb', value: round(a.maxRssMb), unit: 'MB' },
    );
    if (a.resources < ACCOUNT_RESOURCES) failures.push(`account: ${a.resources} resources collected, expected ${ACCOUNT_RESOURCES}`);
    if (a.totalMs > 30_000) failures.push(`account of ${ACCOUNT_RESOURCES} resources took ${round(a.totalMs / 1000, 1)} s, target < 30 s`);
    if (a.maxRssMb >= 1024) failures.push(`account peak RSS ${round(a.maxRssMb)} MB, target < 1 GB`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { figures, failures };
}
