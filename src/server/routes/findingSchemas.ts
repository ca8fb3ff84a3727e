import { z } from 'zod';
import { SEVERITIES } from '../../core/advisory.js';
import { VEX_JUSTIFICATIONS } from '../../store/repos/findingQueries.js';
import { FINDING_STATES } from '../../store/repos/findings.js';

/** Response and request schemas of the findings, SLA and events routes (OpenAPI components). */

const Cvss = z.object({ version: z.string(), vector: z.string(), score: z.number().nullable(), severity: z.string(), source: z.string() });

export const RiskOut = z
  .object({
    score: z.number().describe('0-10, see docs/risk.md'),
    contributions: z.array(
      z.object({
        factor: z.enum(['cvss', 'epss', 'kev', 'fix', 'reachability', 'criticality']),
        input: z.union([z.string(), z.number(), z.boolean(), z.null()]),
        effect: z.number().describe('Points added, or the multiplier for reachability and criticality'),
        explanation: z.string(),
      }),
    ).readonly(),
  })
  .meta({ id: 'Risk' });

export const MatchedFinding = z
  .object({
    id: z.string(),
    aliases: z.array(z.string()).readonly(),
    advisories: z.array(z.string()).readonly(),
    title: z.string().nullable(),
    published: z.string().nullable().optional(),
    package: z.object({
      id: z.string(),
      name: z.string(),
      version: z.string(),
      purl: z.string(),
      ecosystem: z.string(),
      location: z.object({ file: z.string(), line: z.number().int().optional() }),
      direct: z.boolean().optional(),
      scope: z.string().optional(),
    }),
    severity: z.enum(SEVERITIES),
    sourceSeverity: z.string().nullable(),
    cvss: z.array(Cvss).readonly(),
    fixedVersions: z.array(z.string()).readonly(),
    kev: z.object({ dateAdded: z.string(), dueDate: z.string(), knownRansomwareCampaignUse: z.string() }).nullable(),
    epss: z.object({ score: z.number(), percentile: z.number(), date: z.string() }).nullable(),
    path: z.array(z.string()).readonly().describe('Package ids from a direct dependency down to this package'),
    matchedBy: z.string(),
    confidence: z.enum(['high', 'low']),
    risk: RiskOut,
    suppression: z
      .object({
        kind: z.enum(['ignore-file', 'vex', 'triage']),
        status: z.string(),
        justification: z.string().optional(),
        reason: z.string().optional(),
        expires: z.string().optional(),
        source: z.string(),
      })
      .optional(),
  })
  .meta({ id: 'MatchedFinding' });

export const FindingOut = z
  .object({
    id: z.uuid(),
    projectId: z.uuid(),
    projectName: z.string(),
    versionId: z.uuid().nullable(),
    vulnId: z.string(),
    aliases: z.array(z.string()),
    title: z.string().nullable(),
    package: z.object({ name: z.string(), version: z.string(), purl: z.string(), ecosystem: z.string() }),
    severity: z.enum(SEVERITIES),
    cvssScore: z.number().nullable(),
    kev: z.boolean(),
    epss: z.number().nullable(),
    risk: z.number(),
    fixedVersion: z.string().nullable(),
    direct: z.boolean().nullable(),
    confidence: z.enum(['high', 'low']),
    state: z.enum(FINDING_STATES),
    triage: z
      .object({ state: z.string(), justification: z.string().nullable(), reason: z.string().nullable(), expiresAt: z.string().nullable(), by: z.string().nullable(), at: z.string().nullable() })
      .nullable(),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
    fixedAt: z.string().nullable(),
    slaDueAt: z.string().nullable(),
    slaBreachedAt: z.string().nullable(),
    finding: MatchedFinding,
  })
  .meta({ id: 'Finding' });

