import type CDX from '@cyclonedx/cyclonedx-library';

/**
 * Serialises the CycloneDX library's `SimpleXml` element trees (what its XML normalisers
 * produce) to text. The library's own XML serialiser needs `xmlbuilder2` and builds the whole
 * document in memory; this one turns one component at a time into a string, so the writer can
 * stream. Characters XML 1.0 cannot carry at all (most C0 controls, lone surrogates) become
 * U+FFFD.
 */

type SimpleElement = CDX.Serialize.XML.Types.SimpleXml.Element;
type SimpleComment = CDX.Serialize.XML.Types.SimpleXml.Comment;

// XML 1.0 Char production, complemented (lone surrogates included).
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeText(s: string): string {
  return s.replace(NOT_XML_CHAR, '\uFFFD').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export function escapeAttr(s: string): string {
  return escapeText(s).replaceAll('"', '&quot;').replaceAll('\t', '&#9;').replaceAll('\n', '&#10;').replaceAll('\r', '&#13;');
}

function attributes(attrs: SimpleElement['attributes']): string {
  let out = '';
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeAttr(String(value))}"`;
  }
  return out;
}

/** One element (and its children) as XML text, indented by `indent` levels. */
export function stringifyElement(el: SimpleElement | SimpleComment, indent = 0): string {
  const pad = '  '.repeat(indent);
  if (el.type === 'comment') return `${pad}<!-- ${escapeText(String(el.text ?? '')).replaceAll('--', '- -')} -->`;
  const open = `${pad}<${el.name}${attributes(el.attributes)}`;
  const children = el.children;
  if (children === undefined) return `${open}/>`;
  if (typeof children === 'string' || typeof children === 'number') return `${open}>${escapeText(String(children))}</${el.name}>`;
  const parts: string[] = [];
  for (const child of children) parts.push(stringifyElement(child, indent + 1));
  if (parts.length === 0) return `${open}/>`;
  return `${open}>\n${parts.join('\n')}\n${pad}</${el.name}>`;
}
