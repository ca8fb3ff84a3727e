/**
 * `--format openvex`: an OpenVEX 0.2.0 document, one statement per finding (vulnerability
 * with its aliases, the package's purl as the product). Status from the finding's suppression
 * (mapping in src/match/vex/mapping.ts); an open finding is `affected`, with the fix advice as
 * its action statement, because the installed version is inside the advisory's affected
 * ranges; a low-confidence (CPE) match is `under_investigation` instead. As the OpenVEX JSON
 * schema asks, a `not_affected` statement carries a justification or an impact statement, not
 * both (further text goes to status_notes), and an `affected` one an action statement.
 * A report without findings gives `statements: []`. Written by hand (no OpenVEX writer on
 * npm). Pure.
 */
import type { Finding, FindingPackage, ScanReport } from '../../model.js';
import { decisionOf, DECISION_TO_OPENVEX, openVexJustification, type Decision } from '../../vex/mapping.js';
import { findingAdvice } from '../advice.js';
import { advisoryUrl, reportUuid, sortFindings, type RenderOptions } from '../common.js';
import type { ScanOutputFormat } from '../formats.js';

export const OPENVEX_CONTEXT_V020 = 'https://openvex.dev/ns/v0.2.0';

/** The product: the package's purl as `@id` (a URI), else a URN made from the package id. */
function product(p: FindingPackage): Record<string, unknown> {
  if (p.purl.startsWith('pkg:')) return { '@id': p.purl, identifiers: { purl: p.purl } };
  return { '@id': `urn:vigil:package:${encodeURIComponent(p.id)}` };
}

function suppressionNote(f: Finding): string | undefined {
  const s = f.suppression;
  if (!s) return undefined;
  const parts = [s.reason, s.expires ? `until ${s.expires}` : undefined, `${s.kind}: ${s.source}`].filter(Boolean);
  return parts.join('; ');
}

function statement(f: Finding, options: RenderOptions): Record<string, unknown> {
  const s = f.suppression;
  const decision: Decision = s ? decisionOf(s) : f.confidence === 'low' ? 'under_investigation' : 'affected';
  const status = DECISION_TO_OPENVEX[decision];
  const out: Record<string, unknown> = {
    vulnerability: { '@id': advisoryUrl(f.id), name: f.id, ...(f.aliases.length > 0 ? { aliases: [...new Set(f.aliases)] } : {}) },
    products: [product(f.package)],
    status,
  };
  const note = suppressionNote(f);
  switch (status) {
    case 'not_affected': {
      const j = openVexJustification(s?.justification);
      if (j) out['justification'] = j;
      else out['impact_statement'] = decision === 'false_positive' ? `False positive${s?.reason ? `: ${s.reason}` : ''}` : (s?.reason ?? 'Not affected (no reason given)');
      if (note) out['status_notes'] = note;
      break;
    }
    case 'affected':
      out['action_statement'] = decision === 'accepted_risk' ? `Risk accepted, no action planned${note ? ` (${note})` : ''}; to fix: ${findingAdvice(f, options)}` : findingAdvice(f, options);
      break;
    case 'fixed':
      if (note) out['status_notes'] = note;
      break;
    case 'under_investigation':
      out['status_notes'] = note ?? `low-confidence match (${f.matchedBy}); to be reviewed`;
      break;
  }
  return out;
}

export function renderOpenVex(report: ScanReport, options: RenderOptions = {}): string {
  const doc = {
    '@context': OPENVEX_CONTEXT_V020,
    '@id': `urn:uuid:${reportUuid(report, 'openvex')}`,
    author: options.author ?? 'Vigil',
    timestamp: report.generatedAt,
    version: 1,
    tooling: `${report.tool.name} ${report.tool.version}`,
    statements: sortFindings(report.findings).map((f) => statement(f, options)),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const openvex: ScanOutputFormat = {
  id: 'openvex',
  title: 'OpenVEX 0.2.0',
  mediaType: 'application/json',
  render: renderOpenVex,
};
