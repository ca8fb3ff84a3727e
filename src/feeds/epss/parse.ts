import { isCveId, normaliseVulnId } from '../../core/advisory.js';
import { isCalendarDate } from '../calendar-date.js';
import type { FeedFile, FeedRecord, Origin } from '../types.js';
import { DEFAULT_EPSS_OPTIONS, epssMetadataSchema, probability, type EpssOptions } from './schema.js';

const stripBom = (s: string): string => (s.charCodeAt(0) === 0xfeff ? s.slice(1) : s);
const show = (s: string): string => JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * FIRST's daily file (`#model_version…` then `cve,epss,percentile`), an older one without the
 * comment line, or a headerless `CVE-…;epss;percentile` file as crawled from FIRST's API
 * (EMBA's EPSS-data repository).
 */
export function sniffEpss(name: string, head: string): boolean {
  if (!/\.csv$/i.test(name)) return false;
  const h = stripBom(head);
  return /^#model_version/i.test(h) || /^cve,epss/i.test(h) || /^CVE-\d{4}-\d{4,}[;,]\d/.test(h);
}

interface Columns {
  readonly delimiter: string;
  readonly count: number;
  readonly cve: number;
  readonly epss: number;
  readonly percentile: number;
}

const HEADERLESS_SEMICOLON: Columns = { delimiter: ';', count: 3, cve: 0, epss: 1, percentile: 2 };
const HEADERLESS_COMMA: Columns = { ...HEADERLESS_SEMICOLON, delimiter: ',' };

/** `…2025-08-25…` in a file name (`epss_scores-2025-08-25.csv`), if it is a real day. */
export function dateInName(name: string): string | null {
  const m = /(?:^|\D)(\d{4}-\d{2}-\d{2})(?:\D|$)/.exec(name);
  return m?.[1] !== undefined && isCalendarDate(m[1]) ? m[1] : null;
}

/**
 * Reads the file line by line straight from the decoded text (no array of lines, no CSV
 * library: about 300,000 rows of three cells). The score date comes from the `score_date`
 * comment, else a date in the file name, else `options.defaultDate`; with none the file is
 * invalid as a whole. A bad row is an invalid record with its line, and the rest go on.
 */
export function* parseEpssFile(file: FeedFile, options: EpssOptions = DEFAULT_EPSS_OPTIONS): Generator<FeedRecord> {
  const fileInvalid = (reason: string, line?: number): FeedRecord => ({
    kind: 'invalid',
    origin: line === undefined ? file.origin : { ...file.origin, line },
    feed: 'epss',
    recordId: null,
    reason,
  });
  if (file.bytes.length > options.maxBytes) {
    yield fileInvalid(`input is ${file.bytes.length} bytes, over the ${options.maxBytes}-byte limit`);
    return;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
  } catch {
    yield fileInvalid('input is not valid UTF-8');
    return;
  }
  if (text.trim() === '') {
    yield fileInvalid('input is empty');
    return;
  }

  let pos = 0;
  let lineNo = 0;
  const next = (): string => {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    const line = text.charCodeAt(end - 1) === 0x0d && end > pos ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    return line;
  };

  // Preamble: `#key:value,…` comment lines, then a header or (headerless files) the first row.
  const meta = new Map<string, string>();
  let columns: Columns | null = null;
  let firstRow: { readonly line: string; readonly lineNo: number } | null = null;
  while (pos < text.length && columns === null) {
    const line = next();
    if (line.trim() === '') continue;
    if (line.startsWith('#')) {
      if (line.length <= options.maxLineLength) readMetadata(line.slice(1), meta);
      continue;
    }
    if (/^CVE-/i.test(line)) {
      columns = line.includes(';') ? HEADERLESS_SEMICOLON : HEADERLESS_COMMA;
      firstRow = { line, lineNo };
      break;
    }
    const header = headerColumns(line);
    if (typeof header === 'string') {
      yield fileInvalid(`line ${lineNo}: ${header}`, lineNo);
      return;
    }
    columns = header;
  }
  if (columns === null) {
    yield fileInvalid('no header row and no rows');
    return;
  }
  const metadata = epssMetadataSchema.safeParse(Object.fromEntries(meta));
  if (!metadata.success) {
    yield fileInvalid(`metadata: ${metadata.error.issues[0]?.message ?? 'invalid'}`, 1);
    return;
  }
  const date = metadata.data.score_date ?? dateInName(file.name) ?? options.defaultDate ?? null;
  if (date === null) {
    yield fileInvalid('no score date: no #score_date line, no YYYY-MM-DD in the file name, and no default date was given');
    return;
  }
  const modelVersion = metadata.data.model_version ?? null;

  const ctx: RowContext = { columns, date, modelVersion, maxLineLength: options.maxLineLength, origin: file.origin };
  let invalidRows = 0;
  const emit = (r: FeedRecord): boolean => r.kind !== 'invalid' || ++invalidRows <= options.maxInvalidRows;
  if (firstRow) {
    const r = parseRow(firstRow.line, firstRow.lineNo, ctx);
    if (emit(r)) yield r;
  }
  while (pos < text.length) {
    const line = next();
    if (line === '' || line.charCodeAt(0) === 0x23 /* # */) continue;
    const r = parseRow(line, lineNo, ctx);
    if (emit(r)) yield r;
  }
  const unlisted = invalidRows - options.maxInvalidRows;
  if (unlisted > 0) yield fileInvalid(`${unlisted} more invalid rows, not listed one by one (limit ${options.maxInvalidRows})`);
}

interface RowContext {
  readonly columns: Columns;
  readonly date: string;
  readonly modelVersion: string | null;
  readonly maxLineLength: number;
  readonly origin: Origin;
}

/** The file's origin with a line (built directly: a spread per row is measurably slower). */
const at = (o: Origin, line: number): Origin => (o.entry === undefined ? { file: o.file, line } : { file: o.file, entry: o.entry, line });

const badRow = (ctx: RowContext, n: number, reason: string, recordId: string | null = null): FeedRecord => ({
  kind: 'invalid',
  origin: at(ctx.origin, n),
  feed: 'epss',
  recordId,
  reason: `line ${n}: ${reason}`,
});

/** One data row → a score or an invalid record. Hot: no closures, no regex beyond the two checks. */
function parseRow(line: string, n: number, ctx: RowContext): FeedRecord {
  const cols = ctx.columns;
  if (line.length > ctx.maxLineLength) return badRow(ctx, n, `${line.length} characters, over the ${ctx.maxLineLength}-character limit`);
  const cells = line.split(cols.delimiter);
  if (cells.length !== cols.count) return badRow(ctx, n, `${cells.length} cells, expected ${cols.count}`);
  const cell = cells[cols.cve]!;
  const cveId = isCveId(cell) ? cell : normaliseVulnId(cell);
  if (!isCveId(cveId)) return badRow(ctx, n, `not a CVE id: ${show(cell)}`);
  const epss = probability(cells[cols.epss]!);
  if (epss === null) return badRow(ctx, n, `epss is not a number in [0, 1]: ${show(cells[cols.epss]!)}`, cveId);
  const percentile = probability(cells[cols.percentile]!);
  if (percentile === null) return badRow(ctx, n, `percentile is not a number in [0, 1]: ${show(cells[cols.percentile]!)}`, cveId);
  return {
    kind: 'epss',
    score: { cveId, epss, percentile, date: ctx.date, modelVersion: ctx.modelVersion },
    origin: at(ctx.origin, n),
  };
}

/** `model_version:v2025.03.14,score_date:2025-08-25T00:00:00+0000` → entries (first wins). */
function readMetadata(body: string, into: Map<string, string>): void {
  for (const part of body.split(',')) {
    const colon = part.indexOf(':');
    if (colon <= 0) continue;
    const key = part.slice(0, colon).trim().toLowerCase();
    if (!into.has(key)) into.set(key, part.slice(colon + 1).trim());
  }
}

/** The header's column positions, or why it is not a usable header. */
function headerColumns(line: string): Columns | string {
  const delimiter = line.includes(';') && !line.includes(',') ? ';' : ',';
  const cells = line.split(delimiter).map((c) => c.trim().toLowerCase());
  const at = (name: string): number => cells.indexOf(name);
  const [cve, epss, percentile] = [at('cve'), at('epss'), at('percentile')];
  if (cve < 0 || epss < 0) return `not an EPSS header (expected cve,epss,percentile): ${show(line)}`;
  // The first EPSS files (2021) had no percentile; the model needs one.
  if (percentile < 0) return 'the header has no percentile column';
  return { delimiter, count: cells.length, cve, epss, percentile };
}
