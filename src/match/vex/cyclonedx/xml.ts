/**
 * CycloneDX XML VEX → the JSON shape parseCycloneDxVex reads. The inventory's XML reader
 * (src/inventory/sbom/cyclonedx/xml.ts) checks well-formedness, refuses any DOCTYPE (so no
 * entity can expand) and maps the document, its metadata and components; it does not map
 * `vulnerabilities`, so they are read here from a second parse with the same safe settings
 * (entities off; the five XML entities and character references decoded by hand) and mapped
 * by hand: id, references, recommendation, workaround, dates, analysis and affects. Pure,
 * never throws.
 */
import { XMLParser } from 'fast-xml-parser';
import { cycloneDxXmlToJson } from '../../../inventory/sbom/cyclonedx/xml.js';

type XNode = Record<string, unknown>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  cdataPropName: '#cdata',
  isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
});

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

function textOf(v: unknown): string {
  if (typeof v === 'string') return decode(v);
  if (typeof v !== 'object' || v === null) return '';
  const o = v as XNode;
  const t = o['#text'];
  const text = typeof t === 'string' ? decode(t) : Array.isArray(t) ? t.map((x) => decode(String(x))).join('') : '';
  const c = o['#cdata'];
  const cdata = Array.isArray(c) ? c.map((x) => textOf(x)).join('') : typeof c === 'string' ? c : '';
  return text + cdata;
}

const all = (node: unknown, name: string): unknown[] => {
  if (typeof node !== 'object' || node === null) return [];
  const v = (node as XNode)[name];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
};
const one = (node: unknown, name: string): unknown => all(node, name)[0];
const text = (node: unknown, name: string): string | undefined => {
  const v = one(node, name);
  return v === undefined ? undefined : textOf(v);
};
/** `<wrapper><item/>…</wrapper>` → the items (undefined without the wrapper). */
const list = (node: unknown, wrapper: string, item: string): unknown[] | undefined => {
  const w = one(node, wrapper);
  return w === undefined ? undefined : all(w, item);
};

function set(o: XNode, key: string, value: unknown): void {
  if (value !== undefined) o[key] = value;
}

function vulnerability(v: unknown): XNode {
  const out: XNode = {};
  set(out, 'id', text(v, 'id'));
  set(out, 'references', list(v, 'references', 'reference')?.map((r) => ({ id: text(r, 'id') })));
  for (const k of ['recommendation', 'workaround', 'published', 'updated']) set(out, k, text(v, k));
  const a = one(v, 'analysis');
  if (a !== undefined) {
    const analysis: XNode = {};
    for (const k of ['state', 'justification', 'detail', 'firstIssued', 'lastUpdated']) set(analysis, k, text(a, k));
    set(analysis, 'response', list(a, 'responses', 'response')?.map(textOf));
    out['analysis'] = analysis;
  }
  const targets = list(v, 'affects', 'target');
  if (targets) {
    out['affects'] = targets.map((t) => {
      const target: XNode = {};
      set(target, 'ref', text(t, 'ref'));
      set(
        target,
        'versions',
        list(t, 'versions', 'version')?.map((e) => {
          const entry: XNode = {};
          for (const k of ['version', 'range', 'status']) set(entry, k, text(e, k));
          return entry;
        }),
      );
      return target;
    });
  }
  return out;
}

export type CdxXmlVex = { readonly ok: true; readonly doc: XNode } | { readonly ok: false; readonly message: string };

export function cycloneDxVexXmlToJson(xml: string): CdxXmlVex {
  const base = cycloneDxXmlToJson(xml);
  if (!base.ok) return { ok: false, message: `${base.message}${base.line !== undefined ? ` (line ${base.line}${base.column !== undefined ? `, column ${base.column}` : ''})` : ''}` };
  let parsed: XNode;
  try {
    parsed = parser.parse(xml) as XNode;
  } catch (err) {
    return { ok: false, message: `malformed XML: ${err instanceof Error ? err.message : String(err)}` };
  }
  const bom = one(parsed, 'bom');
  const doc: XNode = { ...(base.doc as unknown as XNode) };
  const vulns = list(bom, 'vulnerabilities', 'vulnerability');
  if (vulns) doc['vulnerabilities'] = vulns.map(vulnerability);
  return { ok: true, doc };
}