export const HistoryOut = z.object({
  at: z.string(),
  actor: z.string().describe('As recorded: user:<id>, api-key:<id>, system:<what>'),
  actorType: z.enum(['user', 'apikey', 'system', 'unknown']),
  actorName: z.string().describe("The user's name and email, the API key's name, or the actor as recorded when unknown"),
  from: z.string().nullable(),
  to: z.string(),
  justification: z.string().nullable(),
  reason: z.string().nullable(),
  expiresAt: z.string().nullable(),
});

export const SummaryOut = z
  .object({
    total: z.number().int(),
    active: z.number().int().describe('Open or in triage'),
    bySeverity: z.record(z.string(), z.number().int()).describe('Active findings by severity'),
    byState: z.record(z.string(), z.number().int()),
    kev: z.number().int(),
    fixAvailable: z.number().int(),
    slaBreached: z.number().int(),
    slaDueSoon: z.number().int(),
  })
  .meta({ id: 'FindingSummary' });

const csv = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .max(500)
    .transform((s, ctx) => {
      const parts = s.split(',').map((x) => x.trim()).filter(Boolean);
      for (const p of parts) if (!(values as readonly string[]).includes(p)) ctx.addIssue({ code: 'custom', message: `"${p}" is not one of ${values.join(', ')}` });
      return parts;
    });
const num = (min: number, max: number) => z.coerce.number().min(min).max(max);
const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The findings list filter, shared by GET /findings and bulk triage (as a body). */
export const FindingFilterQuery = {
  project: z
    .string()
    .max(2000)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .pipe(z.array(z.uuid()).max(50))
    .optional()
    .describe('Project id(s), comma-separated'),
  severity: csv(SEVERITIES).optional().describe('Severities, comma-separated'),
  state: csv(FINDING_STATES).optional().describe('States, comma-separated (default: open,in_triage; `all` via includeClosed=true)'),
  includeClosed: bool.optional().describe('Include accepted, false-positive, not-affected and fixed findings when no state is given'),
  kev: bool.optional(),
  epssMin: num(0, 1).optional(),
  riskMin: num(0, 10).optional(),
  cvssMin: num(0, 10).optional(),
  package: z.string().max(500).optional().describe('Package name, or a purl (with or without version)'),
  ecosystem: z.string().max(100).optional(),
  advisory: z.string().max(100).optional().describe('Any id of the vulnerability: CVE, GHSA, PYSEC, GO ...'),
  slaDueBefore: z.iso.datetime({ offset: true }).optional(),
  slaBreached: bool.optional(),
  direct: bool.optional(),
  fixAvailable: bool.optional(),
};

export const TriageBody = {
  state: z.enum(FINDING_STATES).describe('`open` clears the decision'),
  justification: z.enum(VEX_JUSTIFICATIONS).optional().describe('Required for not_affected (the VEX justification)'),
  reason: z.string().min(1).max(4000).optional().describe('Why: required for accepted_risk and false_positive'),
  expiresAt: z.iso.datetime({ offset: true }).optional().describe('Required for accepted_risk: when the acceptance lapses'),
};

export const SlaPolicyBody = z
  .strictObject({
    criticalDays: z.number().int().min(0).max(3650),
    highDays: z.number().int().min(0).max(3650),
    mediumDays: z.number().int().min(0).max(3650),
    lowDays: z.number().int().min(0).max(3650),
    unknownDays: z.number().int().min(0).max(3650).nullable().default(null),
    kevDays: z.number().int().min(0).max(3650).nullable().default(14),
    start: z.enum(['first_seen', 'published']).default('first_seen'),
    dueSoonDays: z.number().int().min(0).max(365).default(7),
  })
  .meta({ id: 'SlaPolicy' });

export const SlaPolicyOut = SlaPolicyBody.extend({ custom: z.boolean().describe('false: the built-in defaults apply') });

export const EventOut = z.object({ id: z.string(), type: z.string(), subject: z.string(), payload: z.unknown(), createdAt: z.string() }).meta({ id: 'Event' });
