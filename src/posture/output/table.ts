/**
 * `--format table` (the default): findings grouped by file, worst first, each with its
 * resource, line and remediation; suppressed and not-assessed findings listed apart; a
 * summary line; unreadable files at the end. Pure.
 */
import type { PostureFinding } from '../model.js';
import { sortPostureFindings, summarise, type PostureReport } from './report.js';

const COLOUR = { critical: '\x1b[1;31m', high: '\x1b[31m', medium: '\x1b[33m', low: '\x1b[36m', info: '\x1b[37m' } as const;
const RESET = '\x1b[0m';

/** Control characters from untrusted text are never echoed to a terminal. */
// eslint-disable-next-line no-control-regex
const clean = (s: string): string => s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?');

export function renderPostureTable(report: PostureReport, options: { color?: boolean } = {}): string {
  const lines: string[] = [];
  const sev = (f: PostureFinding): string => {
    const s = f.severity.toUpperCase().padEnd(8);
    return options.color ? `${COLOUR[f.severity]}${s}${RESET}` : s;
  };
  const sorted = sortPostureFindings(report.findings);
  const byFile = new Map<string, PostureFinding[]>();
  for (const f of sorted) {
    const list = byFile.get(f.location.file);
    if (list) list.push(f);
    else byFile.set(f.location.file, [f]);
  }
  for (const [file, findings] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(clean(file));
    for (const f of findings) {
      const state = f.status === 'fail' ? '' : f.status === 'suppressed' ? ' [suppressed]' : ' [not assessed]';
      lines.push(`  ${sev(f)} ${f.ruleId.padEnd(15)} ${f.location.line >= 1 ? `line ${String(f.location.line).padEnd(5)}` : ''.padEnd(10)} ${clean(f.title)}${state}`);
      lines.push(`           ${clean(f.resource.id)}: ${clean(f.message)}`);
      if (f.status === 'suppressed' && f.suppression) lines.push(`           suppressed: ${clean(f.suppression.reason)} (${clean(f.suppression.source)})`);
      else if (f.status === 'fail') lines.push(`           fix: ${clean(f.remediation)}`);
    }
    lines.push('');
  }
  const s = summarise(report.findings);
  const counts = Object.entries(s.fail)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  lines.push(
    `${report.files} file(s), ${report.resources} resource(s), ${report.rules.length} rule(s): ${s.failed} failed${counts ? ` (${counts})` : ''}, ${s.suppressed} suppressed, ${s.notAssessed} not assessed`,
  );
  if (report.errors.length > 0) {
    lines.push('', `${report.errors.length} file(s) could not be read:`);
    for (const e of report.errors) lines.push(`  ${clean(e.path)}${e.line ? `:${e.line}` : ''}: ${clean(e.reason)}`);
  }
  return `${lines.join('\n')}\n`;
}
