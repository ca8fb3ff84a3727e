/**
 * `--format json`, the shape pipelines depend on (../shared/CONTRACTS.md):
 * `{"findings":[{"ruleId","severity","title","status","resource":{…},"location":{"file","line"},
 * "frameworks":[{"framework","control"}],"remediation"}],"errors":[{"path","reason"}]}` plus
 * `message`, `fix`, `suppression` on each finding and a `summary`. Pure.
 */
import { sortPostureFindings, summarise, type PostureReport } from './report.js';

export function renderPostureJson(report: PostureReport): string {
  const doc = {
    target: report.target,
    files: report.files,
    resources: report.resources,
    summary: summarise(report.findings),
    findings: sortPostureFindings(report.findings).map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      title: f.title,
      status: f.status,
      message: f.message,
      resource: f.resource,
      location: f.location,
      frameworks: f.frameworks,
      remediation: f.remediation,
      fix: f.fix,
      suppression: f.suppression,
    })),
    errors: report.errors.map((e) => ({ path: e.path, ...(e.line !== undefined ? { line: e.line } : {}), reason: e.reason })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
