import { z } from 'zod';
import type { FieldError } from '../../core/errors.js';
import { FRAMEWORK_IDS } from '../../posture/frameworks.js';
import { INPUT_TYPES, POSTURE_SEVERITIES, PROVIDERS } from '../../posture/model.js';
import { RULE_PLATFORMS } from '../../posture/rule.js';
import { PROJECT_KINDS } from '../../store/repos/projects.js';
import { ALL_SCAN_SOURCES } from '../../store/repos/posture.js';

/** Request and response schemas of the posture routes (OpenAPI components). */

export const FINDING_STATUSES = ['fail', 'suppressed', 'not-assessed'] as const;

/** Most findings and errors accepted in one uploaded report. */
export const MAX_REPORT_FINDINGS = 100_000;
export const MAX_REPORT_ERRORS = 100_000;

/** Severity and status are normalised to lower case once, here (`HIGH` is `high`). */
const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(50)
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(values));

/** Framework ids never contain a colon: `framework:control` is the stored filter key. */
const FRAMEWORK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const ReportFinding = z.object({
  ruleId: z.string().min(1).max(200),
  severity: lowerEnum(POSTURE_SEVERITIES),
  title: z.string().max(1000),
  status: lowerEnum(FINDING_STATUSES),
  message: z.string().max(10_000).optional(),
  resource: z.object({
    kind: z.string().min(1).max(300),
    id: z.string().min(1).max(2000),
    name: z.string().max(1000),
    provider: lowerEnum(PROVIDERS),
    account: z.string().max(300).nullable().optional(),
    region: z.string().max(300).nullable().optional(),
    namespace: z.string().max(300).nullable().optional(),
  }),
  location: z.object({ file: z.string().max(2000), line: z.number().int().min(0).max(1_000_000_000) }),
  frameworks: z
    .array(z.object({ framework: z.string().regex(FRAMEWORK_ID, 'expected a framework id (letters, digits, . _ -)'), control: z.string().min(1).max(200) }))
    .max(500)
    .default([]),
  remediation: z.string().max(20_000).default(''),
  fix: z.string().max(50_000).nullable().optional(),
  suppression: z.object({ reason: z.string().max(4000), source: z.string().max(2000), expires: z.string().max(50).nullable().optional() }).nullable().optional(),
});

/**
 * The JSON report of `vigil posture scan --format json` (../shared/CONTRACTS.md): fields it
 * does not use (its `summary`, recomputed here) are ignored; `message`, `fix`, `suppression`,
 * `target`, `files` and `resources` may be absent (the contract's minimal shape).
 */
export const PostureReportIn = z
  .object({
    target: z.string().max(1000).optional(),
    files: z.number().int().min(0).max(100_000_000).optional(),
    resources: z.number().int().min(0).max(100_000_000).optional(),
    findings: z.array(ReportFinding).max(MAX_REPORT_FINDINGS),
    errors: z
      .array(z.object({ path: z.string().max(2000), line: z.number().int().min(0).optional(), reason: z.string().max(4000) }))
      .max(MAX_REPORT_ERRORS)
      .default([]),
  })
  .meta({ id: 'PostureReportUpload' });
export type PostureReportIn = z.output<typeof PostureReportIn>;

