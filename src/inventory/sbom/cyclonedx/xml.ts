/**
 * CycloneDX XML (1.2–1.7) → the JSON shape of the same version, so that one JSON schema
 * validation and one mapper serve both encodings. fast-xml-parser with the shared safe
 * settings of src/core/xml-input.ts (entity processing off, the five XML entities and
 * character references decoded by hand; no DOCTYPE accepted at all), well-formedness checked
 * first with its validator (line and column on error).
 *
 * Mapped: the `bom` attributes, metadata (timestamp, tools in both forms, authors,
 * component, manufacture, supplier, licenses, properties), components (recursively, with
 * hashes, licences, external references, properties), dependencies. Not mapped, so neither
 * read nor validated: services, compositions, vulnerabilities, annotations, formulation,
 * definitions, declarations, component pedigree / evidence / swid / release notes. The
 * result is then validated against the JSON schema (there is no XSD validator on npm that
 * runs without native code), which checks what the mapped parts say.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { createSafeXmlParser, xmlAttr, xmlChild, xmlChildren, xmlChildText, xmlList, xmlTextOf, type XmlNode } from '../../../core/xml-input.js';
import { LineIndex } from '../../lines.js';
import { isCycloneDxVersion, type CycloneDxVersion } from '../validate.js';
import type { CdxBom, CdxComponent } from './read.js';

type Json = Record<string, unknown>;

export type XmlBomResult =
  | {
      readonly ok: true;
      readonly version: CycloneDxVersion;
      readonly doc: CdxBom;
      /** Line of the element a JSON pointer (or its nearest mapped ancestor) came from. */
      readonly lineOfPointer: (pointer: string) => number | undefined;
      readonly lineOfComponent: (c: CdxComponent) => number | undefined;
    }
  | { readonly ok: false; readonly message: string; readonly line?: number | undefined; readonly column?: number | undefined };

const NAMESPACE = /^http:\/\/cyclonedx\.org\/schema\/bom\/(\d+\.\d+)$/;
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

const parser = createSafeXmlParser({ captureMetaData: true });

export function cycloneDxXmlToJson(text: string): XmlBomResult {
  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype !== -1) {
    const lines = new LineIndex(text);
    return { ok: false, message: 'XML DOCTYPE declarations are not accepted in a CycloneDX document', line: lines.lineOf(doctype) };
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, message: `malformed XML: ${valid.err.msg}`, line: valid.err.line, column: valid.err.col };
  let parsed: XmlNode;
  try {
    parsed = parser.parse(text) as XmlNode;
  } catch (err) {
    return { ok: false, message: `malformed XML: ${err instanceof Error ? err.message : String(err)}` };
  }
  const roots = Object.keys(parsed).filter((k) => !k.startsWith('?') && !k.startsWith('#'));
  const rootName = roots[0];
  const root = rootName === undefined ? undefined : first(parsed[rootName]);
  if (roots.length !== 1 || rootName === undefined || typeof root !== 'object' || root === null) return { ok: false, message: 'not a CycloneDX XML document: expected one root element' };
  const colon = rootName.indexOf(':');
  const prefix = colon === -1 ? '' : rootName.slice(0, colon + 1);
  if (rootName.slice(colon + 1) !== 'bom') return { ok: false, message: `not a CycloneDX XML document: the root element is <${rootName}>, expected <bom>` };
  const ns = xmlAttr(root, prefix ? `xmlns:${prefix.slice(0, -1)}` : 'xmlns');
  const m = ns === undefined ? null : NAMESPACE.exec(ns);
  if (!m) return { ok: false, message: `not a CycloneDX XML document: <${rootName}> has namespace ${JSON.stringify(ns ?? '')}, expected http://cyclonedx.org/schema/bom/1.x` };
  const version = m[1]!;
  if (!isCycloneDxVersion(version)) return { ok: false, message: `unsupported CycloneDX spec version ${version} (XML namespace ${ns}); supported: 1.2 to 1.7` };
  const mapper = new XmlMapper(prefix, new LineIndex(text));
  const doc = mapper.bom(root, version);
  return { ok: true, version, doc, lineOfPointer: (p) => mapper.lineOfPointer(p), lineOfComponent: (c) => mapper.componentLines.get(c) };
}

function first(v: unknown): unknown {
  return Array.isArray(v) ? (v[0] as unknown) : v;
}

