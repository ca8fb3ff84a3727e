/**
 * The IAM credential report (GetCredentialReport `Content`, CSV): one row per user plus
 * `<root_account>`, columns as AWS documents them (user, arn, password_enabled, mfa_active,
 * access_key_1_active, access_key_1_last_rotated, access_key_1_last_used_date, …). Rows become
 * objects keyed by the header, values kept as AWS writes them (`true`/`false`, ISO dates,
 * `N/A`, `not_supported`, `no_information`), so a later column AWS adds is kept too.
 *
 * Written by hand (no CSV library is installed; the format is RFC 4180): one linear pass,
 * quoted fields with doubled quotes, CRLF or LF. Bounded in size and columns; a row whose
 * column count differs from the header is reported, not guessed.
 */

export const MAX_REPORT_CHARS = 64 * 1024 * 1024;
export const MAX_COLUMNS = 200;

export interface CredentialReport {
  readonly rows: Record<string, string>[];
  /** Rows that could not be read (line number and why). */
  readonly problems: string[];
}

export type ReportParse = { readonly ok: true; readonly report: CredentialReport } | { readonly ok: false; readonly message: string };

/** RFC 4180 records; `null` when a quoted field is never closed. */
function records(text: string): string[][] | null {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '"' && field === '') {
      i++;
      let closed = false;
      while (i < n) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        field += q;
        i++;
      }
      if (!closed) return null;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      if (row.length > MAX_COLUMNS) return out;
      i++;
      continue;
    }
    if (c === '\n' || c === '\r') {
      row.push(field);
      field = '';
      out.push(row);
      row = [];
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    field += c;
    i++;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

export function parseCredentialReport(content: unknown): ReportParse {
  if (typeof content !== 'string') return { ok: false, message: 'credential report Content is not text' };
  if (content.length > MAX_REPORT_CHARS) return { ok: false, message: `credential report of ${content.length} characters, over the ${MAX_REPORT_CHARS} limit` };
  const recs = records(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  if (recs === null) return { ok: false, message: 'credential report: a quoted field is never closed' };
  const header = recs[0];
  if (!header || !header.includes('user') || !header.includes('arn')) {
    return { ok: false, message: 'credential report: the first line is not a header with "user" and "arn" columns' };
  }
  if (header.length > MAX_COLUMNS) return { ok: false, message: `credential report: more than ${MAX_COLUMNS} columns` };
  const rows: Record<string, string>[] = [];
  const problems: string[] = [];
  for (let i = 1; i < recs.length; i++) {
    const rec = recs[i]!;
    if (rec.length === 1 && rec[0] === '') continue;
    if (rec.length !== header.length) {
      problems.push(`line ${i + 1}: ${rec.length} columns, the header has ${header.length}`);
      continue;
    }
    rows.push(Object.fromEntries(header.map((h, j) => [h, rec[j]!])));
  }
  return { ok: true, report: { rows, problems } };
}

export const ROOT_ROW_USER = '<root_account>';