/** Zod issues as problem+json field errors: `/body/findings/3/severity: …`. */
export function issuesToErrors(issues: readonly z.core.$ZodIssue[], base = '/body'): FieldError[] {
  return issues.slice(0, 20).map((i) => ({ pointer: `${base}${i.path.map((p) => `/${String(p).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')}`, detail: i.message }));
}

export const PostureScanQuery = {
  project: z.string().min(1).max(200).describe('Project name; created when it does not exist'),
  kind: z.enum(PROJECT_KINDS).optional().describe('Kind of a project created by this upload (default: application)'),
  target: z.string().min(1).max(1000).optional().describe("What was scanned (default: the report's target, or `archive`)"),
  strip: z.coerce.number().int().min(0).max(10).default(0).describe('Archives: leading path segments to drop from member names (as tar --strip-components)'),
  rulesVersion: z.string().min(1).max(200).optional().describe('JSON reports: the rule catalogue that judged (the CLI sends its own)'),
};

const Summary = z.object({
  fail: z.object(Object.fromEntries(POSTURE_SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof POSTURE_SEVERITIES)[number], z.ZodNumber>),
  failed: z.number().int(),
  suppressed: z.number().int(),
  notAssessed: z.number().int(),
});

export const PostureScanOut = z
  .object({
    id: z.uuid(),
    projectId: z.uuid().nullable().describe('The project of a project scan; null for a collected scan'),
    projectName: z.string().nullable(),
    targetId: z.uuid().nullable().describe('The cluster or cloud account of a collected scan (GET /clusters, /accounts); null for a project scan'),
    targetName: z.string().nullable(),
    source: z
      .enum(ALL_SCAN_SOURCES)
      .describe('cli: a report uploaded from `vigil posture scan`; archive: a directory archive scanned by the server; collector: a collected scan of a cluster or cloud account'),
    target: z.string(),
    files: z.number().int(),
    resources: z.number().int(),
    findings: z.number().int(),
    summary: Summary,
    errors: z.array(z.object({ path: z.string(), line: z.number().int().optional(), reason: z.string() })).readonly().describe('Files that could not be read or parsed (lists show the first 20)'),
    errorCount: z.number().int(),
    rulesVersion: z.string().nullable(),
    documentSha256: z.string().nullable(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'PostureScan' });

export const PostureFindingOut = z
  .object({
    id: z.uuid(),
    scanId: z.uuid(),
    projectId: z.uuid().nullable().describe('The project of a project scan; null for a cluster or account scan'),
    projectName: z.string().nullable(),
    targetId: z.uuid().nullable().describe('The cluster or cloud account of a collected scan (GET /clusters, /accounts); null for a project scan'),
    targetName: z.string().nullable(),
    ruleId: z.string(),
    severity: z.enum(POSTURE_SEVERITIES),
    status: z.enum(FINDING_STATUSES),
    title: z.string(),
    message: z.string(),
    resource: z.object({
      kind: z.string(),
      id: z.string(),
      name: z.string(),
      provider: z.enum(PROVIDERS),
      account: z.string().nullable(),
      region: z.string().nullable(),
      namespace: z.string().nullable(),
    }),
    location: z.object({ file: z.string(), line: z.number().int() }),
    frameworks: z.array(z.object({ framework: z.string(), control: z.string() })).readonly(),
    remediation: z.string(),
    fix: z.string().nullable(),
    suppression: z.object({ reason: z.string(), source: z.string(), expires: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'PostureFinding' });

export const PostureSummaryOut = z
  .object({
    scans: z.number().int().describe("Scans counted: each project's latest unless scans were named"),
    projects: z.number().int(),
    total: z.number().int(),
    byStatus: z.record(z.string(), z.number().int()),
    bySeverity: z.record(z.string(), z.number().int()).describe('Failed findings by severity'),
    byFramework: z.record(z.string(), z.object({ failed: z.number().int(), controls: z.number().int().describe('Distinct controls failed') })),
  })
  .meta({ id: 'PostureSummary' });

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s, ctx) => {
      const parts = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
      for (const p of parts) if (!(values as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: `"${p}" is not one of ${values.join(', ')}` });
      return parts;
    });
const list = <T extends z.ZodType<string, string>>(max: number, item: T) =>
  z
    .string()
    .max(4000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(item).max(max));
const uuids = list(50, z.uuid());

/** The filters of GET /posture/findings and /posture/summary. */
export const PostureFindingFilterQuery = {
  project: uuids.optional().describe('Project id(s), comma-separated'),
  target: uuids.optional().describe("Cluster or cloud account id(s) (GET /clusters, /accounts), comma-separated: each one's latest scan"),
  scan: uuids.optional().describe("Scan id(s), comma-separated (default: each project's latest scan, or each target's with `target`)"),
  framework: list(20, z.string().regex(FRAMEWORK_ID)).optional().describe(`Framework id(s), comma-separated: ${FRAMEWORK_IDS.join(', ')}`),
  control: z.string().min(1).max(200).optional().describe('A control id, e.g. 5.2.1 (of `framework` when one is given)'),
  severity: csv(POSTURE_SEVERITIES).optional().describe('Severities, comma-separated'),
  status: csv(FINDING_STATUSES).optional().describe('Statuses, comma-separated (default: all)'),
  resource: z.string().min(1).max(500).optional().describe('Substring of the resource id or name (case-insensitive)'),
  rule: list(100, z.string().min(1).max(200)).optional().describe('Rule id(s), comma-separated'),
  kind: list(50, z.string().min(1).max(300)).optional().describe('Resource kind(s), e.g. k8s:Deployment, tf:aws_s3_bucket'),
  file: z.string().min(1).max(2000).optional().describe('A file path, or a folder (every file under it)'),
};

export const RuleOut = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    severity: z.enum(POSTURE_SEVERITIES),
    platform: z.enum(Object.keys(RULE_PLATFORMS) as [keyof typeof RULE_PLATFORMS, ...(keyof typeof RULE_PLATFORMS)[]]),
    service: z.string(),
    kinds: z.array(z.string()),
    frameworks: z.array(z.object({ framework: z.string(), name: z.string(), control: z.string() })),
    remediation: z.string(),
    fix: z.object({ kubernetes: z.string().optional(), terraform: z.string().optional(), cloudformation: z.string().optional(), dockerfile: z.string().optional() }).nullable(),
    references: z.array(z.string()),
  })
  .meta({ id: 'PostureRule' });

const Example = z.object({ input: z.enum(INPUT_TYPES), file: z.string().optional(), text: z.string(), lines: z.array(z.number().int()).optional() });
export const RuleDetailOut = RuleOut.extend({ examples: z.object({ good: z.array(Example), bad: z.array(Example) }) }).meta({ id: 'PostureRuleDetail' });

export const FrameworkOut = z
  .object({
    id: z.string(),
    name: z.string(),
    rules: z.number().int().describe('Built-in rules mapped to it'),
    requirements: z.number().int().describe("Requirements in Vigil's catalogue of the framework (docs/coverage.md)"),
    assessed: z.number().int().describe('Requirements at least one built-in rule assesses'),
    coverage: z.number().describe('assessed / requirements, 0–100 with one decimal'),
  })
  .meta({ id: 'PostureFramework' });

const PlatformCoverageOut = z.object({ rules: z.number().int(), assessed: z.number().int() });

export const FrameworkCoverageOut = FrameworkOut.extend({
  edition: z.string().describe('The edition the requirement ids come from'),
  level: z.string().describe('The level of the hierarchy the catalogue lists'),
  collectedRules: z.number().int().describe('Rules mapped to it that check collected cloud data (aws:, azure:, gcp: kinds)'),
  collectedAssessed: z.number().int().describe('Requirements assessed by those rules'),
  platforms: z.record(z.enum(Object.keys(RULE_PLATFORMS) as [keyof typeof RULE_PLATFORMS, ...(keyof typeof RULE_PLATFORMS)[]]), PlatformCoverageOut).describe('Per rule platform: its rules mapped to the framework and the requirements they assess'),
  assessedRequirements: z.array(z.object({ id: z.string(), title: z.string().nullable(), rules: z.array(z.string()) })).describe('In catalogue order, each with the rules that assess it'),
  unassessedRequirements: z.array(z.object({ id: z.string(), title: z.string().nullable() })).describe('In catalogue order'),
}).meta({ id: 'PostureFrameworkCoverage' });
