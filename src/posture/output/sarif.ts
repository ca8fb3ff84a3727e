/**
 * `--format sarif`: SARIF 2.1.0 with the catalogue of every rule that ran in
 * `tool.driver.rules` (id, title, description, help with remediation and fix, framework tags,
 * `security-severity`), one result per finding at the file (relative to the scanned root) and
 * line of the offending key or block; suppressed findings carry a SARIF suppression,
 * not-assessed ones are `review` results; unreadable files are tool execution notifications.
 * Written by hand (no maintained SARIF writer on npm); the test validates against the schema.
 */
import { createHash } from 'node:crypto';
import { fileUri, SARIF_SCHEMA } from '../../match/output/sarif/index.js';
import type { PostureFinding, PostureSeverity } from '../model.js';
import type { Rule } from '../rule.js';
import { sortPostureFindings, type PostureReport } from './report.js';

type Level = 'error' | 'warning' | 'note';
const LEVEL: Readonly<Record<PostureSeverity, Level>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };
/** GitHub code scanning reads `security-severity` (a CVSS-like number as a string). */
const SECURITY_SEVERITY: Readonly<Record<PostureSeverity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

function sarifRule(rule: Rule): Record<string, unknown> {
  const frameworks = rule.frameworks.map((f) => `${f.framework} ${f.control}`);
  const fixes = Object.entries(rule.fix ?? {}).map(([k, v]) => `Fix (${k}):\n${v}`);
  return {
    id: rule.id,
    name: rule.title.replace(/[^A-Za-z0-9]+/g, ' ').trim().replace(/ (\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    ...(rule.references[0] !== undefined ? { helpUri: rule.references[0] } : {}),
    help: {
      text: [rule.remediation, ...fixes, frameworks.length ? `Frameworks: ${frameworks.join(', ')}` : ''].filter(Boolean).join('\n\n'),
      markdown: [
        `**${rule.title}**`,
        rule.description,
        `**Remediation**: ${rule.remediation}`,
        ...Object.entries(rule.fix ?? {}).map(([k, v]) => `Fix (${k}):\n\n\`\`\`\n${v}\n\`\`\``),
        frameworks.length ? `Frameworks: ${frameworks.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      tags: [...new Set(['security', 'misconfiguration', rule.platform, rule.service, ...frameworks])],
      precision: 'high',
    },
  };
}

const fingerprint = (f: PostureFinding): string =>
  createHash('sha256').update(`${f.ruleId}\0${f.resource.id}\0${f.location.file}\0${f.message}`).digest('hex');

function result(f: PostureFinding, ruleIndex: number | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ruleId: f.ruleId,
    ...(ruleIndex !== undefined ? { ruleIndex } : {}),
    kind: f.status === 'not-assessed' ? 'review' : 'fail',
    level: f.status === 'not-assessed' ? 'none' : LEVEL[f.severity],
    message: { text: `${f.title}: ${f.message} (${f.resource.id})` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(f.location.file) },
          ...(f.location.line >= 1 ? { region: { startLine: f.location.line } } : {}),
        },
        logicalLocations: [{ name: f.resource.name || f.resource.id, fullyQualifiedName: f.resource.id, kind: 'resource' }],
      },
    ],
    partialFingerprints: { 'vigil/posture/v1': fingerprint(f) },
    properties: { severity: f.severity, resource: f.resource, frameworks: f.frameworks.map((x) => `${x.framework} ${x.control}`) },
  };
  if (f.suppression !== null) {
    const s = f.suppression;
    out['suppressions'] = [
      {
        kind: s.source.includes('#') ? 'external' : 'inSource',
        status: 'accepted',
        justification: `${s.reason}${s.expires ? ` (until ${s.expires})` : ''} — ${s.source}`,
      },
    ];
  }
  return out;
}

export function renderPostureSarif(report: PostureReport, options: { toolVersion?: string; informationUri?: string } = {}): string {
  const rules = [...report.rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'vigil',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            informationUri: options.informationUri ?? 'https://github.com/vigil-security/vigil',
            rules: rules.map(sarifRule),
          },
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: 'error',
              message: { text: `${e.path}${e.line ? `:${e.line}` : ''}: ${e.reason}` },
              locations: [
                { physicalLocation: { artifactLocation: { uri: fileUri(e.path) }, ...(e.line ? { region: { startLine: e.line } } : {}) } },
              ],
            })),
          },
        ],
        results: sortPostureFindings(report.findings).map((f) => result(f, index.get(f.ruleId))),
        columnKind: 'unicodeCodePoints',
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
