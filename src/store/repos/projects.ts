import { CRITICALITIES, type Criticality } from '../../match/risk.js';
import type { Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';

/** Projects (an application, a service or an image) and their versions. Tenant transactions only. */

export const PROJECT_KINDS = ['application', 'service', 'image'] as const;
export type ProjectKind = (typeof PROJECT_KINDS)[number];
export { CRITICALITIES, type Criticality };

export interface Project {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly kind: ProjectKind;
  readonly description: string | null;
  /** How much the project matters: a factor of its findings' risk score. */
  readonly criticality: Criticality;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The most recent version's name and counts, when the project has one. */
  readonly latestVersion: { readonly id: string; readonly version: string; readonly components: number; readonly createdAt: string } | null;
}

interface ProjectRow {
  id: string;
  tenant_id: string;
  name: string;
  kind: ProjectKind;
  description: string | null;
  criticality: Criticality;
  created_at: Date;
  updated_at: Date;
  latest: { id: string; version: string; components: number; created_at: string } | null;
}

const toProject = (r: ProjectRow): Project => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  kind: r.kind,
  description: r.description,
  criticality: r.criticality,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  latestVersion: r.latest && { id: r.latest.id, version: r.latest.version, components: r.latest.components, createdAt: new Date(r.latest.created_at).toISOString() },
});

const SELECT_PROJECT = `SELECT p.*, (SELECT json_build_object('id', v.id, 'version', v.version, 'components', v.component_count, 'created_at', v.created_at)
    FROM project_versions v WHERE v.project_id = p.id ORDER BY v.created_at DESC, v.id DESC LIMIT 1) AS latest FROM projects p`;

export const PROJECT_SORT: Record<string, SortColumn> = {
  name: { column: 'p.name', cast: 'text' },
  createdAt: { column: 'p.created_at', cast: 'timestamptz' },
  updatedAt: { column: 'p.updated_at', cast: 'timestamptz' },
};

export async function createProject(
  q: Queryable,
  tenantId: string,
  p: { name: string; kind: ProjectKind; description?: string | null | undefined; criticality?: Criticality | undefined },
): Promise<Project | undefined> {
  const { rows } = await q.query<{ id: string }>(
    'INSERT INTO projects (tenant_id, name, kind, description, criticality) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id',
    [tenantId, p.name, p.kind, p.description ?? null, p.criticality ?? 'medium'],
  );
  return rows[0] && getProject(q, rows[0].id);
}

/** The project of that name, created (with `kind`) when there is none: uploads name projects. */
export async function ensureProject(q: Queryable, tenantId: string, name: string, kind: ProjectKind): Promise<{ project: Project; created: boolean }> {
  const created = await createProject(q, tenantId, { name, kind });
  if (created) return { project: created, created: true };
  const { rows } = await q.query<ProjectRow>(`${SELECT_PROJECT} WHERE p.name = $1`, [name]);
  return { project: toProject(rows[0]!), created: false };
}

export async function getProject(q: Queryable, id: string): Promise<Project | undefined> {
  const { rows } = await q.query<ProjectRow>(`${SELECT_PROJECT} WHERE p.id = $1`, [id]);
  return rows[0] && toProject(rows[0]);
}

export async function listProjects(q: Queryable, filter: { q?: string | undefined; kind?: ProjectKind | undefined }, page: PageRequest): Promise<Page<Project>> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (filter.q) where.push(`p.name ILIKE $${params.push(`%${filter.q.replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (filter.kind) where.push(`p.kind = $${params.push(filter.kind)}`);
  const ks = keyset(page, PROJECT_SORT, params.length + 1, 'p.id');
  params.push(...ks.params);
  const { rows } = await q.query<ProjectRow & { sort_key: string }>(
    `SELECT p.*, ${ks.sortKey} AS sort_key FROM (${SELECT_PROJECT}) p WHERE ${[...where, ks.where].join(' AND ')} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    params,
  );
  const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
  return toPage(rows.map(toProject), page, (x) => keys.get(x.id));
}

export async function updateProject(
  q: Queryable,
  id: string,
  p: { name?: string | undefined; kind?: ProjectKind | undefined; description?: string | null | undefined; criticality?: Criticality | undefined },
): Promise<Project | undefined | 'conflict'> {
  try {
    const { rows } = await q.query<{ id: string }>(
      `UPDATE projects SET name = COALESCE($2, name), kind = COALESCE($3, kind),
         description = CASE WHEN $4::boolean THEN $5 ELSE description END, criticality = COALESCE($6, criticality), updated_at = now()
       WHERE id = $1 RETURNING id`,
      [id, p.name ?? null, p.kind ?? null, p.description !== undefined, p.description ?? null, p.criticality ?? null],
    );
    return rows[0] && getProject(q, rows[0].id);
  } catch (err) {
    if ((err as { code?: string }).code === '23505') return 'conflict';
    throw err;
  }
}

export async function deleteProject(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query('DELETE FROM projects WHERE id = $1 RETURNING id', [id]);
  return rows.length === 1;
}
