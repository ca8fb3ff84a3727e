import { z } from 'zod';
import { COLLECTOR_PROVIDERS } from '../../posture/collectors/types.js';
import { FRAMEWORK_IDS } from '../../posture/frameworks.js';
import { POSTURE_SEVERITIES } from '../../posture/model.js';
import { PostureFindingOut } from './postureSchemas.js';
import { ScanConfig } from '../../posture/schedule/config.js';

/** Request and response schemas of the registry routes: clusters, accounts, workloads, compliance (OpenAPI components). */

export const CONTROL_STATUSES = ['pass', 'fail', 'not-assessed'] as const;
const RULE_STATUSES = ['pass', 'fail', 'not-assessed', 'not-applicable'] as const;

/** A comma-separated list of enum values, lower-cased: `aws,GCP`. */
export const csvEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s, ctx) => {
      const parts = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
      for (const p of parts) if (!(values as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: `"${p}" is not one of ${values.join(', ')}` });
      return parts.filter((p): p is T[number] => (values as readonly string[]).includes(p));
    });

/** Comma-separated UUIDs (at most 50). */
export const uuidList = z
  .string()
  .max(4000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
  .pipe(z.array(z.uuid()).max(50));

export const TargetListQuery = {
  q: z.string().min(1).max(200).optional().describe('Substring of the name or id (account id, subscription id, project id, cluster name), case-insensitive'),
};

export const TrendQuery = z.strictObject({
  trend: z.coerce.number().int().min(1).max(100).default(10).describe('Scans in the trend (1-100, newest last)'),
});

export const TargetComplianceQuery = z.strictObject({
  framework: z.enum(FRAMEWORK_IDS as [string, ...string[]]).optional().describe('Only this framework'),
  status: csvEnum(CONTROL_STATUSES).optional().describe('Only controls in these statuses, comma-separated (the counts stay whole)'),
  scan: z.uuid().optional().describe("One of the target's scans (default: its latest)"),
});

const Counts = z.object({ pass: z.number().int(), fail: z.number().int(), notAssessed: z.number().int() });

export const FrameworkScoreOut = z
  .object({
    framework: z.string(),
    name: z.string(),
    controls: Counts.extend({ notApplicable: z.number().int() }).describe('Controls by status: a control is the worst of the rules mapped to it'),
    compliance: z.number().nullable().describe('Passed / (passed + failed + not assessed) controls, in %'),
  })
  .meta({ id: 'PostureFrameworkScore' });

const SummaryOut = z.object({
  fail: z.object(Object.fromEntries(POSTURE_SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof POSTURE_SEVERITIES)[number], z.ZodNumber>),
  failed: z.number().int(),
  suppressed: z.number().int(),
  notAssessed: z.number().int(),
});

export const TargetScanOut = z
  .object({
    id: z.uuid(),
    createdAt: z.string(),
    resources: z.number().int(),
    findings: z.number().int(),
    summary: SummaryOut,
    errorCount: z.number().int(),
    errors: z.array(z.object({ path: z.string(), reason: z.string() })).readonly().describe('Collection gaps (calls that failed, with the reason): the first 20'),
    risk: z.number().nullable().describe('0-10: the severity-weighted share of checked rule × resource pairs that failed'),
    compliance: z.array(FrameworkScoreOut).readonly().describe('Frameworks with an applicable control'),
    durationMs: z.number().int().nullable(),
    rulesVersion: z.string().nullable(),
  })
  .meta({ id: 'PostureTargetScan' });

export const TargetOut = z
  .object({
    id: z.uuid(),
    provider: z.enum(COLLECTOR_PROVIDERS),
    externalId: z.string().describe('Account id, subscription id, project id, or cluster name'),
    name: z.string(),
    regions: z.array(z.string()).readonly(),
    version: z.string().nullable().describe('Kubernetes server version'),
    platform: z.string().nullable().describe('Kubernetes distribution: eks, gke, aks, openshift, other'),
    nodeCount: z.number().int().nullable(),
    createdAt: z.string(),
    updatedAt: z.string().describe('Last scan'),
    workloads: z.number().int().describe('Workloads of a cluster (0 for accounts)'),
    latestScan: TargetScanOut.nullable(),
    scan: z
      .object({ config: ScanConfig, cron: z.string().nullable(), firedAt: z.string().nullable().describe('The last scheduled scan fired (or when the schedule was set)') })
      .nullable()
      .describe('How the server scans it itself (null: known from uploaded scans only)'),
  })
  .meta({ id: 'PostureTarget' });

export const TrendPointOut = z.object({
  scanId: z.uuid(),
  createdAt: z.string(),
  risk: z.number().nullable(),
  failed: z.number().int(),
  notAssessed: z.number().int(),
  compliance: z.record(z.string(), z.number()).describe('Compliance % by framework id'),
});

export const TargetDetailOut = TargetOut.extend({ trend: z.array(TrendPointOut).readonly().describe('Risk and compliance over the last scans, oldest first') }).meta({
  id: 'PostureTargetDetail',
});

const ControlOut = z.object({
  control: z.string(),
  status: z.enum(CONTROL_STATUSES),
  rules: z.array(z.object({ ruleId: z.string(), status: z.enum(RULE_STATUSES) })).readonly(),
});

export const TargetComplianceOut = z
  .object({
    targetId: z.uuid(),
    scanId: z.uuid(),
    scannedAt: z.string(),
    frameworks: z.array(FrameworkScoreOut.extend({ items: z.array(ControlOut).readonly().describe('Applicable controls with the rules behind each') })).readonly(),
  })
  .meta({ id: 'PostureTargetCompliance' });

export const WorkloadQuery = {
  namespace: z.string().max(300).optional().describe('Exact namespace'),
  kind: z
    .string()
    .max(500)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.string().min(1).max(100)).max(20))
    .optional()
    .describe('Kinds, comma-separated: Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, Pod'),
  q: z.string().min(1).max(200).optional().describe('Substring of the name, case-insensitive'),
  image: z.string().min(1).max(500).optional().describe('Substring of a container image reference'),
};

