import { z } from 'zod';
import { SEVERITIES } from '../../core/advisory.js';
import { POSTURE_TARGET_KINDS } from '../../store/repos/history.js';
import { ProjectOut } from './projectSchemas.js';

/** Response schemas of the dashboard history and aggregate routes (OpenAPI components). */

const SeverityCounts = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number().int()])) as Record<(typeof SEVERITIES)[number], z.ZodNumber>);

export const FindingTrendOut = z
  .object({
    days: z.number().int(),
    points: z.array(
      z.object({
        date: z.string().describe('UTC day, YYYY-MM-DD: counts at its end (now, for today)'),
        total: z.number().int(),
        bySeverity: SeverityCounts,
      }),
    ),
  })
  .meta({ id: 'FindingTrend' });

export const PostureTrendOut = z
  .object({
    days: z.number().int(),
    items: z.array(
      z.object({
        id: z.uuid().describe('The cluster or account id, or the project id (upload)'),
        kind: z.enum(POSTURE_TARGET_KINDS),
        provider: z.string().nullable(),
        name: z.string(),
        points: z.array(
          z.object({
            date: z.string(),
            scanId: z.uuid(),
            createdAt: z.string(),
            risk: z.number().nullable().describe('0-10, lower is better; null for uploaded scans'),
            failed: z.number().int(),
            compliance: z.record(z.string(), z.number()).describe('Compliance % by framework id'),
          }),
        ),
      }),
    ),
  })
  .meta({ id: 'PostureTrend' });

export const ProjectRiskOut = z
  .object({
    open: z.number().int().describe('Open or in-triage findings'),
    bySeverity: SeverityCounts,
    kev: z.number().int().describe('Open findings in CISA KEV'),
    maxEpss: z.number().nullable(),
    maxRisk: z.number().nullable().describe('The highest risk score of an open finding'),
    risk: z.number().describe("The project's risk: sum of its open findings' risk scores (docs/risk.md)"),
  })
  .meta({ id: 'ProjectRisk' });

export const ProjectListItemOut = ProjectOut.extend({ findings: ProjectRiskOut }).meta({ id: 'ProjectListItem' });
