/**
 * `--format json`: the documented contract first (`target`, `packages`, `findings[]` with
 * `id, aliases, package{name, version, purl, ecosystem}, severity, cvss[], fixedVersions, kev,
 * epss, path, risk`, `errors[]{path, reason}`), then everything else a finding and the report
 * carry. Findings in the common order (worst first). Pure.
 */
import type { Finding, ScanReport } from '../../model.js';
import { sortFindings, severityCounts, type RenderOptions } from '../common.js';
import type { ScanOutputFormat } from '../formats.js';

function finding(f: Finding): Record<string, unknown> {
  const p = f.package;
  return {
    id: f.id,
    aliases: f.aliases,
    package: { name: p.name, version: p.version, purl: p.purl, ecosystem: p.ecosystem, id: p.id, location: p.location, direct: p.direct, scope: p.scope },
    severity: f.severity,
    cvss: f.cvss.map((c) => ({ version: c.version, vector: c.vector, score: c.score, source: c.source, severity: c.severity })),
    fixedVersions: f.fixedVersions,
    kev: f.kev,
    epss: f.epss,
    path: f.path,
    risk: f.risk,
    title: f.title,
    advisories: f.advisories,
    sourceSeverity: f.sourceSeverity,
    matchedBy: f.matchedBy,
    confidence: f.confidence,
    suppression: f.suppression ?? null,
  };
}

export function renderJson(report: ScanReport, options: RenderOptions = {}): string {
  const doc = {
    target: report.target,
    packages: report.packages,
    findings: sortFindings(report.findings).map(finding),
    errors: report.errors.map((e) => ({ path: e.path, reason: e.reason })),
    unassessed: report.unassessed,
    summary: { ...severityCounts(report.findings), suppressed: report.findings.filter((f) => f.suppression).length },
    tool: report.tool,
    generatedAt: report.generatedAt,
    databaseUpdatedAt: report.databaseUpdatedAt ?? null,
  };
  return `${JSON.stringify(doc, null, options.compact ? undefined : 2)}\n`;
}

export const json: ScanOutputFormat = {
  id: 'json',
  title: 'JSON (Vigil scan contract)',
  mediaType: 'application/json',
  render: renderJson,
};
