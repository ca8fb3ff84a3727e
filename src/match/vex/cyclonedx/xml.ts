/**
 * CycloneDX XML VEX → the JSON shape parseCycloneDxVex reads. The inventory's XML reader
 * (src/inventory/sbom/cyclonedx/xml.ts) checks well-formedness, refuses any DOCTYPE (so no
 * entity can expand) and maps the document, its metadata and components; it does not map
 * `vulnerabilities`, so they are read here from a second parse with the same safe settings
 * (src/core/xml-input.ts: entities off; the five XML entities and character references
 * decoded by hand) and mapped by hand: id, references, recommendation, workaround, dates,
 * analysis and affects (with `versions[]`: version, range, status). Pure, never throws.
 */
import { cycloneDxXmlToJson } from '../../../inventory/sbom/cyclonedx/xml.js';
import { createSafeXmlParser, xmlChild, xmlChildText, xmlList, xmlTextOf, type XmlNode } from '../../../core/xml-input.js';

// Namespace prefixes dropped: `<c:vulnerability>` reads as `vulnerability`.
const parser = createSafeXmlParser({ removeNSPrefix: true });

function set(o: XmlNode, key: string, value: unknown): void {
  if (value !== undefined) o[key] = value;
}

function vulnerability(v: unknown): XmlNode {
  const out: XmlNode = {};
  set(out, 'id', xmlChildText(v, 'id'));
  set(out, 'references', xmlList(v, 'references', 'reference')?.map((r) => ({ id: xmlChildText(r, 'id') })));
  for (const k of ['recommendation', 'workaround', 'published', 'updated']) set(out, k, xmlChildText(v, k));
  const a = xmlChild(v, 'analysis');
  if (a !== undefined) {
    const analysis: XmlNode = {};
    for (const k of ['state', 'justification', 'detail', 'firstIssued', 'lastUpdated']) set(analysis, k, xmlChildText(a, k));
    set(analysis, 'response', xmlList(a, 'responses', 'response')?.map(xmlTextOf));
    out['analysis'] = analysis;
  }
  const targets = xmlList(v, 'affects', 'target');
  if (targets) {
    out['affects'] = targets.map((t) => {
      const target: XmlNode = {};
      set(target, 'ref', xmlChildText(t, 'ref'));
      set(
        target,
        'versions',
        xmlList(t, 'versions', 'version')?.map((e) => {
          const entry: XmlNode = {};
          for (const k of ['version', 'range', 'status']) set(entry, k, xmlChildText(e, k));
          return entry;
        }),
      );
      return target;
    });
  }
  return out;
}

export type CdxXmlVex = { readonly ok: true; readonly doc: XmlNode } | { readonly ok: false; readonly message: string };

export function cycloneDxVexXmlToJson(xml: string): CdxXmlVex {
  const base = cycloneDxXmlToJson(xml);
  if (!base.ok) return { ok: false, message: `${base.message}${base.line !== undefined ? ` (line ${base.line}${base.column !== undefined ? `, column ${base.column}` : ''})` : ''}` };
  let parsed: XmlNode;
  try {
    parsed = parser.parse(xml) as XmlNode;
  } catch (err) {
    return { ok: false, message: `malformed XML: ${err instanceof Error ? err.message : String(err)}` };
  }
  const bom = xmlChild(parsed, 'bom');
  const doc: XmlNode = { ...(base.doc as unknown as XmlNode) };
  const vulns = xmlList(bom, 'vulnerabilities', 'vulnerability');
  if (vulns) doc['vulnerabilities'] = vulns.map(vulnerability);
  return { ok: true, doc };
}
