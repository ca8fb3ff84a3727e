import { z } from 'zod';
import { CRITICALITIES, PROJECT_KINDS } from '../../store/repos/projects.js';

/** Response schemas of the project routes (OpenAPI components). */

export const ProjectOut = z
  .object({
    id: z.uuid(),
    tenantId: z.uuid(),
    name: z.string(),
    kind: z.enum(PROJECT_KINDS),
    description: z.string().nullable(),
    criticality: z.enum(CRITICALITIES).describe('How much the project matters: a factor of its findings\' risk score'),
    createdAt: z.string(),
    updatedAt: z.string(),
    latestVersion: z.object({ id: z.uuid(), version: z.string(), components: z.number().int(), createdAt: z.string() }).nullable(),
  })
  .meta({ id: 'Project' });

const Problem = z.object({
  location: z.object({ file: z.string(), line: z.number().int().optional() }),
  reader: z.string(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});

export const VersionOut = z
  .object({
    id: z.uuid(),
    projectId: z.uuid(),
    version: z.string(),
    source: z.object({ kind: z.enum(['directory', 'file', 'image', 'sbom']), name: z.string() }),
    document: z.object({ sha256: z.string(), name: z.string(), bytes: z.number().int() }).nullable(),
    os: z.object({ id: z.string(), versionId: z.string().optional(), prettyName: z.string().optional() }).nullable(),
    components: z.number().int(),
    errors: z.number().int().describe('Problems that lost content (a file or record that could not be read)'),
    problems: z.array(Problem).readonly(),
    files: z.array(z.object({ path: z.string(), reader: z.string(), packages: z.number().int() })).readonly(),
    createdBy: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'ProjectVersion' });

export const ComponentOut = z
  .object({
    ref: z.string().describe('The component id within the version (CycloneDX bom-ref)'),
    name: z.string(),
    version: z.string(),
    ecosystem: z.string(),
    purl: z.string(),
    direct: z.boolean().nullable(),
    scope: z.string().nullable(),
    groups: z.array(z.string()).readonly(),
    location: z.object({ file: z.string(), line: z.number().int().nullable() }),
    licenses: z.array(z.string()).readonly(),
    sourceName: z.string().nullable(),
    sourceVersion: z.string().nullable(),
    commit: z.string().nullable(),
    hashes: z.array(z.object({ alg: z.string(), content: z.string() })).readonly(),
    layer: z.object({ digest: z.string(), index: z.number().int(), createdBy: z.string().optional() }).nullable(),
    properties: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Component' });

export const DiffOut = z
  .object({
    from: z.string(),
    to: z.string(),
    added: z.array(ComponentOut).readonly(),
    removed: z.array(ComponentOut).readonly(),
    changed: z.array(z.object({ ecosystem: z.string(), name: z.string(), from: z.array(z.string()).readonly(), to: z.array(z.string()).readonly() })).readonly(),
    unchanged: z.number().int(),
  })
  .meta({ id: 'ComponentDiff' });

export const MatchOut = z
  .object({
    current: z.boolean().describe('false when a newer version exists: the project\'s findings follow that one'),
    total: z.number().int().describe('Findings in this version'),
    created: z.number().int(),
    updated: z.number().int(),
    fixed: z.number().int().describe('Findings of the previous version no longer present'),
    reopened: z.number().int(),
    inherited: z.number().int().describe('New findings that took an earlier triage decision for the same package and vulnerability'),
    unassessed: z.number().int().describe('Packages that could not be assessed (unknown version scheme, invalid version)'),
    durationMs: z.number().int(),
  })
  .meta({ id: 'MatchResult' });

export const UploadOut = z
  .object({
    project: ProjectOut,
    projectCreated: z.boolean(),
    version: VersionOut,
    findings: MatchOut.nullable().describe('The version matched against the advisory database; null when matching failed (logged, retried after the next feed import)'),
  })
  .meta({ id: 'UploadResult' });
