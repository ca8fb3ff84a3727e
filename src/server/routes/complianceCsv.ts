/**
 * The compliance report as CSV (RFC 4180), written by hand: no CSV writer is installed (only
 * csv-parse) and the format needs a dozen lines. Every cell is guarded against formula
 * injection: a value starting with `=`, `+`, `-`, `@`, a tab or a carriage return (which a
 * spreadsheet would evaluate) gets a leading `'`. Pure.
 */
import type { ComplianceReport } from '../../store/repos/postureTargetsCompliance.js';

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r']);

/** One cell: formula-guarded, then quoted when it holds a quote, comma or line break. */
export function csvCell(value: string | number | null | undefined): string {
  let s = value === null || value === undefined ? '' : String(value);
  if (s.length > 0 && FORMULA_START.has(s[0]!)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const csvLine = (cells: readonly (string | number | null | undefined)[]): string => `${cells.map(csvCell).join(',')}\r\n`;

export const COMPLIANCE_CSV_HEADER = [
  'framework',
  'provider',
  'target_id',
  'external_id',
  'target_name',
  'scan_id',
  'scanned_at',
  'target_compliance',
  'target_risk',
  'control',
  'status',
  'rules',
] as const;

/** One line per target and assessed control (targets in report order, controls in control order). */
export function complianceCsv(report: ComplianceReport): string {
  const out = [csvLine(COMPLIANCE_CSV_HEADER)];
  for (const row of report.rows) {
    const t = report.targets[row.target]!;
    out.push(csvLine([report.framework.id, t.provider, t.id, t.externalId, t.name, t.scanId, t.scannedAt, t.compliance, t.risk, row.control, row.status, row.rules.join(' ')]));
  }
  return out.join('');
}

/**
 * CSV or JSON: `format` when given; else CSV when the Accept header ranks text/csv above
 * application/json (a missing q is 1; `*` ranges count for JSON, the default).
 */
export function wantsCsv(format: 'json' | 'csv' | undefined, accept: string | undefined): boolean {
  if (format !== undefined) return format === 'csv';
  if (!accept) return false;
  let csv = 0;
  let json = 0;
  for (const part of accept.slice(0, 1000).split(',')) {
    const [type = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    if (type === 'text/csv') csv = Math.max(csv, q);
    else if (type === 'application/json' || type === '*/*' || type === 'application/*') json = Math.max(json, type === 'application/json' ? q : q - 0.001);
  }
  return csv > 0 && csv > json;
}
