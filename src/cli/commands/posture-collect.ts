/**
 * The running-infrastructure half of `vigil posture scan`: `--aws`, `--azure`, `--gcp`,
 * `--kubeconfig F [--context C]` and `--snapshot PATH` (recorded responses or a cluster dump;
 * the provider flag given with it says which, else its content does). Builds the collector
 * request from the flags, runs the collectors and the engine, and uploads each collected scan to
 * `POST /api/v1/scans` with `--upload`.
 */
import type { Command } from 'commander';
import type { CollectedScan } from '../../posture/collectors/analyse.js';
import type { CollectRequest } from '../../posture/collectors/run.js';
import type { CollectorProvider } from '../../posture/collectors/types.js';
import type { EngineOptions } from '../../posture/engine.js';
import type { Rule } from '../../posture/rule.js';
import { UsageError } from '../io.js';

export interface CollectFlags {
  snapshot?: string;
  aws?: boolean;
  profile?: string;
  regions?: string;
  roleArn?: string[];
  externalId?: string;
  azure?: boolean;
  subscription?: string[];
  gcp?: boolean;
  gcpProject?: string[];
  gcpKeyFile?: string;
  kubeconfig?: string;
  context?: string;
}

export function addCollectOptions(cmd: Command): Command {
  return cmd
    .option('--snapshot <path>', 'scan recorded API responses (AWS placebo, Azure cassettes, GCP flights) or a `kubectl get -A -o json` dump instead of a live target')
    .option('--aws', 'scan the AWS account of the standard credential chain (or --profile, --role-arn)')
    .option('--profile <name>', 'AWS: named profile of the shared config/credentials files')
    .option('--regions <list>', 'AWS: comma list of regions (default: every enabled region)')
    .option('--role-arn <arn...>', 'AWS: assume these roles, one account each')
    .option('--external-id <id>', 'AWS: external id for --role-arn')
    .option('--azure', 'scan the Azure subscriptions the default credential sees (or --subscription)')
    .option('--subscription <id...>', 'Azure: subscription ids')
    .option('--gcp', 'scan the GCP projects Application Default Credentials see (or --gcp-project)')
    .option('--gcp-project <id...>', 'GCP: project ids')
    .option('--gcp-key-file <file>', 'GCP: service account key file')
    .option('--kubeconfig <file>', 'scan the Kubernetes cluster of this kubeconfig (current context unless --context)')
    .option('--context <name>', 'Kubernetes: kubeconfig context');
}

const REGION_LIST = /^[a-z0-9-]+$/;

/** The collector request the flags ask for, or undefined when they ask for none. */
export function collectRequest(f: CollectFlags): CollectRequest | undefined {
  const providers: CollectorProvider[] = [];
  if (f.aws) providers.push('aws');
  if (f.azure) providers.push('azure');
  if (f.gcp) providers.push('gcp');
  if (f.kubeconfig !== undefined || f.context !== undefined) providers.push('kubernetes');
  // Provider options without their provider flag are refused, whatever else was given.
  if (!f.aws && (f.profile ?? f.regions ?? f.roleArn ?? f.externalId)) throw new UsageError('--profile, --regions, --role-arn and --external-id need --aws');
  if (!f.azure && f.subscription) throw new UsageError('--subscription needs --azure');
  if (!f.gcp && (f.gcpProject ?? f.gcpKeyFile)) throw new UsageError('--gcp-project and --gcp-key-file need --gcp');
  if (f.snapshot === undefined && providers.length === 0) return undefined;
  if (f.snapshot !== undefined && providers.length > 1) {
    throw new UsageError(`--snapshot reads one provider's recordings; it was given with ${providers.map((p) => `--${p === 'kubernetes' ? 'kubeconfig' : p}`).join(' and ')}`);
  }
  const regions = f.regions
    ?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const badRegion = regions?.find((r) => !REGION_LIST.test(r));
  if (badRegion !== undefined) throw new UsageError(`--regions: "${badRegion}" is not a region name`);
  return {
    snapshot: f.snapshot,
    snapshotProvider: f.snapshot !== undefined ? providers[0] : undefined,
    aws: f.aws ? { profile: f.profile, regions, roleArns: f.roleArn, externalId: f.externalId } : undefined,
    azure: f.azure ? { subscriptions: f.subscription } : undefined,
    gcp: f.gcp ? { projects: f.gcpProject, keyFile: f.gcpKeyFile } : undefined,
    kubernetes: f.kubeconfig !== undefined || f.context !== undefined ? { kubeconfig: f.kubeconfig, context: f.context } : undefined,
  };
}

/** Runs the collectors and the engine over what they read. */
export async function collectAndAnalyse(req: CollectRequest, rules: readonly Rule[], options: EngineOptions, say: (s: string) => void): Promise<CollectedScan[]> {
  const [{ runCollectors, CollectUsageError }, { analyseCollected }] = await Promise.all([import('../../posture/collectors/run.js'), import('../../posture/collectors/analyse.js')]);
  let last = 0;
  const results = await runCollectors(req, (e) => {
    const now = Date.now();
    if (now - last < 1000 && e.done < e.total) return;
    last = now;
    say(`${e.done}/${e.total} ${e.label}`);
  }).catch((err: unknown) => {
    if (err instanceof CollectUsageError) throw new UsageError(err.message);
    throw err;
  });
  return results.map((r) => {
    const scan = analyseCollected(r, rules, options);
    say(`${scan.report.target}: ${r.resources.length} resource(s) in ${Math.round(r.stats.ms)} ms (${r.stats.calls} call(s), ${r.stats.retries} retries), ${r.gaps.length} gap(s), risk ${scan.scores.risk}/10`);
    return scan;
  });
}

/**
 * `--upload` of a collected scan: `POST /api/v1/scans` with an ingest key (gzipped JSON: target
 * facts, the JSON report, the resources collected). Returns the stored scan's id.
 */
export async function uploadCollectedScan(scan: CollectedScan, to: { serverUrl: string; apiKey: string; rulesVersion: string }): Promise<string> {
  const [{ renderPostureJson }, { scannedResources }, { gzipSync }] = await Promise.all([
    import('../../posture/output/json.js'),
    import('../../store/repos/postureTargetsWorkloads.js'),
    import('node:zlib'),
  ]);
  const body = `{"target":${JSON.stringify(scan.facts)},"report":${renderPostureJson(scan.report)},"resources":${JSON.stringify(scannedResources(scan.resources))},"rules":${JSON.stringify(scan.report.rules.map((r) => r.id))},"stats":${JSON.stringify(scan.stats)},"rulesVersion":${JSON.stringify(to.rulesVersion)}}`;
  const url = `${to.serverUrl.replace(/\/+$/, '')}/api/v1/scans`;
  const res = await fetch(url, {
    method: 'POST',
    // Gzipped JSON (the server tells it from plain JSON by its first bytes).
    headers: { authorization: `Bearer ${to.apiKey}`, 'content-type': 'application/gzip' },
    body: gzipSync(body),
  }).catch((err: unknown) => {
    throw new UsageError(`upload to ${to.serverUrl} failed: ${err instanceof Error ? err.message : String(err)}`);
  });
  const text = await res.text();
  if (res.status !== 201) throw new UsageError(`upload refused (${res.status}): ${text.slice(0, 500)}`);
  return (JSON.parse(text) as { id: string }).id;
}
