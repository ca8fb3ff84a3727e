import type { Edge, Inventory, Package, ReadProblem } from '../../inventory/model.js';
import { VigilError } from '../../core/errors.js';
import { copyArray, copyBool, copyInt, copyText } from '../copy.js';
import { APP_ROLE, type Queryable } from '../db.js';
import { keyset, toPage, type Page, type PageRequest, type SortColumn } from '../paging.js';

/**
 * Versions of a project and their inventories (components and dependency edges). Saving a
 * version replaces what it held before, in one transaction. Tenant transactions only.
 */

export interface StoredDocument {
  readonly sha256: string;
  readonly name: string;
  readonly bytes: number;
}

export interface ProjectVersion {
  readonly id: string;
  readonly projectId: string;
  readonly version: string;
  readonly source: { readonly kind: Inventory['source']['kind']; readonly name: string };
  readonly document: StoredDocument | null;
  readonly os: NonNullable<Inventory['os']> | null;
  readonly components: number;
  readonly errors: number;
  readonly problems: readonly ReadProblem[];
  readonly files: Inventory['files'];
  readonly createdBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

interface VersionRow {
  id: string;
  project_id: string;
  version: string;
  source_kind: Inventory['source']['kind'];
  source_name: string;
  document_sha256: string | null;
  document_name: string | null;
  document_bytes: string | null;
  os: NonNullable<Inventory['os']> | null;
  layers: Inventory['layers'] | null;
  files: Inventory['files'];
  problems: ReadProblem[];
  component_count: number;
  error_count: number;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
}

const toVersion = (r: VersionRow): ProjectVersion => ({
  id: r.id,
  projectId: r.project_id,
  version: r.version,
  source: { kind: r.source_kind, name: r.source_name },
  document: r.document_sha256 ? { sha256: r.document_sha256, name: r.document_name ?? '', bytes: Number(r.document_bytes ?? 0) } : null,
  os: r.os,
  components: r.component_count,
  errors: r.error_count,
  problems: r.problems,
  files: r.files,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export const VERSION_SORT: Record<string, SortColumn> = {
  createdAt: { column: 'created_at', cast: 'timestamptz' },
  version: { column: 'version', cast: 'text' },
};

/** Components written per statement. */
const CHUNK = 10_000;

/**
 * Stores `inv` as version `version` of the project, replacing an earlier upload of the same
 * version. Returns the stored version.
 */
export async function saveVersion(
  q: Queryable,
  tenantId: string,
  projectId: string,
  version: string,
  inv: Inventory,
  opts: { document?: StoredDocument | undefined; createdBy?: string | undefined } = {},
): Promise<ProjectVersion> {
  const errors = inv.problems.filter((p) => p.severity === 'error').length;
  // Edges go on their source component's row; edges from anything else (the project root) on the version.
  const refs = new Set(inv.packages.map((p) => p.id));
  const dependsOn = new Map<string, string[]>();
  const rootEdges: Edge[] = [];
  for (const e of inv.edges) {
    if (!refs.has(e.from)) rootEdges.push(e);
    else {
      const list = dependsOn.get(e.from);
      if (list) list.push(e.to);
      else dependsOn.set(e.from, [e.to]);
    }
  }
  const { rows } = await q.query<VersionRow>(
    `INSERT INTO project_versions (tenant_id, project_id, version, source_kind, source_name, document_sha256, document_name, document_bytes,
        os, layers, files, problems, component_count, error_count, created_by, root_edges)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::text::jsonb, $10::text::jsonb, $11::text::jsonb, $12::text::jsonb, $13, $14, $15, $16::text::jsonb)
     ON CONFLICT (project_id, version) DO UPDATE SET source_kind = EXCLUDED.source_kind, source_name = EXCLUDED.source_name,
        document_sha256 = EXCLUDED.document_sha256, document_name = EXCLUDED.document_name, document_bytes = EXCLUDED.document_bytes,
        os = EXCLUDED.os, layers = EXCLUDED.layers, files = EXCLUDED.files, problems = EXCLUDED.problems,
        component_count = EXCLUDED.component_count, error_count = EXCLUDED.error_count, created_by = EXCLUDED.created_by,
        root_edges = EXCLUDED.root_edges, updated_at = now()
     RETURNING *`,
    [
      tenantId,
      projectId,
      version,
      inv.source.kind,
      inv.source.name,
      opts.document?.sha256 ?? null,
      opts.document?.name ?? null,
      opts.document?.bytes ?? null,
      JSON.stringify(inv.os ?? null),
      JSON.stringify(inv.layers ?? null),
      JSON.stringify(inv.files),
      JSON.stringify(inv.problems.slice(0, 1000)),
      inv.packages.length,
      errors,
      opts.createdBy ?? null,
      JSON.stringify(rootEdges.map((e) => [e.from, e.to])),
    ],
  );
  const row = rows[0]!;
  // COPY FROM is not subject to row-level security (PostgreSQL refuses it for a role RLS
  // applies to), so bulk loads run under the owner role for the COPY alone. Every row's
  // tenant_id is the one this transaction is for, checked here, and RLS holds again after.
  const { rows: same } = await q.query<{ ok: boolean }>('SELECT vigil_current_tenant() = $1::uuid AS ok', [tenantId]);
  if (same[0]?.ok !== true) throw new Error('saveVersion: tenant does not match the transaction');
  await q.query('DELETE FROM components WHERE version_id = $1', [row.id]);
  for (let i = 0; i < inv.packages.length; i += CHUNK) await insertComponents(q, tenantId, row.id, inv.packages.slice(i, i + CHUNK), i, dependsOn);
  await q.query('UPDATE projects SET updated_at = now() WHERE id = $1', [projectId]);
  return toVersion(row);
}

function extraOf(p: Package): string | null {
  const hashes = p.hashes ?? undefined;
  const layer = p.layer ?? undefined;
  const properties = p.properties ?? undefined;
  if (hashes === undefined && layer === undefined && properties === undefined) return null;
  // JSON.stringify leaves out the members that are undefined. jsonb refuses \u0000 escapes.
  const json = JSON.stringify({ hashes, layer, properties });
  return json.includes('\\u0000') ? json.replaceAll('\\u0000', '\\ufffd') : json;
}

/** Runs a COPY under the session's own role, then takes the tenant role again. */
async function asOwner(q: Queryable, fn: () => Promise<void>): Promise<void> {
  await q.query('RESET ROLE');
  try {
    await fn();
  } finally {
    await q.query(`SET LOCAL ROLE ${APP_ROLE}`);
  }
}

const COMPONENT_COLUMNS = 'tenant_id, version_id, seq, ref, name, version, ecosystem, purl, direct, scope, groups, file, line, licenses, source_name, source_version, commit, extra, depends_on';

/** NUL cannot be stored in text: readers never produce it from valid input, but be safe. */
const noNul = (s: string): string => (s.includes('\u0000') ? s.replaceAll('\u0000', '\uFFFD') : s);

/** What a COPY text field must not hold as it is: the escaped characters and NUL (one scan for the common case). */
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const SPECIAL = /[\\\t\n\r\u0000]/;
/** …and inside a quoted array element, the quote. */
// eslint-disable-next-line no-control-regex -- NUL is what this looks for
const ARRAY_SPECIAL = /[\\"\t\n\r\u0000]/;

const copyField = (s: string): string => (SPECIAL.test(s) ? copyText(noNul(s)) : s);
const nullableField = (s: string | null | undefined): string => (s === undefined || s === null ? '\\N' : copyField(s));
/** A text[] field: `{"a","b"}` directly when no element needs escaping, else through copyArray. */
function arrayField(items: readonly string[] | undefined): string {
  if (items === undefined || items.length === 0) return '{}';
  if (items.some((x) => ARRAY_SPECIAL.test(x))) return copyArray(items.map(noNul));
  return `{"${items.join('","')}"}`;
}

async function insertComponents(q: Queryable, tenantId: string, versionId: string, pkgs: readonly Package[], first: number, dependsOn: ReadonlyMap<string, readonly string[]>): Promise<void> {
  if (q.copyFrom) {
    // The version's rows belong to this transaction alone (deleted above): COPY is safe on
    // either database and several times faster than a multi-row INSERT.
    let rows = '';
    for (let i = 0; i < pkgs.length; i++) {
      const p = pkgs[i]!;
      rows +=
        `${tenantId}\t${versionId}\t${first + i}\t${copyField(p.id)}\t${copyField(p.name)}\t${copyField(p.version)}\t${copyField(p.ecosystem)}\t${copyField(p.purl)}\t` +
        `${copyBool(p.direct)}\t${nullableField(p.scope)}\t${arrayField(p.groups)}\t${copyField(p.location.file)}\t${copyInt(p.location.line)}\t` +
        `${arrayField(p.licenses)}\t${nullableField(p.sourceName)}\t${nullableField(p.sourceVersion)}\t${nullableField(p.commit)}\t` +
        `${nullableField(extraOf(p))}\t${arrayField(dependsOn.get(p.id))}\n`;
    }
    await asOwner(q, () => q.copyFrom!(`components (${COMPONENT_COLUMNS})`, rows));
    return;
  }
  await q.query(
    `INSERT INTO components (tenant_id, version_id, seq, ref, name, version, ecosystem, purl, direct, scope, groups, file, line, licenses,
        source_name, source_version, commit, extra, depends_on)
     SELECT $1, $2, c.seq, c.ref, c.name, c.version, c.ecosystem, c.purl, c.direct, c.scope, COALESCE(c.groups, '{}'), c.file, c.line,
        COALESCE(c.licenses, '{}'), c.sn, c.sv, c.commit, c.extra::jsonb, COALESCE(c.deps, '{}')
       FROM json_to_recordset($3::json) AS c(seq integer, ref text, name text, version text, ecosystem text, purl text, direct boolean,
        scope text, groups text[], file text, line integer, licenses text[], sn text, sv text, commit text, extra text, deps text[])`,
    [
      tenantId,
      versionId,
      JSON.stringify(
        pkgs.map((p, i) => ({
          seq: first + i,
          ref: p.id,
          name: p.name,
          version: p.version,
          ecosystem: p.ecosystem,
          purl: p.purl,
          direct: p.direct ?? null,
          scope: p.scope ?? null,
          groups: p.groups ?? null,
          file: p.location.file,
          line: p.location.line ?? null,
          licenses: p.licenses ?? null,
          sn: p.sourceName ?? null,
          sv: p.sourceVersion ?? null,
          commit: p.commit ?? null,
          extra: extraOf(p),
          deps: dependsOn.get(p.id) ?? null,
        })),
      ),
    ],
  );
}

export async function getVersion(q: Queryable, projectId: string, versionId: string): Promise<ProjectVersion | undefined> {
  const { rows } = await q.query<VersionRow>('SELECT * FROM project_versions WHERE id = $1 AND project_id = $2', [versionId, projectId]);
  return rows[0] && toVersion(rows[0]);
}

/** A version by its name (`1.2.0`) or id. */
export async function findVersion(q: Queryable, projectId: string, ref: string): Promise<ProjectVersion | undefined> {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ref);
  const { rows } = await q.query<VersionRow>(
    `SELECT * FROM project_versions WHERE project_id = $1 AND (version = $2 ${isUuid ? 'OR id = $2::uuid' : ''}) ORDER BY (version = $2) DESC LIMIT 1`,
    [projectId, ref],
  );
  return rows[0] && toVersion(rows[0]);
}

export async function listVersions(q: Queryable, projectId: string, page: PageRequest): Promise<Page<ProjectVersion>> {
  const ks = keyset(page, VERSION_SORT, 2);
  const { rows } = await q.query<VersionRow & { sort_key: string }>(
    `SELECT *, ${ks.sortKey} AS sort_key FROM project_versions WHERE project_id = $1 AND ${ks.where} ORDER BY ${ks.orderBy} LIMIT ${ks.limit}`,
    [projectId, ...ks.params],
  );
  const keys = new Map(rows.map((r) => [r.id, r.sort_key]));
  return toPage(rows.map(toVersion), page, (x) => keys.get(x.id));
}

export async function deleteVersion(q: Queryable, projectId: string, versionId: string): Promise<boolean> {
  const { rows } = await q.query('DELETE FROM project_versions WHERE id = $1 AND project_id = $2 RETURNING id', [versionId, projectId]);
  return rows.length === 1;
}

export interface Component {
  readonly ref: string;
  readonly name: string;
  readonly version: string;
  readonly ecosystem: string;
  readonly purl: string;
  readonly direct: boolean | null;
  readonly scope: string | null;
  readonly groups: readonly string[];
  readonly location: { readonly file: string; readonly line: number | null };
  readonly licenses: readonly string[];
  readonly sourceName: string | null;
  readonly sourceVersion: string | null;
  readonly commit: string | null;
  readonly hashes: readonly { alg: string; content: string }[];
  readonly layer: NonNullable<Package['layer']> | null;
  readonly properties: Readonly<Record<string, string>>;
}

interface ComponentRow {
  seq: number;
  ref: string;
  name: string;
  version: string;
  ecosystem: string;
  purl: string;
  direct: boolean | null;
  scope: string | null;
  groups: string[];
  file: string;
  line: number | null;
  licenses: string[];
  source_name: string | null;
  source_version: string | null;
  commit: string | null;
  extra: { hashes?: Component['hashes']; layer?: Package['layer']; properties?: Record<string, string> } | null;
  depends_on: string[];
}

const toComponent = (r: ComponentRow): Component => ({
  ref: r.ref,
  name: r.name,
  version: r.version,
  ecosystem: r.ecosystem,
  purl: r.purl,
  direct: r.direct,
  scope: r.scope,
  groups: r.groups,
  location: { file: r.file, line: r.line },
  licenses: r.licenses,
  sourceName: r.source_name,
  sourceVersion: r.source_version,
  commit: r.commit,
  hashes: r.extra?.hashes ?? [],
  layer: r.extra?.layer ?? null,
  properties: r.extra?.properties ?? {},
});

export interface ComponentFilter {
  /** Substring of the name or purl. */
  readonly q?: string | undefined;
  readonly ecosystem?: string | undefined;
  readonly direct?: boolean | undefined;
  readonly scope?: string | undefined;
  readonly license?: string | undefined;
}

const COMPONENT_SORT = { name: 'name', ecosystem: 'ecosystem', file: 'file' } as const;
export const COMPONENT_SORT_FIELDS = Object.keys(COMPONENT_SORT) as (keyof typeof COMPONENT_SORT)[];

const badCursor = () => new VigilError('validation', 'invalid cursor', { errors: [{ pointer: '/querystring/cursor', detail: 'expected a cursor returned as nextCursor by this list' }] });

/** Components of a version, filtered, sorted by name/ecosystem/file (then position), cursor-paged. */
export async function listComponents(q: Queryable, versionId: string, filter: ComponentFilter, page: PageRequest): Promise<Page<Component>> {
  const desc = page.sort.startsWith('-');
  const field = (desc ? page.sort.slice(1) : page.sort) as keyof typeof COMPONENT_SORT;
  const column = COMPONENT_SORT[field];
  if (!column) throw new VigilError('validation', `cannot sort by "${field}"`, { errors: [{ pointer: '/querystring/sort', detail: `expected one of ${COMPONENT_SORT_FIELDS.join(', ')}` }] });
  const params: unknown[] = [versionId];
  const where = ['version_id = $1'];
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    where.push(`(name ILIKE $${params.push(like)} OR purl ILIKE $${params.length})`);
  }
  if (filter.ecosystem) where.push(`ecosystem = $${params.push(filter.ecosystem)}`);
  if (filter.direct !== undefined) where.push(`direct IS NOT DISTINCT FROM $${params.push(filter.direct)}`);
  if (filter.scope) where.push(`scope = $${params.push(filter.scope)}`);
  if (filter.license) where.push(`$${params.push(filter.license)} = ANY(licenses)`);
  if (page.cursor) {
    let c: unknown;
    try {
      c = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8'));
    } catch {
      throw badCursor();
    }
    if (!Array.isArray(c) || c.length !== 2 || typeof c[0] !== 'string' || !Number.isInteger(c[1])) throw badCursor();
    where.push(`(${column}, seq) ${desc ? '<' : '>'} ($${params.push(c[0])}, $${params.push(c[1])})`);
  }
  const dir = desc ? 'DESC' : 'ASC';
  const { rows } = await q.query<ComponentRow>(`SELECT * FROM components WHERE ${where.join(' AND ')} ORDER BY ${column} ${dir}, seq ${dir} LIMIT ${page.limit + 1}`, params);
  const more = rows.length > page.limit;
  const items = more ? rows.slice(0, page.limit) : rows;
  const last = items.at(-1);
  return {
    items: items.map(toComponent),
    nextCursor: more && last ? Buffer.from(JSON.stringify([last[column], last.seq])).toString('base64url') : null,
  };
}

/** The whole inventory of a version, for SBOM export. */
export async function loadInventory(q: Queryable, v: ProjectVersion, projectName: string): Promise<Inventory> {
  const { rows } = await q.query<ComponentRow>('SELECT * FROM components WHERE version_id = $1 ORDER BY seq', [v.id]);
  const extra = (await q.query<{ layers: Inventory['layers'] | null; root_edges: [string, string][] }>('SELECT layers, root_edges FROM project_versions WHERE id = $1', [v.id])).rows[0];
  const layers = extra?.layers;
  const edges: Edge[] = (extra?.root_edges ?? []).map(([from, to]) => ({ from, to }));
  for (const r of rows) for (const to of r.depends_on) edges.push({ from: r.ref, to });
  const packages: Package[] = rows.map((r) => ({
    id: r.ref,
    name: r.name,
    version: r.version,
    ecosystem: r.ecosystem,
    purl: r.purl,
    ...(r.direct !== null && { direct: r.direct }),
    ...(r.scope !== null && { scope: r.scope as Package['scope'] }),
    ...(r.groups.length > 0 && { groups: r.groups }),
    location: { file: r.file, ...(r.line !== null && { line: r.line }) },
    ...(r.licenses.length > 0 && { licenses: r.licenses }),
    ...(r.source_name !== null && { sourceName: r.source_name }),
    ...(r.source_version !== null && { sourceVersion: r.source_version }),
    ...(r.commit !== null && { commit: r.commit }),
    ...(r.extra?.hashes && { hashes: r.extra.hashes }),
    ...(r.extra?.layer && { layer: r.extra.layer }),
    ...(r.extra?.properties && { properties: r.extra.properties }),
  }));
  return {
    source: { kind: v.source.kind, name: projectName, version: v.version },
    packages,
    edges,
    problems: v.problems,
    files: v.files,
    ...(v.os && { os: v.os }),
    ...(layers && { layers }),
  };
}

export interface ComponentDiff {
  readonly added: readonly Component[];
  readonly removed: readonly Component[];
  /** Same ecosystem and name, other version(s). */
  readonly changed: readonly { readonly ecosystem: string; readonly name: string; readonly from: readonly string[]; readonly to: readonly string[] }[];
  readonly unchanged: number;
}

/** Components added, removed and changed (by ecosystem + name) from version `from` to `to`. */
export async function diffVersions(q: Queryable, fromId: string, toId: string): Promise<ComponentDiff> {
  const load = async (id: string) => (await q.query<ComponentRow>('SELECT * FROM components WHERE version_id = $1 ORDER BY seq', [id])).rows;
  const [a, b] = [await load(fromId), await load(toId)];
  const key = (r: ComponentRow) => `${r.ecosystem}\0${r.name}`;
  const group = (rows: ComponentRow[]) => {
    const m = new Map<string, ComponentRow[]>();
    for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  const [ga, gb] = [group(a), group(b)];
  const added: Component[] = [];
  const removed: Component[] = [];
  const changed: ComponentDiff['changed'][number][] = [];
  let unchanged = 0;
  const versions = (rows: ComponentRow[]) => [...new Set(rows.map((r) => r.version))].sort();
  for (const [k, rowsB] of gb) {
    const rowsA = ga.get(k);
    if (!rowsA) added.push(...rowsB.map(toComponent));
    else if (versions(rowsA).join('\0') !== versions(rowsB).join('\0')) changed.push({ ecosystem: rowsB[0]!.ecosystem, name: rowsB[0]!.name, from: versions(rowsA), to: versions(rowsB) });
    else unchanged++;
  }
  for (const [k, rowsA] of ga) if (!gb.has(k)) removed.push(...rowsA.map(toComponent));
  return { added, removed, changed, unchanged };
}
