import { parse as parseCsv, type CsvError, type Info } from 'csv-parse/sync';
import type { z } from 'zod';
import type { KevEntry } from '../../core/advisory.js';
import { firstIssue, jsonPointer, readJson, readString, type JsonLimits, type JsonProblem } from '../../core/json-input.js';
import type { FeedFile, FeedRecord, Origin } from '../types.js';
import { KEV_COLUMNS, REQUIRED_KEV_COLUMNS, catalogCountSchema, catalogVersionSchema, kevCatalogSchema, kevEntrySchema, type KevColumn, type KevEntryInput } from './schema.js';

/** `maxBytes` bounds the CSV form too (csv-parse's record-size cap is not used: it cannot resume after it). */
export type KevLimits = JsonLimits;

/** The catalog is about 1.5 MB as JSON; generous caps that still bound hostile input. */
export const DEFAULT_KEV_LIMITS: KevLimits = { maxBytes: 64 * 1024 * 1024, maxDepth: 16 };

const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);

/** The JSON catalog, or the CSV form with its header row. The catalog's JSON schema is not a catalog. */
export function sniffKev(name: string, head: string): boolean {
  const h = stripBom(head);
  if (/\.json$/i.test(name)) {
    if (!h.trimStart().startsWith('{') || h.includes('"$schema"')) return false;
    return h.includes('"catalogVersion"') || (h.includes('"vulnerabilities"') && h.includes('"cveID"'));
  }
  if (/\.csv$/i.test(name)) {
    const header = (h.split(/\r?\n/, 1)[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
    return header.includes('cveID') && header.includes('vendorProject');
  }
  return false;
}

export function parseKevFile(file: FeedFile, limits: KevLimits = DEFAULT_KEV_LIMITS): Iterable<FeedRecord> {
  return /\.csv$/i.test(file.name) ? parseKevCsv(file, limits) : parseKevJson(file, limits);
}

function invalid(origin: Origin, recordId: string | null, problem: JsonProblem): FeedRecord {
  return { kind: 'invalid', origin, feed: 'kev', recordId, reason: problem.reason, pointer: problem.pointer };
}

function toEntry(e: KevEntryInput): KevEntry {
  return {
    cveId: e.cveID,
    vendorProject: e.vendorProject,
    product: e.product,
    vulnerabilityName: e.vulnerabilityName,
    dateAdded: e.dateAdded,
    shortDescription: e.shortDescription,
    requiredAction: e.requiredAction,
    dueDate: e.dueDate,
    knownRansomwareCampaignUse: e.knownRansomwareCampaignUse,
    notes: e.notes ?? '',
    cwes: e.cwes,
  };
}

/**
 * One validated entry, or an invalid record (a repeated CVE id is invalid the second time:
 * the catalog lists each CVE once, and a repeat would silently overwrite the first).
 */
function entryRecord(raw: unknown, origin: Origin, pointer: readonly (string | number)[], catalogVersion: string | null, seen: Map<string, string>): FeedRecord {
  const recordId = readString(raw, 'cveID');
  const parsed = kevEntrySchema.safeParse(raw);
  const where = origin.line !== undefined ? `line ${origin.line}` : jsonPointer(pointer);
  if (!parsed.success) {
    const problem = firstIssue(parsed.error, pointer);
    // A CSV cell is named by its line and column: `line 6: /knownRansomwareCampaignUse: …`.
    return invalid(origin, recordId, origin.line !== undefined ? { ...problem, reason: `${where}: ${problem.reason}` } : problem);
  }
  const first = seen.get(parsed.data.cveID);
  if (first !== undefined) {
    return invalid(origin, parsed.data.cveID, { reason: `${where}: ${parsed.data.cveID} is listed again (first at ${first})`, pointer: jsonPointer(pointer) });
  }
  seen.set(parsed.data.cveID, where);
  return { kind: 'kev', entry: toEntry(parsed.data), origin, catalogVersion };
}

function* parseKevJson(file: FeedFile, limits: KevLimits): Generator<FeedRecord> {
  const read = readJson(file.bytes, limits);
  if (!read.ok) {
    yield invalid(file.origin, null, read.problem);
    return;
  }
  const catalog = kevCatalogSchema.safeParse(read.value);
  if (!catalog.success) {
    yield invalid(file.origin, null, firstIssue(catalog.error));
    return;
  }
  const { vulnerabilities } = catalog.data;
  const version = field(catalog.data, 'catalogVersion', catalogVersionSchema);
  const count = field(catalog.data, 'count', catalogCountSchema);
  for (const bad of [version, count]) if (bad.problem) yield invalid(file.origin, null, bad.problem);
  const catalogVersion = version.value ?? null;
  const seen = new Map<string, string>();
  for (const [i, raw] of vulnerabilities.entries()) yield entryRecord(raw, file.origin, ['vulnerabilities', i], catalogVersion, seen);
  if (count.value !== undefined && count.value !== vulnerabilities.length) {
    yield invalid(file.origin, null, { reason: `/count: the catalog says ${count.value} entries but holds ${vulnerabilities.length}`, pointer: '/count' });
  }
}

/** An optional top-level field: its value, or the problem with it (absent is neither). */
function field<T>(catalog: Record<string, unknown>, key: string, schema: z.ZodType<T>): { value?: T; problem?: JsonProblem } {
  if (!Object.hasOwn(catalog, key)) return {};
  const r = schema.safeParse(catalog[key]);
  return r.success ? { value: r.data } : { problem: firstIssue(r.error, [key]) };
}

interface CsvRow {
  readonly record: string[];
  readonly info: Info;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The CSV form: a header row naming the columns (any order, extra columns ignored), then one
 * entry per record; cells may hold commas, quotes and newlines. Each record's origin carries
 * the line it starts on. A record with a bad value or the wrong number of cells becomes an
 * invalid record and parsing goes on. CSV syntax errors are reported where csv-parse found
 * them; an unbalanced quote makes the rest of the file unreadable, and that is reported too.
 */
function* parseKevCsv(file: FeedFile, limits: KevLimits): Generator<FeedRecord> {
  const bytes = file.bytes;
  if (bytes.length > limits.maxBytes) {
    yield invalid(file.origin, null, { reason: `input is ${bytes.length} bytes, over the ${limits.maxBytes}-byte limit` });
    return;
  }
  try {
    if (utf8.decode(bytes).trim() === '') {
      yield invalid(file.origin, null, { reason: 'input is empty' });
      return;
    }
  } catch {
    yield invalid(file.origin, null, { reason: 'input is not valid UTF-8' });
    return;
  }
  const skipped: { line: number; reason: string }[] = [];
  let rows: CsvRow[];
  try {
    rows = parseCsv(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      bom: true,
      info: true,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      on_skip: (err: CsvError | undefined) => {
        skipped.push({ line: lineOf(err), reason: `unreadable CSV: ${err?.message.split('\n', 1)[0] ?? 'unknown error'}` });
      },
    }) as unknown as CsvRow[];
  } catch (err) {
    yield invalid(file.origin, null, { reason: `unreadable CSV: ${err instanceof Error ? err.message : String(err)}` });
    return;
  }
  const header = rows[0];
  if (!header) {
    yield invalid(file.origin, null, { reason: skipped[0]?.reason ?? 'no header row' });
    return;
  }
  const columns = headerColumns(header.record);
  const missing = REQUIRED_KEV_COLUMNS.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    yield invalid({ ...file.origin, line: 1 }, null, { reason: `line 1: the header lacks ${missing.join(', ')}` });
    return;
  }
  const lines = new LineCounter(bytes);
  const seen = new Map<string, string>();
  let nextSkip = 0;
  let lastLine = lines.lastLineOf(header);
  for (const row of rows.slice(1)) {
    const line = lines.firstLineOf(row);
    for (; nextSkip < skipped.length && skipped[nextSkip]!.line < line; nextSkip++) yield skippedRecord(file.origin, skipped[nextSkip]!);
    lastLine = lines.lastLineOf(row);
    const origin = { ...file.origin, line };
    if (row.record.length !== header.record.length) {
      yield invalid(origin, cveCell(row.record, columns), { reason: `line ${line}: ${row.record.length} cells, the header has ${header.record.length}` });
      continue;
    }
    yield entryRecord(rowObject(row.record, columns), origin, [], null, seen);
  }
  const trailing = nextSkip < skipped.length;
  for (; nextSkip < skipped.length; nextSkip++) yield skippedRecord(file.origin, skipped[nextSkip]!);
  const last = rows[rows.length - 1]!;
  if (!trailing && !lines.onlyBlankAfter(last.info.bytes)) {
    // csv-parse stopped early without saying why: never drop the rest silently.
    yield invalid({ ...file.origin, line: lastLine + 1 }, null, { reason: `line ${lastLine + 1}: the rest of the file could not be read as CSV` });
  }
}

function skippedRecord(origin: Origin, s: { line: number; reason: string }): FeedRecord {
  return invalid({ ...origin, line: s.line }, null, { reason: `line ${s.line}: ${s.reason}` });
}

/** csv-parse's line count where it gave up (it counts CR LF inside quotes twice: near enough). */
function lineOf(err: CsvError | undefined): number {
  const lines: unknown = (err as { lines?: unknown } | undefined)?.lines;
  return typeof lines === 'number' ? lines : 0;
}

/** Header cell → index, for the known columns only (a map: no prototype keys involved). */
function headerColumns(cells: readonly string[]): Map<KevColumn, number> {
  const out = new Map<KevColumn, number>();
  cells.forEach((cell, i) => {
    const name = KEV_COLUMNS.find((c) => c === cell.trim());
    if (name && !out.has(name)) out.set(name, i);
  });
  return out;
}

function cveCell(cells: readonly string[], columns: ReadonlyMap<KevColumn, number>): string | null {
  const i = columns.get('cveID');
  const v = i === undefined ? undefined : cells[i];
  return v && v.length <= 64 ? v : null;
}

/** A CSV record in the JSON entry's shape: cwes split on commas, absent columns left out. */
function rowObject(cells: readonly string[], columns: ReadonlyMap<KevColumn, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, i] of columns) {
    const cell = cells[i] ?? '';
    out[name] = name === 'cwes' ? cell.split(',').map((s) => s.trim()).filter((s) => s !== '') : cell;
  }
  return out;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * 1-based line numbers from csv-parse's byte offsets: a record's last line is where its bytes
 * end, its first line that minus the newlines inside its cells (cells keep them verbatim).
 * csv-parse's own line count treats CR LF inside quoted cells as two lines, hence this.
 * Offsets only grow, so each byte is looked at once.
 */
class LineCounter {
  private pos = 0;
  private newlines = 0;
  constructor(private readonly bytes: Uint8Array) {}

  lastLineOf(row: CsvRow): number {
    let end = row.info.bytes;
    while (end > 0 && (this.bytes[end - 1] === LF || this.bytes[end - 1] === CR)) end--;
    for (; this.pos < end; this.pos++) if (this.bytes[this.pos] === LF) this.newlines++;
    return this.newlines + 1;
  }

  firstLineOf(row: CsvRow): number {
    let inside = 0;
    for (const cell of row.record) for (let i = cell.indexOf('\n'); i !== -1; i = cell.indexOf('\n', i + 1)) inside++;
    return this.lastLineOf(row) - inside;
  }

  onlyBlankAfter(offset: number): boolean {
    for (let i = offset; i < this.bytes.length; i++) {
      const b = this.bytes[i];
      if (b !== LF && b !== CR && b !== 0x20 && b !== 0x09) return false;
    }
    return true;
  }
}
