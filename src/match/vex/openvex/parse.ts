/**
 * OpenVEX JSON → VEX statements (https://github.com/openvex/spec, v0.2.0 and the earlier
 * `https://openvex.dev/ns` form). Hand-written mapping over a loose zod schema; a statement
 * that does not validate is reported with its JSON pointer and skipped, the rest are kept.
 * Pure, never throws.
 */
import { distinct, clip, zodProblem } from '../common.js';
import { isOpenVexJustification } from '../mapping.js';
import { at, type VexLimits, type VexProblem, type VexStatement } from '../model.js';
import { documentSchema, statementSchema, type OpenVexProductInput, type OpenVexStatementInput, type OpenVexSubcomponentInput } from './schema.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns';

/** Whether a parsed JSON value is an OpenVEX document (by its `@context`). */
export function isOpenVex(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const ctx = (doc as Record<string, unknown>)['@context'];
  return typeof ctx === 'string' && ctx.startsWith(OPENVEX_CONTEXT);
}

function identifiersOf(c: OpenVexProductInput | OpenVexSubcomponentInput): string[] {
  if (typeof c === 'string') return [c];
  const ids = c.identifiers;
  // The purl first: it is what matches packages.
  return distinct([ids?.purl, c['@id'], ids?.cpe23, ids?.['@cpe23'], ids?.cpe22, ids?.['@cpe22']]);
}

interface Parsed {
  readonly statements: VexStatement[];
  readonly problems: VexProblem[];
}

export function parseOpenVex(doc: unknown, name: string, limits: VexLimits): Parsed {
  const statements: VexStatement[] = [];
  const problems: VexProblem[] = [];
  const envelope = documentSchema.safeParse(doc);
  if (!envelope.success) return { statements, problems: [zodProblem(name, envelope.error, [], 'not a valid OpenVEX document')] };
  const d = envelope.data;
  const docTime = d.last_updated ?? d.timestamp;
  if (d.statements.length === 0) problems.push({ source: at(name, '/statements'), message: 'the document has no statements', severity: 'warning' });
  for (let i = 0; i < d.statements.length; i++) {
    const pointer = `/statements/${i}`;
    const r = statementSchema.safeParse(d.statements[i]);
    if (!r.success) {
      problems.push(zodProblem(name, r.error, ['statements', i], 'statement skipped'));
      continue;
    }
    toStatements(r.data, at(name, pointer), docTime, statements, problems);
    if (statements.length > limits.maxStatements) {
      problems.push({ source: at(name, pointer), message: `more than ${limits.maxStatements} statements; the rest of the document was not read`, severity: 'error' });
      statements.length = limits.maxStatements;
      break;
    }
  }
  return { statements, problems };
}

/** Appends the statement(s) one OpenVEX statement makes (one per product with subcomponents, one for the rest). */
function toStatements(s: OpenVexStatementInput, source: string, docTime: string | undefined, out: VexStatement[], problems: VexProblem[]): void {
  const v = s.vulnerability;
  const vulnerability = typeof v === 'string' ? v : (v.name ?? v['@id']);
  if (!vulnerability) {
    problems.push({ source: `${source}/vulnerability`, message: 'statement skipped: the vulnerability has no name', severity: 'error' });
    return;
  }
  const aliases = typeof v === 'string' ? [] : distinct(v.aliases ?? []).filter((a) => a !== vulnerability);
  if (s.justification !== undefined && !isOpenVexJustification(s.justification)) {
    problems.push({ source: `${source}/justification`, message: `unknown OpenVEX justification ${JSON.stringify(s.justification)} (kept as written)`, severity: 'warning' });
  }
  if (s.status === 'not_affected' && s.justification === undefined && s.impact_statement === undefined) {
    problems.push({ source, message: 'a not_affected statement should give a justification or an impact_statement (applied anyway)', severity: 'warning' });
  }
  const base = {
    vulnerability,
    aliases,
    status: s.status,
    justification: s.justification,
    impact: clip(s.impact_statement ?? (s.status === 'not_affected' ? s.status_notes : undefined)),
    action: clip(s.action_statement),
    timestamp: s.last_updated ?? s.timestamp ?? docTime,
    source,
  };
  const products = s.products ?? [];
  if (products.length === 0) {
    problems.push({ source, message: 'the statement names no products, so it applies to nothing', severity: 'warning' });
    return;
  }
  // Earlier OpenVEX: subcomponents beside the products apply to each of them.
  const shared = distinct((s.subcomponents ?? []).flatMap(identifiersOf));
  const plain: string[] = [];
  for (const p of products) {
    const ids = identifiersOf(p);
    const subs = typeof p === 'string' ? [] : distinct((p.subcomponents ?? []).flatMap(identifiersOf));
    if (ids.length === 0) {
      problems.push({ source, message: 'a product without @id or identifiers was left out', severity: 'warning' });
      continue;
    }
    if (subs.length > 0) out.push({ ...base, products: ids, subcomponents: distinct([...subs, ...shared]) });
    else plain.push(...ids);
  }
  if (plain.length > 0) out.push({ ...base, products: distinct(plain), subcomponents: shared });
}