export const WorkloadOut = z
  .object({
    id: z.uuid(),
    clusterId: z.uuid(),
    clusterName: z.string(),
    namespace: z.string().nullable(),
    kind: z.string(),
    name: z.string(),
    resourceId: z.string().describe('The resource id its findings name (Deployment/prod/web)'),
    images: z.array(z.string()).readonly(),
    scanId: z.uuid().describe('The scan that last saw it'),
    firstSeen: z.string(),
    failed: z.object(Object.fromEntries(POSTURE_SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof POSTURE_SEVERITIES)[number], z.ZodNumber>).describe('Failed findings in that scan, by severity'),
  })
  .meta({ id: 'PostureWorkload' });

export const WorkloadPostureOut = z
  .object({ workload: WorkloadOut, findings: z.array(PostureFindingOut).readonly().describe('Worst first (at most 1,000)') })
  .meta({ id: 'PostureWorkloadFindings' });

export const ComplianceReportOut = z
  .object({
    framework: z.object({ id: z.string(), name: z.string() }),
    generatedAt: z.string(),
    summary: z.object({
      targets: z.number().int().describe('Targets whose latest scan assessed a control of the framework'),
      compliance: z.number().nullable().describe('Passed / assessed controls pooled over the targets, in %'),
      controls: Counts,
    }),
    targets: z
      .array(
        z.object({
          id: z.uuid(),
          provider: z.enum(COLLECTOR_PROVIDERS),
          externalId: z.string(),
          name: z.string(),
          scanId: z.uuid(),
          scannedAt: z.string(),
          risk: z.number().nullable(),
          compliance: z.number(),
          controls: Counts.extend({ notApplicable: z.number().int() }),
        }),
      )
      .readonly(),
    controls: z
      .array(z.object({ control: z.string(), status: z.enum(CONTROL_STATUSES).describe('Worst across the targets'), targets: Counts.describe('Targets in each status'), rules: z.array(z.string()).readonly() }))
      .readonly(),
    truncated: z.boolean().describe('More targets matched than one report covers (5,000)'),
  })
  .meta({ id: 'PostureComplianceReport' });
