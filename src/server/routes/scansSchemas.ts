import { z } from 'zod';
import { COLLECTOR_PROVIDERS } from '../../posture/collectors/types.js';
import type { PostureFinding } from '../../posture/model.js';
import { TargetOut, TargetScanOut } from './clustersSchemas.js';
import { PostureReportIn } from './postureSchemas.js';

/** The body of `POST /api/v1/scans`: a collected scan uploaded by the CLI (OpenAPI component `CollectedScanUpload`). */

/** Most resources one upload may list. */
export const MAX_SCAN_RESOURCES = 200_000;

/** `family:type`, e.g. `aws:AWS::S3::Bucket`, `k8s:Deployment` (src/posture/model.ts). */
const RESOURCE_KIND = /^(?:k8s|tf|cfn|docker|aws|azure|gcp):\S/;

/** Kept loose (unknown fields ignored): collectors may learn more facts than this server stores. */
export const TargetFactsIn = z
  .object({
    provider: z.enum(COLLECTOR_PROVIDERS),
    id: z.string().min(1).max(300).describe('Account id, subscription id, project id, or cluster name'),
    name: z.string().min(1).max(300),
    regions: z.array(z.string().min(1).max(100)).max(1000).optional().describe('Regions or locations scanned'),
    version: z.string().max(100).optional().describe('Kubernetes server version'),
    platform: z.string().max(50).optional().describe('Kubernetes distribution: eks, gke, aks, openshift, other'),
    nodeCount: z.number().int().min(0).max(10_000_000).optional(),
  })
  .meta({ id: 'CollectedTargetFacts' });

export const ScannedResourceIn = z.object({
  kind: z.string().max(320).regex(RESOURCE_KIND, 'expected a resource kind such as aws:AWS::S3::Bucket or k8s:Deployment'),
  id: z.string().min(1).max(2000),
  name: z.string().max(1000),
  namespace: z.string().max(300).optional(),
  images: z.array(z.string().max(1000)).max(100).optional().describe('Container images of a Kubernetes workload'),
});

export const CollectedScanIn = z
  .strictObject({
    target: TargetFactsIn,
    report: PostureReportIn.describe('The JSON report of the scan (`vigil posture scan --format json`): findings, including not-assessed ones for collection gaps, and errors'),
    resources: z
      .array(ScannedResourceIn)
      .max(MAX_SCAN_RESOURCES)
      .describe('Every resource collected (kind, id, name, namespace; images for Kubernetes workloads): the server counts kinds to know which rules applied, and lists workloads'),
    rules: z.array(z.string().min(1).max(200)).max(10_000).optional().describe('Ids of the rules that ran (default: every built-in rule the server knows)'),
    stats: z.object({ ms: z.number().min(0).max(1e10), calls: z.number().int().min(0).optional(), retries: z.number().int().min(0).optional() }).optional(),
    rulesVersion: z.string().min(1).max(200).optional().describe('The rule catalogue that judged (the CLI sends its own)'),
  })
  .meta({ id: 'CollectedScanUpload' });
export type CollectedScanIn = z.output<typeof CollectedScanIn>;
/** What a client sends. */
export type CollectedScanUpload = z.input<typeof CollectedScanIn>;

export const CollectedScanOut = TargetScanOut.extend({
  target: TargetOut,
  targetCreated: z.boolean(),
  unscoredRules: z.array(z.string()).readonly().describe('Rules with findings that the server does not know or that did not run: stored, not in the scores (the first 100)'),
}).meta({ id: 'CollectedScan' });

/** The report's findings in the engine's shape (absent optional fields filled as the JSON report upload does). */
export function findingsOf(report: CollectedScanIn['report']): PostureFinding[] {
  return report.findings.map((f) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    title: f.title,
    status: f.status,
    message: f.message ?? f.title,
    resource: {
      kind: f.resource.kind,
      id: f.resource.id,
      name: f.resource.name,
      provider: f.resource.provider,
      account: f.resource.account ?? null,
      region: f.resource.region ?? null,
      namespace: f.resource.namespace ?? null,
    },
    location: f.location,
    frameworks: f.frameworks,
    remediation: f.remediation,
    fix: f.fix ?? null,
    suppression: f.suppression ? { reason: f.suppression.reason, source: f.suppression.source, expires: f.suppression.expires ?? null } : null,
  }));
}
