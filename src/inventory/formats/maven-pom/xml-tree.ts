import { XMLParser } from 'fast-xml-parser';

/**
 * The object tree fast-xml-parser builds for the XML lockfile readers (options in ./xml.ts),
 * built directly, for documents XMLValidator has accepted: fast-xml-parser collects text one
 * character at a time and builds an ordered tree it then converts, which made it four fifths
 * of reading a pom.xml. Here text runs are found with indexOf and each element's object is
 * finished when it closes. Written by hand (the library has no faster mode); the rules below
 * are fast-xml-parser 5's, and ./xml-tree.test.ts compares the two on every XML file of the
 * shared test data, on corrupted copies of them and on generated documents.
 *
 * - Elements become keys (namespace prefix dropped, `hasOwnProperty`-like names prefixed
 *   `__`, `__proto__`/`constructor`/`prototype` refused); repeated elements and those named
 *   in `arrays` become arrays; an element without attributes or children is its text ('' when
 *   empty); attributes are `@_name` (`xmlns` ones dropped, values trimmed), text beside them
 *   `#text`, the trimmed text runs of an element joined without a separator (comments cut
 *   out); processing instructions are `?name` keys; object values carry their start offset
 *   under fast-xml-parser's metadata symbol.
 * - Line breaks in text and attribute values are normalised to `\n`; entities are left as
 *   they are (the readers decode them).
 *
 * DOCTYPE declarations, CDATA sections and other `<!` markup are not handled here: for a
 * document holding any, {@link buildXmlTree} returns undefined and the caller uses
 * fast-xml-parser itself.
 */

export const XML_META = XMLParser.getMetaDataSymbol() as unknown as symbol;

type XmlObject = Record<string, unknown>;

interface Frame {
  readonly name: string;
  readonly obj: XmlObject;
  readonly start: number;
  readonly attrs: XmlObject | undefined;
  text: string | undefined;
}

const CRITICAL = new Set(['__proto__', 'constructor', 'prototype']);
const DANGEROUS = new Set(['hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__']);
const WHITESPACE = /\s/;
const ATTRIBUTE = /([^\s=]+)\s*(=\s*(?:"([^"]*)"|'([^']*)'))?/gm;
/** Most elements nest no deeper than this in fast-xml-parser's tree (its `maxNestedTags`, set in ./xml.ts). */
export const MAX_NESTED_TAGS = 64;

const newlines = (s: string): string => (s.includes('\r') ? s.replace(/\r\n?/g, '\n') : s);

function sanitize(name: string): string {
  if (CRITICAL.has(name)) throw new Error(`[SECURITY] Invalid name: "${name}" is a reserved JavaScript keyword that could cause prototype pollution`);
  return DANGEROUS.has(name) ? `__${name}` : name;
}

/** `a:b` → `b` (`/a:b` → `/b`); `xmlns` and `xmlns:x` → '' (dropped); more than one colon: as it is. */
function attributeName(raw: string): string {
  const parts = raw.split(':');
  if (parts[0] === 'xmlns') return '';
  return parts.length === 2 ? (raw.startsWith('/') ? '/' : '') + parts[1]! : raw;
}

function attributes(exp: string): XmlObject | undefined {
  let out: XmlObject | undefined;
  ATTRIBUTE.lastIndex = 0;
  for (let m = ATTRIBUTE.exec(exp); m !== null; m = ATTRIBUTE.exec(exp)) {
    if (m[0] === '') {
      ATTRIBUTE.lastIndex++;
      continue;
    }
    const name = attributeName(m[1]!);
    const value = m[3] ?? m[4];
    if (name === '' || value === undefined) continue;
    (out ??= {})[`@_${name}`] = newlines(value).trim();
  }
  return out;
}

/** The text of a tag from `<` to its `>` (quoted attribute values skipped), or -1. */
function tagEnd(s: string, from: number, close: string): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      i = s.indexOf(s[i]!, i + 1);
      if (i === -1) return -1;
    } else if (c === close.charCodeAt(0) && (close.length === 1 || s.charCodeAt(i + 1) === close.charCodeAt(1))) return i;
  }
  return -1;
}

/** An element's value once it is closed, as fast-xml-parser's compress step makes it. */
function finish(f: Frame): unknown {
  const obj = f.obj;
  if (f.text !== undefined && f.text.length > 0) obj['#text'] = f.text;
  let val: unknown = obj;
  if (f.attrs !== undefined) Object.assign(obj, f.attrs);
  else {
    const keys = Object.keys(obj);
    if (keys.length === 1 && obj['#text'] !== undefined) val = obj['#text'];
    else if (keys.length === 0) val = '';
  }
  if (typeof val === 'object') (val as Record<symbol, unknown>)[XML_META] = { startIndex: f.start };
  return val;
}