const set = (o: Json, key: string, value: unknown): void => {
  if (value !== undefined) o[key] = value;
};

class XmlMapper {
  readonly componentLines = new WeakMap<object, number>();
  private readonly pointerLines = new Map<string, number>();

  constructor(
    private readonly p: string,
    private readonly lines: LineIndex,
  ) {}

  lineOfPointer(pointer: string): number | undefined {
    for (let ptr = pointer; ; ptr = ptr.slice(0, ptr.lastIndexOf('/'))) {
      const line = this.pointerLines.get(ptr);
      if (line !== undefined || ptr === '') return line;
    }
  }

  private remember(node: unknown, pointer: string): number | undefined {
    const meta = typeof node === 'object' && node !== null ? ((node as Record<symbol, unknown>)[META] as { startIndex?: number } | undefined) : undefined;
    if (meta?.startIndex === undefined) return undefined;
    const line = this.lines.lineOf(meta.startIndex);
    this.pointerLines.set(pointer, line);
    return line;
  }

  /** Child elements named `name` (in the CycloneDX namespace). */
  private all(node: unknown, name: string): unknown[] {
    return xmlChildren(node, this.p + name);
  }

  private one(node: unknown, name: string): unknown {
    return xmlChild(node, this.p + name);
  }

  private text(node: unknown, name: string): string | undefined {
    return xmlChildText(node, this.p + name);
  }

  private texts(node: unknown, name: string): string[] | undefined {
    const all = this.all(node, name);
    return all.length === 0 ? undefined : all.map(xmlTextOf);
  }

  private attr(node: unknown, name: string): string | undefined {
    return xmlAttr(node, name);
  }

  /** A wrapper element's items: `<hashes><hash/>…</hashes>` → the `hash` elements, or undefined without the wrapper. */
  private list(node: unknown, wrapper: string, item: string): unknown[] | undefined {
    return xmlList(node, this.p + wrapper, this.p + item);
  }

  bom(root: unknown, version: CycloneDxVersion): CdxBom {
    const out: Json = { bomFormat: 'CycloneDX', specVersion: version };
    set(out, 'serialNumber', this.attr(root, 'serialNumber'));
    const v = this.attr(root, 'version');
    set(out, 'version', v !== undefined && /^\d{1,9}$/.test(v) ? Number(v) : v);
    const metadata = this.one(root, 'metadata');
    if (metadata !== undefined) out['metadata'] = this.metadata(metadata);
    const components = this.list(root, 'components', 'component');
    if (components) out['components'] = components.map((c, i) => this.component(c, `/components/${i}`));
    const deps = this.list(root, 'dependencies', 'dependency');
    if (deps) {
      out['dependencies'] = deps.map((d, i) => {
        this.remember(d, `/dependencies/${i}`);
        const dep: Json = {};
        set(dep, 'ref', this.attr(d, 'ref'));
        const on = this.all(d, 'dependency').map((x) => this.attr(x, 'ref'));
        if (on.length > 0) dep['dependsOn'] = on;
        return dep;
      });
    }
    return out;
  }

  private metadata(node: unknown): Json {
    this.remember(node, '/metadata');
    const out: Json = {};
    set(out, 'timestamp', this.text(node, 'timestamp'));
    const tools = this.one(node, 'tools');
    if (tools !== undefined) out['tools'] = this.tools(tools);
    const authors = this.list(node, 'authors', 'author');
    if (authors) out['authors'] = authors.map((a) => this.contact(a));
    const component = this.one(node, 'component');
    if (component !== undefined) out['component'] = this.component(component, '/metadata/component');
    for (const key of ['manufacture', 'manufacturer', 'supplier']) {
      const org = this.one(node, key);
      if (org !== undefined) out[key] = this.organization(org);
    }
    set(out, 'licenses', this.licenses(node));
    set(out, 'properties', this.properties(node));
    return out;
  }

  /** 1.2–1.4 `<tool>` list, or the 1.5+ `<components>` form (services are not mapped). */
  private tools(node: unknown): unknown {
    const legacy = this.all(node, 'tool');
    if (legacy.length > 0 || this.one(node, 'components') === undefined) {
      return legacy.map((t) => {
        const o: Json = {};
        set(o, 'vendor', this.text(t, 'vendor'));
        set(o, 'name', this.text(t, 'name'));
        set(o, 'version', this.text(t, 'version'));
        set(o, 'hashes', this.hashes(t));
        return o;
      });
    }
    const components = this.list(node, 'components', 'component') ?? [];
    return { components: components.map((c, i) => this.component(c, `/metadata/tools/components/${i}`)) };
  }

