/**
 * CSAF 2.0 VEX → VEX statements, written by hand (no maintained CSAF reader on npm). The
 * product tree gives each product id its identifiers (the purl from
 * `product_identification_helper`, else the CPE, else the name); a relationship product
 * (`default_component_of` …) becomes a statement about the platform with the component as its
 * subcomponent. One statement per vulnerability, status list and product id; flags give the
 * justification, `impact` threats the impact statement, remediations the action. Pure, never
 * throws.
 */
import { clip, distinct, zodProblem } from '../common.js';
import { isOpenVexJustification } from '../mapping.js';
import { at, type VexLimits, type VexProblem, type VexStatement, type VexStatus } from '../model.js';
import { documentSchema, fullProductNameSchema, vulnerabilitySchema, type CsafFullProductName, type CsafProductTree, type CsafVulnerability } from './schema.js';

/** Whether a parsed JSON value is a CSAF document. */
export function isCsaf(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false;
  const d = (doc as Record<string, unknown>)['document'];
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return typeof o['csaf_version'] === 'string' || (typeof o['category'] === 'string' && o['category'].startsWith('csaf_'));
}

/** product_status lists and the VEX status each means ('recommended' says nothing about impact). */
const STATUS_LISTS: readonly (readonly [string, VexStatus])[] = [
  ['known_not_affected', 'not_affected'],
  ['fixed', 'fixed'],
  ['first_fixed', 'fixed'],
  ['known_affected', 'affected'],
  ['first_affected', 'affected'],
  ['last_affected', 'affected'],
  ['under_investigation', 'under_investigation'],
];

interface Product {
  readonly products: readonly string[];
  readonly subcomponents: readonly string[];
}

const identifiersOf = (p: CsafFullProductName): string[] =>
  distinct([p.product_identification_helper?.purl, p.product_identification_helper?.cpe, p.name, p.product_id]);

/** product_id → identifiers, from branches (walked without recursion), full_product_names and relationships. */
function indexProducts(tree: CsafProductTree | undefined, name: string, problems: VexProblem[]): Map<string, Product> {
  const plain = new Map<string, string[]>();
  const add = (p: CsafFullProductName): void => {
    if (!plain.has(p.product_id)) plain.set(p.product_id, identifiersOf(p));
  };
  for (const p of tree?.full_product_names ?? []) add(p);
  const stack: { node: unknown; pointer: string }[] = (tree?.branches ?? []).map((node, i) => ({ node, pointer: `/product_tree/branches/${i}` }));
  while (stack.length > 0) {
    const { node, pointer } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    const b = node as Record<string, unknown>;
    if (b['product'] !== undefined) {
      const r = fullProductNameSchema.safeParse(b['product']);
      if (r.success) add(r.data);
      else problems.push(zodProblem(name, r.error, [...pointer.split('/').slice(1), 'product'], 'product left out'));
    }
    if (Array.isArray(b['branches'])) b['branches'].forEach((child, i) => stack.push({ node: child, pointer: `${pointer}/branches/${i}` }));
  }
  const out = new Map<string, Product>();
  for (const [pid, ids] of plain) out.set(pid, { products: ids, subcomponents: [] });
  for (const r of tree?.relationships ?? []) {
    const component = plain.get(r.product_reference) ?? [r.product_reference];
    const platform = plain.get(r.relates_to_product_reference) ?? [r.relates_to_product_reference];
    out.set(r.full_product_name.product_id, { products: platform, subcomponents: component });
  }
  return out;
}

interface Parsed {
  readonly statements: VexStatement[];
  readonly problems: VexProblem[];
}