function addTo(parent: XmlObject, name: string, val: unknown, arrays: ReadonlySet<string>): void {
  const existing = parent[name];
  if (existing !== undefined && Object.hasOwn(parent, name)) {
    if (Array.isArray(existing)) existing.push(val);
    else parent[name] = [existing, val];
  } else parent[name] = arrays.has(name) ? [val] : val;
}

function saveText(f: Frame, raw: string): void {
  const text = newlines(raw).trim();
  if (text !== '') f.text = f.text === undefined ? text : f.text + text;
}

/**
 * The tree of a document XMLValidator accepted, or undefined when it holds markup this
 * builder leaves to fast-xml-parser. Throws fast-xml-parser's errors for what it refuses
 * beyond the validator (reserved names, nesting beyond {@link MAX_NESTED_TAGS}).
 */
export function buildXmlTree(s: string, arrays: ReadonlySet<string>): XmlObject | undefined {
  const root: Frame = { name: '!xml', obj: {}, start: 0, attrs: undefined, text: undefined };
  const stack: Frame[] = [];
  let current = root;
  let pending = '';
  let i = 0;
  for (;;) {
    const lt = s.indexOf('<', i);
    if (lt === -1) break;
    if (lt > i) pending += s.slice(i, lt);
    const c1 = s.charCodeAt(lt + 1);
    if (c1 === 0x21) {
      if (s.charCodeAt(lt + 2) !== 0x2d || s.charCodeAt(lt + 3) !== 0x2d) return undefined; // DOCTYPE, CDATA …
      const end = s.indexOf('-->', lt + 4);
      if (end === -1) throw new Error('Comment is not closed.');
      i = end + 3;
      continue;
    }
    if (c1 === 0x2f) {
      const end = s.indexOf('>', lt);
      if (end === -1) throw new Error('Closing Tag is not closed.');
      if (pending !== '') saveText(current, pending);
      pending = '';
      const closed = current;
      current = stack.pop() ?? root;
      if (closed !== root) addTo(current.obj, closed.name, finish(closed), arrays);
      i = end + 1;
      continue;
    }
    if (c1 === 0x3f) {
      const end = tagEnd(s, lt + 1, '?>');
      if (end === -1) throw new Error('Pi Tag is not closed.');
      if (pending !== '') saveText(current, pending);
      pending = '';
      const data = s.slice(lt + 1, end);
      const sep = data.search(WHITESPACE);
      const name = sep === -1 ? data : data.slice(0, sep);
      const exp = sep === -1 ? data : data.slice(sep + 1).trimStart();
      const attrs = name !== exp ? attributes(exp) : undefined;
      addTo(current.obj, name, finish({ name, obj: {}, start: lt, attrs, text: undefined }), arrays);
      i = end + 2;
      continue;
    }
    const end = tagEnd(s, lt + 1, '>');
    if (end === -1) throw new Error(`readTagExp returned undefined at position ${lt}`);
    const data = s.slice(lt + 1, end);
    const sep = data.search(WHITESPACE);
    let name = sep === -1 ? data : data.slice(0, sep);
    let exp = sep === -1 ? data : data.slice(sep + 1).trimStart();
    let attrsPresent = true;
    const colon = name.indexOf(':');
    if (colon !== -1) {
      name = name.slice(colon + 1);
      attrsPresent = name !== data.slice(colon + 1);
    }
    name = sanitize(name);
    if (name === '#text') throw new Error('Invalid tag name: #text');
    let selfClosing = false;
    if (exp.length > 0 && exp.lastIndexOf('/') === exp.length - 1) {
      selfClosing = true;
      if (name.endsWith('/')) {
        name = name.slice(0, -1);
        exp = name;
      } else exp = exp.slice(0, -1);
      attrsPresent = name !== exp;
      name = sanitize(name); // fast-xml-parser checks the name again once the `/` is gone
    }
    const attrs = name !== exp && attrsPresent ? attributes(exp) : undefined;
    if (current !== root && pending !== '') saveText(current, pending);
    pending = '';
    const frame: Frame = { name, obj: {}, start: lt, attrs, text: undefined };
    if (selfClosing) addTo(current.obj, name, finish(frame), arrays);
    else {
      if (stack.length > MAX_NESTED_TAGS) throw new Error('Maximum nested tags exceeded');
      stack.push(current);
      current = frame;
    }
    i = end + 1;
  }
  if (root.text !== undefined && root.text.length > 0) root.obj['#text'] = root.text;
  return root.obj;
}