  private contact(node: unknown): Json {
    const o: Json = {};
    set(o, 'bom-ref', this.attr(node, 'bom-ref'));
    set(o, 'name', this.text(node, 'name'));
    set(o, 'email', this.text(node, 'email'));
    set(o, 'phone', this.text(node, 'phone'));
    return o;
  }

  private organization(node: unknown): Json {
    const o: Json = {};
    set(o, 'bom-ref', this.attr(node, 'bom-ref'));
    set(o, 'name', this.text(node, 'name'));
    set(o, 'url', this.texts(node, 'url'));
    const contacts = this.all(node, 'contact');
    if (contacts.length > 0) o['contact'] = contacts.map((c) => this.contact(c));
    return o;
  }

  private component(node: unknown, pointer: string): CdxComponent {
    const line = this.remember(node, pointer);
    const o: Json = {};
    set(o, 'type', this.attr(node, 'type'));
    set(o, 'mime-type', this.attr(node, 'mime-type'));
    set(o, 'bom-ref', this.attr(node, 'bom-ref'));
    const supplier = this.one(node, 'supplier');
    if (supplier !== undefined) o['supplier'] = this.organization(supplier);
    for (const key of ['author', 'publisher', 'group', 'name', 'version', 'description', 'scope']) set(o, key, this.text(node, key));
    set(o, 'hashes', this.hashes(node));
    set(o, 'licenses', this.licenses(node));
    for (const key of ['copyright', 'cpe', 'purl']) set(o, key, this.text(node, key));
    const refs = this.list(node, 'externalReferences', 'reference');
    if (refs) {
      o['externalReferences'] = refs.map((r) => {
        const ref: Json = {};
        set(ref, 'type', this.attr(r, 'type'));
        set(ref, 'url', this.text(r, 'url'));
        set(ref, 'comment', this.text(r, 'comment'));
        set(ref, 'hashes', this.hashes(r));
        return ref;
      });
    }
    set(o, 'properties', this.properties(node));
    const children = this.list(node, 'components', 'component');
    if (children) o['components'] = children.map((c, i) => this.component(c, `${pointer}/components/${i}`));
    if (line !== undefined) this.componentLines.set(o, line);
    return o;
  }

  private hashes(node: unknown): Json[] | undefined {
    return this.list(node, 'hashes', 'hash')?.map((h) => {
      const o: Json = {};
      set(o, 'alg', this.attr(h, 'alg'));
      o['content'] = xmlTextOf(h);
      return o;
    });
  }

  private licenses(node: unknown): Json[] | undefined {
    const wrapper = this.one(node, 'licenses');
    if (wrapper === undefined) return undefined;
    const out: Json[] = [];
    for (const l of this.all(wrapper, 'license')) {
      const lic: Json = {};
      set(lic, 'bom-ref', this.attr(l, 'bom-ref'));
      set(lic, 'id', this.text(l, 'id'));
      set(lic, 'name', this.text(l, 'name'));
      set(lic, 'acknowledgement', this.attr(l, 'acknowledgement'));
      const text = this.one(l, 'text');
      if (text !== undefined) {
        const t: Json = { content: xmlTextOf(text) };
        set(t, 'contentType', this.attr(text, 'content-type'));
        set(t, 'encoding', this.attr(text, 'encoding'));
        lic['text'] = t;
      }
      set(lic, 'url', this.text(l, 'url'));
      out.push({ license: lic });
    }
    for (const e of this.all(wrapper, 'expression')) {
      const exp: Json = { expression: xmlTextOf(e) };
      set(exp, 'bom-ref', this.attr(e, 'bom-ref'));
      set(exp, 'acknowledgement', this.attr(e, 'acknowledgement'));
      out.push(exp);
    }
    return out;
  }

  private properties(node: unknown): Json[] | undefined {
    return this.list(node, 'properties', 'property')?.map((p) => {
      const o: Json = {};
      set(o, 'name', this.attr(p, 'name'));
      o['value'] = xmlTextOf(p);
      return o;
    });
  }
}
