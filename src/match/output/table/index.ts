/**
 * `--format table`: text for a terminal. Findings grouped by package (name@version, ecosystem,
 * file:line), each package's findings worst first with id, severity, KEV / EPSS markers, the
 * nearest fix and the title, then one line of fix advice; suppressed findings apart with their
 * reason; a summary by severity; errors and packages that could not be assessed at the end.
 * Nothing is wrapped; colours only when asked. Every text from the advisory or the input is
 * stripped of control characters (a title must not be able to move the cursor). Pure.
 */
import type { Severity } from '../../../core/advisory.js';
import type { Finding, ScanReport } from '../../model.js';
import { adviseFix, groupByPackage } from '../advice.js';
import { locationText, packageLabel, severityCounts, sortFindings, type RenderOptions } from '../common.js';
import type { ScanOutputFormat } from '../formats.js';

// C0 and C1 control characters (ESC, CR, BEL …) and Unicode line/paragraph separators and bidi overrides.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g;

/** Untrusted text as one safe line. */
export const clean = (s: string): string => s.replace(CONTROL, ' ').trim();

const SEVERITY_WORD: Readonly<Record<Severity, string>> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', none: 'NONE', unknown: 'UNKNOWN' };
const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = { critical: '1;31', high: '31', medium: '33', low: '36', none: '2', unknown: '35' };

class Style {
  constructor(private readonly on: boolean) {}

  private wrap(code: string, s: string): string {
    return this.on && s !== '' ? `\u001b[${code}m${s}\u001b[0m` : s;
  }

  bold = (s: string): string => this.wrap('1', s);
  dim = (s: string): string => this.wrap('2', s);
  severity = (sev: Severity, s: string): string => this.wrap(SEVERITY_COLOUR[sev], s);
  kev = (s: string): string => this.wrap('1;35', s);
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function markers(f: Finding): string {
  const m: string[] = [];
  if (f.kev) m.push('KEV');
  if (f.epss) m.push(`EPSS ${(f.epss.score * 100).toFixed(1)}%`);
  if (f.confidence === 'low') m.push(`low confidence (${f.matchedBy})`);
  return m.join(' ');
}

const fixText = (f: Finding): string => (f.fixedVersions[0] !== undefined ? `fixed in ${clean(f.fixedVersions[0])}` : 'no fix');

function findingLines(findings: readonly Finding[], st: Style): string[] {
  const rows = findings.map((f) => ({ f, sev: SEVERITY_WORD[f.severity], id: clean(f.id), marks: markers(f), fix: fixText(f), title: clean(f.title ?? '') }));
  const w = { sev: Math.max(...rows.map((r) => r.sev.length)), id: Math.max(...rows.map((r) => r.id.length)), marks: Math.max(...rows.map((r) => r.marks.length)), fix: Math.max(...rows.map((r) => r.fix.length)) };
  return rows.map((r) => {
    const marks = w.marks === 0 ? '' : `  ${r.marks ? (r.f.kev ? st.kev(pad(r.marks, w.marks)) : pad(r.marks, w.marks)) : ' '.repeat(w.marks)}`;
    return `  ${st.severity(r.f.severity, pad(r.sev, w.sev))}  ${pad(r.id, w.id)}${marks}  ${pad(r.fix, w.fix)}  ${r.title}`.trimEnd();
  });
}

function summary(report: ScanReport, st: Style): string {
  const counts = severityCounts(report.findings);
  const parts = (['critical', 'high', 'medium', 'low'] as const).map((s) => st.severity(s, `${counts[s]} ${s}`));
  if (counts.unknown > 0) parts.push(st.severity('unknown', `${counts.unknown} unknown`));
  if (counts.none > 0) parts.push(`${counts.none} none`);
  const open = report.findings.filter((f) => !f.suppression);
  const pkgs = new Set(open.map((f) => f.package.id)).size;
  const suppressed = report.findings.length - open.length;
  return `${st.bold('Summary:')} ${parts.join(', ')} (${open.length} finding${open.length === 1 ? '' : 's'} in ${pkgs} package${pkgs === 1 ? '' : 's'}${suppressed ? `; ${suppressed} suppressed` : ''})`;
}

export function renderTable(report: ScanReport, options: RenderOptions = {}): string {
  const st = new Style(options.color === true);
  const out: string[] = [];
  const open = report.findings.filter((f) => !f.suppression);
  const suppressed = sortFindings(report.findings.filter((f) => f.suppression));
  out.push(st.bold(`${clean(report.tool.name)} ${clean(report.tool.version)} scan of ${clean(report.target)}: ${report.packages} package${report.packages === 1 ? '' : 's'}`));
  out.push('');
  if (open.length === 0) {
    out.push(report.findings.length === 0 ? 'No known vulnerabilities found.' : 'No open vulnerabilities (all findings are suppressed).');
    out.push('');
  }
  for (const g of groupByPackage(open)) {
    const where = locationText(g.pkg);
    const eco = g.pkg.ecosystem ? ` (${clean(g.pkg.ecosystem)})` : '';
    out.push(`${st.bold(clean(packageLabel(g.pkg)))}${eco}${where ? `  ${clean(where)}` : ''}`);
    out.push(...findingLines(g.findings, st));
    out.push(`  ${st.bold('fix:')} ${clean(adviseFix(g.pkg, g.findings, options).text)}`);
    out.push('');
  }
  if (suppressed.length > 0) {
    out.push(st.bold(`Suppressed (${suppressed.length}):`));
    for (const f of suppressed) {
      const s = f.suppression!;
      const why = [s.justification, s.reason].filter((x): x is string => !!x).map(clean).join(': ');
      const until = s.expires ? ` until ${clean(s.expires)}` : '';
      out.push(`  ${clean(f.id)}  ${clean(packageLabel(f.package))}  ${clean(s.status)}${until} [${s.kind}: ${clean(s.source)}]${why ? ` ${why}` : ''}`);
    }
    out.push('');
  }
  out.push(summary(report, st));
  if (report.errors.length > 0) {
    out.push('', st.bold(`Errors (${report.errors.length}):`));
    for (const e of report.errors) out.push(`  ${clean(e.path)}: ${clean(e.reason)}`);
  }
  if (report.unassessed.length > 0) {
    out.push('', st.bold(`Not assessed (${report.unassessed.length}):`));
    for (const u of report.unassessed) out.push(`  ${clean(u.purl || u.packageId)}: ${clean(u.reason)}`);
  }
  return `${out.join('\n')}\n`;
}

export const table: ScanOutputFormat = {
  id: 'table',
  title: 'Text table for a terminal, grouped by package, with fix advice',
  mediaType: 'text/plain; charset=utf-8',
  render: renderTable,
};