export function parseCsafVex(doc: unknown, name: string, limits: VexLimits): Parsed {
  const statements: VexStatement[] = [];
  const problems: VexProblem[] = [];
  const envelope = documentSchema.safeParse(doc);
  if (!envelope.success) return { statements, problems: [zodProblem(name, envelope.error, [], 'not a valid CSAF document')] };
  const d = envelope.data;
  if (d.document.category !== 'csaf_vex') {
    problems.push({ source: at(name, '/document/category'), message: `category ${JSON.stringify(d.document.category)} is not csaf_vex; its product_status is read as VEX anyway`, severity: 'warning' });
  }
  const products = indexProducts(d.product_tree, name, problems);
  const groups = new Map<string, readonly string[]>();
  for (const g of d.product_tree?.product_groups ?? []) groups.set(g.group_id, g.product_ids);
  const docTime = d.document.tracking?.current_release_date ?? d.document.tracking?.initial_release_date;
  const vulns = d.vulnerabilities ?? [];
  if (vulns.length === 0) problems.push({ source: at(name, '/vulnerabilities'), message: 'the document has no vulnerabilities, so no VEX statements', severity: 'warning' });
  for (let i = 0; i < vulns.length; i++) {
    const r = vulnerabilitySchema.safeParse(vulns[i]);
    if (!r.success) {
      problems.push(zodProblem(name, r.error, ['vulnerabilities', i], 'vulnerability skipped'));
      continue;
    }
    toStatements(r.data, at(name, `/vulnerabilities/${i}`), { products, groups, docTime, problems }, statements);
    if (statements.length > limits.maxStatements) {
      problems.push({ source: at(name, `/vulnerabilities/${i}`), message: `more than ${limits.maxStatements} statements; the rest of the document was not read`, severity: 'error' });
      statements.length = limits.maxStatements;
      break;
    }
  }
  return { statements, problems };
}

interface Ctx {
  readonly products: ReadonlyMap<string, Product>;
  readonly groups: ReadonlyMap<string, readonly string[]>;
  readonly docTime: string | undefined;
  readonly problems: VexProblem[];
}

/** product id → the texts of the items (flags, threats, remediations) that name it, directly or through a group. */
function byProduct<T extends { product_ids?: string[] | undefined; group_ids?: string[] | undefined }>(items: readonly T[], groups: Ctx['groups'], value: (t: T) => string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const item of items) {
    const v = value(item);
    const pids = [...(item.product_ids ?? []), ...(item.group_ids ?? []).flatMap((g) => groups.get(g) ?? [])];
    for (const pid of pids) {
      const list = out.get(pid);
      if (list) list.push(v);
      else out.set(pid, [v]);
    }
  }
  return out;
}

function toStatements(v: CsafVulnerability, source: string, ctx: Ctx, out: VexStatement[]): void {
  const names = distinct([v.cve, ...(v.ids ?? []).map((x) => x.text)]);
  const vulnerability = names[0];
  if (vulnerability === undefined) {
    ctx.problems.push({ source, message: 'vulnerability skipped: it has neither cve nor ids', severity: 'error' });
    return;
  }
  const flags = byProduct(v.flags ?? [], ctx.groups, (f) => f.label);
  const impacts = byProduct((v.threats ?? []).filter((t) => t.category === 'impact'), ctx.groups, (t) => t.details);
  const actions = byProduct(v.remediations ?? [], ctx.groups, (r) => `${r.category}: ${r.details}`);
  for (const [list, status] of STATUS_LISTS) {
    const pids = v.product_status?.[list] ?? [];
    for (let k = 0; k < pids.length; k++) {
      const pid = pids[k]!;
      const where = `${source}/product_status/${list}/${k}`;
      const product = ctx.products.get(pid);
      if (!product) ctx.problems.push({ source: where, message: `product id ${JSON.stringify(pid)} is not in the product tree; matched by its id only`, severity: 'warning' });
      const justification = flags.get(pid)?.[0];
      if (justification !== undefined && !isOpenVexJustification(justification)) {
        ctx.problems.push({ source: where, message: `unknown CSAF flag label ${JSON.stringify(justification)} (kept as written)`, severity: 'warning' });
      }
      out.push({
        vulnerability,
        aliases: names.slice(1),
        products: product?.products ?? [pid],
        subcomponents: product?.subcomponents ?? [],
        status,
        justification: status === 'not_affected' ? justification : undefined,
        impact: status === 'not_affected' ? clip(impacts.get(pid)?.join('\n')) : undefined,
        action: status === 'affected' || status === 'fixed' ? clip(actions.get(pid)?.join('\n')) : undefined,
        timestamp: ctx.docTime,
        source: where,
      });
    }
  }
}
