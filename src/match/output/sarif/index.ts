/**
 * `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF consumers. One rule
 * per advisory id (title, description, advisory link, fix advice, `security-severity` as
 * GitHub expects it: the CVSS score as a string), one result per finding at the package's
 * lockfile location, fingerprints stable per (id, purl, file), suppressed findings carried
 * with an `external` suppression. Files that could not be read and packages that could not
 * be assessed become tool execution notifications. Written by hand: no maintained SARIF
 * writer on npm; the test validates against the official schema. Pure.
 */
import { createHash } from 'node:crypto';
import type { Severity } from '../../../core/advisory.js';
import type { Finding, ScanReport } from '../../model.js';
import { decisionOf } from '../../vex/mapping.js';
import { adviseFix, findingAdvice, groupByPackage } from '../advice.js';
import { advisoryUrl, packageLabel, securitySeverity, sortFindings, type RenderOptions } from '../common.js';
import type { ScanOutputFormat } from '../formats.js';

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Readonly<Record<Severity, Level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', none: 'note', unknown: 'warning' };

/** A location file as a relative URI reference: `/`-separated, each segment percent-encoded, no leading `./` or `/`. */
export function fileUri(file: string): string {
  const rel = file.replace(/\\/g, '/').replace(/^(?:\.\/|\/)+/, '');
  return rel
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

const fingerprint = (f: Finding): string => createHash('sha256').update(`${f.id}\0${f.package.purl || f.package.id}\0${f.package.location.file}`).digest('hex');

function ruleFor(id: string, findings: readonly Finding[], options: RenderOptions): Record<string, unknown> {
  const worst = findings[0]!;
  const title = worst.title ?? id;
  const advice = groupByPackage(findings).map((g) => `- ${packageLabel(g.pkg)}: ${adviseFix(g.pkg, g.findings, options).text}`);
  const aliases = worst.aliases.length > 0 ? `Also known as ${worst.aliases.join(', ')}. ` : '';
  const full = `${title}. ${aliases}Severity ${worst.severity}${worst.cvss.length ? ` (CVSS ${worst.cvss.map((c) => `${c.version} ${c.score ?? '?'} from ${c.source}`).join(', ')})` : ''}.`;
  const url = advisoryUrl(id);
  const sev = securitySeverity(worst);
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]/g, ''),
    shortDescription: { text: title },
    fullDescription: { text: full },
    helpUri: url,
    help: {
      text: `${full}\n\nFix:\n${advice.join('\n')}\n\nAdvisory: ${url}`,
      markdown: `**${title}**\n\n${aliases}Severity: ${worst.severity}\n\n**Fix**\n\n${advice.join('\n')}\n\n[Advisory ${id}](${url})`,
    },
    defaultConfiguration: { level: LEVEL[worst.severity] },
    properties: {
      ...(sev !== undefined ? { 'security-severity': sev } : {}),
      tags: ['security', 'vulnerability', worst.severity, ...(worst.kev ? ['kev'] : [])],
      precision: worst.confidence === 'high' ? 'high' : 'low',
    },
  };
}

function result(f: Finding, ruleIndex: number, options: RenderOptions): Record<string, unknown> {
  const p = f.package;
  const fix = `; ${findingAdvice(f, options)}`;
  const out: Record<string, unknown> = {
    ruleId: f.id,
    ruleIndex,
    level: LEVEL[f.severity],
    message: { text: `${p.name} ${p.version || '(no version)'} is vulnerable to ${f.id}${f.title ? ` (${f.title})` : ''}${fix}` },
    partialFingerprints: { 'vigil/v1': fingerprint(f) },
    properties: {
      purl: p.purl,
      installedVersion: p.version,
      fixedVersions: f.fixedVersions,
      severity: f.severity,
      ...(f.kev ? { kev: true } : {}),
      ...(f.epss ? { epss: f.epss.score } : {}),
      risk: f.risk.score,
      ...(f.path.length > 0 ? { path: f.path } : {}),
    },
  };
  const uri = p.location.file ? fileUri(p.location.file) : '';
  if (uri) {
    const physical: Record<string, unknown> = { artifactLocation: { uri } };
    if (p.location.line !== undefined && Number.isInteger(p.location.line) && p.location.line >= 1) physical['region'] = { startLine: p.location.line };
    out['locations'] = [{ physicalLocation: physical }];
  }
  if (f.suppression) {
    const s = f.suppression;
    const why = [`${s.kind} ${s.status}`, s.justification, s.reason, s.expires ? `until ${s.expires}` : undefined, `(${s.source})`].filter(Boolean).join('; ');
    out['suppressions'] = [{ kind: 'external', status: 'accepted', justification: why, properties: { decision: decisionOf(s), source: s.source } }];
  }
  return out;
}

function notifications(report: ScanReport): Record<string, unknown>[] {
  const errors = report.errors.map((e) => ({
    level: 'error',
    message: { text: `${e.path}: ${e.reason}` },
    ...(e.path ? { locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(e.path) } } }] } : {}),
  }));
  const unassessed = report.unassessed.map((u) => ({ level: 'warning', message: { text: `not assessed: ${u.purl || u.packageId}: ${u.reason}` } }));
  return [...errors, ...unassessed];
}

export function renderSarif(report: ScanReport, options: RenderOptions = {}): string {
  const sorted = sortFindings(report.findings);
  const byRule = new Map<string, Finding[]>();
  for (const f of sorted) {
    const list = byRule.get(f.id);
    if (list) list.push(f);
    else byRule.set(f.id, [f]);
  }
  const ruleIds = [...byRule.keys()];
  const index = new Map(ruleIds.map((id, i) => [id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vigil',
            version: report.tool.version,
            semanticVersion: /^\d+\.\d+\.\d+/.test(report.tool.version) ? report.tool.version : undefined,
            informationUri: options.informationUri,
            rules: ruleIds.map((id) => ruleFor(id, byRule.get(id)!, options)),
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.generatedAt, toolExecutionNotifications: notifications(report) }],
        results: sorted.map((f) => result(f, index.get(f.id)!, options)),
        properties: { target: report.target, packages: report.packages, databaseUpdatedAt: report.databaseUpdatedAt ?? null },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

export const sarif: ScanOutputFormat = {
  id: 'sarif',
  title: 'SARIF 2.1.0 (GitHub code scanning)',
  mediaType: 'application/sarif+json',
  render: renderSarif,
};
