import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LineIndex } from '../../lines.js';
import { buildXmlTree, MAX_NESTED_TAGS, XML_META } from './xml-tree.js';

/**
 * Untrusted XML (pom.xml, *.csproj, Directory.Packages.props, Gradle verification metadata)
 * into plain objects with fast-xml-parser: entities are not expanded (a DOCTYPE declaring
 * external entities is refused), nesting is capped, the input is validated first so a
 * syntax error is reported with its line instead of being parsed leniently. Attributes come
 * as `@_name`, text beside attributes as `#text`; every element object carries its start
 * offset, which {@link XmlDocument.lineOf} turns into a line. Shared by the XML-based
 * readers of this group (maven-pom, csproj, gradle-verification). The tree of a validated
 * document is built by ./xml-tree.ts, the same as fast-xml-parser's but several times
 * faster; documents with a DOCTYPE or CDATA go to fast-xml-parser itself.
 */
export interface XmlDocument {
  readonly root: Record<string, unknown>;
  lineOf(node: unknown): number | undefined;
}

export type XmlResult = { readonly ok: true; readonly doc: XmlDocument } | { readonly ok: false; readonly reason: string; readonly line?: number | undefined };

export interface XmlOptions {
  readonly maxBytes: number;
  /** Element names that are always arrays (`dependency`, `PackageReference` …). */
  readonly arrays: ReadonlySet<string>;
}

const META = XML_META;

export function readXml(text: string, options: XmlOptions): XmlResult {
  if (text.length > options.maxBytes) return { ok: false, reason: `input is ${text.length} characters, over the ${options.maxBytes} limit` };
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { ok: false, reason: 'input is empty' };
  // XMLValidator is marked deprecated in favour of a separate package; it still ships here
  // and is the only strict check fast-xml-parser 5 offers.
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, reason: `XML syntax error: ${valid.err.msg}`, line: valid.err.line };
  let root: unknown;
  try {
    root = buildXmlTree(body, options.arrays) ?? parseWithLibrary(body, options);
  } catch (err) {
    return { ok: false, reason: `XML refused: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (typeof root !== 'object' || root === null) return { ok: false, reason: 'no XML element found' };
  const lines = new LineIndex(body);
  return {
    ok: true,
    doc: {
      root: root as Record<string, unknown>,
      lineOf: (node) => {
        if (typeof node !== 'object' || node === null) return undefined;
        const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
        return meta?.startIndex === undefined ? undefined : lines.lineOf(meta.startIndex);
      },
    },
  };
}

/** fast-xml-parser with the options the tree of ./xml-tree.ts reproduces. */
export function parseWithLibrary(body: string, options: Pick<XmlOptions, 'arrays'>): unknown {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: true,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    captureMetaData: true,
    jPath: false, // callbacks get the matcher, not a path string built for every element (isArray reads only the name)
    maxNestedTags: MAX_NESTED_TAGS,
    isArray: (name) => options.arrays.has(name),
  });
  return parser.parse(body);
}

const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot|apos);/g;
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes the predefined XML entities and character references (the parser leaves them). */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ref] ?? whole;
  });
}

/** An element's text (`<v>1.0</v>`, or `#text` beside attributes), trimmed and decoded. */
export function xmlText(node: unknown): string | undefined {
  if (typeof node === 'string') return decodeXmlText(node.trim());
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
    const t = (node as Record<string, unknown>)['#text'];
    if (typeof t === 'string') return decodeXmlText(t.trim());
  }
  return undefined;
}

/** An attribute's value, decoded. */
export function xmlAttr(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
  const v = (node as Record<string, unknown>)[`@_${name}`];
  return typeof v === 'string' ? decodeXmlText(v) : undefined;
}

export const xmlChild = (node: unknown, name: string): unknown =>
  typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[name] : undefined;

/** A child that may be one element or several, as an array. */
export function xmlChildren(node: unknown, name: string): unknown[] {
  const v = xmlChild(node, name);
  return v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v];
}
