import { VigilError } from '../core/errors.js';

/**
 * Keyset (cursor) pagination over a whitelisted sort column plus `id` as the tie-breaker.
 * The cursor is opaque to clients: base64url JSON of the last row's sort value and id.
 */
export interface SortColumn {
  readonly column: string;
  readonly cast: 'timestamptz' | 'text' | 'numeric';
}

export interface PageRequest {
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** `field` ascending, `-field` descending. */
  readonly sort: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

export interface KeysetSql {
  /**
   * An expression to SELECT (as `sort_key`) whose value makes the next cursor. Timestamps are
   * rendered at full microsecond precision: a JS Date would cut them to milliseconds and an
   * ascending page on PostgreSQL could then return its last row again.
   */
  readonly sortKey: string;
  /** A condition to AND into the WHERE clause (or `TRUE`). */
  readonly where: string;
  readonly orderBy: string;
  readonly limit: number;
  readonly params: unknown[];
}

export function parseSort(sort: string, allowed: Readonly<Record<string, SortColumn>>): { col: SortColumn; field: string; desc: boolean } {
  const desc = sort.startsWith('-');
  const field = desc ? sort.slice(1) : sort;
  const col = allowed[field];
  if (!col) {
    throw new VigilError('validation', `cannot sort by "${field}"`, {
      errors: [{ pointer: '/querystring/sort', detail: `expected one of ${Object.keys(allowed).flatMap((k) => [k, `-${k}`]).join(', ')}` }],
    });
  }
  return { col, field, desc };
}

/** Builds the keyset clause; `firstParam` is the index of the first `$n` placeholder to use. */
export function keyset(req: PageRequest, allowed: Readonly<Record<string, SortColumn>>, firstParam: number, idColumn = 'id'): KeysetSql {
  const { col, desc } = parseSort(req.sort, allowed);
  const dir = desc ? 'DESC' : 'ASC';
  const orderBy = `${col.column} ${dir}, ${idColumn} ${dir}`;
  const sortKey =
    col.cast === 'timestamptz' ? `to_char(${col.column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : col.cast === 'numeric' ? `(${col.column})::text` : col.column;
  if (!req.cursor) return { sortKey, where: 'TRUE', orderBy, limit: req.limit + 1, params: [] };
  const [value, id] = decodeCursor(req.cursor);
  const op = desc ? '<' : '>';
  return {
    sortKey,
    where: `(${col.column}, ${idColumn}) ${op} ($${firstParam}::${col.cast}, $${firstParam + 1}::uuid)`,
    orderBy,
    limit: req.limit + 1,
    params: [value, id],
  };
}

/** Cuts the extra row fetched by `keyset` and makes the next cursor from the last row kept. */
export function toPage<T extends { id: string }>(rows: T[], req: PageRequest, sortValue: (row: T) => unknown): Page<T> {
  const more = rows.length > req.limit;
  const items = more ? rows.slice(0, req.limit) : rows;
  const last = items[items.length - 1];
  return { items, nextCursor: more && last ? encodeCursor(sortValue(last), last.id) : null };
}

export function encodeCursor(value: unknown, id: string): string {
  const v = value instanceof Date ? value.toISOString() : value;
  return Buffer.from(JSON.stringify([v, id]), 'utf8').toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function decodeCursor(cursor: string): [string, string] {
  const bad = () =>
    new VigilError('validation', 'invalid cursor', { errors: [{ pointer: '/querystring/cursor', detail: 'expected a cursor returned as nextCursor by this list' }] });
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || typeof parsed[1] !== 'string' || !UUID.test(parsed[1])) {
    throw bad();
  }
  return [parsed[0], parsed[1]];
}
