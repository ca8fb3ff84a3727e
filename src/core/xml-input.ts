/**
 * Reading untrusted XML with fast-xml-parser, the settings and node helpers every reader
 * shares. Entity processing is off, so nothing a DOCTYPE declares can expand (readers that
 * must refuse a DOCTYPE outright still check for it themselves); the five XML entities and
 * numeric character references are decoded here, by {@link decodeXmlText}. Values are never
 * coerced (no numbers or booleans from text), attributes are kept as `@_name`, CDATA apart
 * as `#cdata`, and every element is an array, so a repeated element is never mistaken for a
 * single one. Pure: text in, values out.
 */
import { XMLParser, type X2jOptions } from 'fast-xml-parser';

/** An element as fast-xml-parser gives it: child elements (arrays), `@_attributes`, `#text`, `#cdata`. */
export type XmlNode = Record<string, unknown>;

export interface SafeXmlParserSettings {
  /** Drop namespace prefixes from element and attribute names (`c:bom` → `bom`). Default false. */
  readonly removeNSPrefix?: boolean;
  /** Record where each element starts (see `XMLParser.getMetaDataSymbol()`). Default false. */
  readonly captureMetaData?: boolean;
}

/** The safe parser options: entities off, no value parsing, attributes kept, CDATA apart, elements always arrays. */
export function safeXmlParserOptions(settings: SafeXmlParserSettings = {}): X2jOptions {
  return {
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    removeNSPrefix: settings.removeNSPrefix ?? false,
    processEntities: false,
    htmlEntities: false,
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    cdataPropName: '#cdata',
    isArray: (_name: string, _jpath: unknown, _leaf: boolean, isAttribute: boolean) => !isAttribute,
    ...(settings.captureMetaData ? { captureMetaData: true } : {}),
  };
}

/** A parser with {@link safeXmlParserOptions}. Its `parse` may throw on malformed input: callers catch. */
export function createSafeXmlParser(settings: SafeXmlParserSettings = {}): XMLParser {
  return new XMLParser(safeXmlParserOptions(settings));
}

const ENTITY = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));/g;
const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five XML entities and character references; anything else (and a code point above U+10FFFF) is kept as written. */
export function decodeXmlText(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (whole, hex: string | undefined, dec: string | undefined, name: string | undefined) => {
    if (name !== undefined) return NAMED[name] ?? whole;
    const code = hex !== undefined ? parseInt(hex, 16) : Number(dec);
    return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * Text content of an element value: a string, or an object with `#text` and/or `#cdata`.
 * CDATA sections are decoded like text (the readers' behaviour so far), so a literal `&amp;`
 * inside CDATA reads as `&`.
 */
export function xmlTextOf(v: unknown): string {
  if (typeof v === 'string') return decodeXmlText(v);
  if (typeof v !== 'object' || v === null) return '';
  const o = v as XmlNode;
  const t = o['#text'];
  const text = typeof t === 'string' ? decodeXmlText(t) : Array.isArray(t) ? t.map((x) => decodeXmlText(String(x))).join('') : '';
  const c = o['#cdata'];
  const cdata = Array.isArray(c) ? c.map((x) => xmlTextOf(x)).join('') : typeof c === 'string' ? c : '';
  return text + cdata;
}

/** The child elements called `name` (with any prefix included in `name`); none for a non-element. */
export function xmlChildren(node: unknown, name: string): unknown[] {
  if (typeof node !== 'object' || node === null) return [];
  const v = (node as XmlNode)[name];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
}

/** The first child element called `name`. */
export function xmlChild(node: unknown, name: string): unknown {
  return xmlChildren(node, name)[0];
}

/** The text of the first child element called `name`; undefined without one. */
export function xmlChildText(node: unknown, name: string): string | undefined {
  const v = xmlChild(node, name);
  return v === undefined ? undefined : xmlTextOf(v);
}

/** `<wrapper><item/>…</wrapper>` → the items (undefined without the wrapper). */
export function xmlList(node: unknown, wrapper: string, item: string): unknown[] | undefined {
  const w = xmlChild(node, wrapper);
  return w === undefined ? undefined : xmlChildren(w, item);
}

/** An attribute's decoded value (attributes are kept as `@_name`). */
export function xmlAttr(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? decodeXmlText(v) : undefined;
}
