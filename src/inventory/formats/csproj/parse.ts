/**
 * .NET SDK-style project files (`*.csproj`, also `*.fsproj` / `*.vbproj`), read with
 * fast-xml-parser through the XML guards in ../maven-pom/xml.ts. Every
 * `<PackageReference Include="…">` is a direct NuGet dependency; its version comes from the
 * `Version` (or `VersionOverride`) attribute or child element, else — central package
 * management — from `<PackageVersion>` in the nearest `Directory.Packages.props` up the tree
 * (read through `readFile`, best effort). `$(Property)` is expanded from the project's and
 * the nearest `Directory.Build.props` / `Directory.Packages.props` property groups. A range
 * `[1.0,2.0)` keeps its lower bound (with a warning); a floating `1.*` or unresolved version
 * is reported as a warning with version ''. `PrivateAssets="all"` (analyzers, build tools)
 * → scope dev.
 */
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { PackageIds, purl } from '../../purl.js';
import { readXml, xmlAttr, xmlChild, xmlChildren, xmlText, type XmlDocument } from '../maven-pom/xml.js';

export const CSPROJ_READER_ID = 'csproj';
const ECOSYSTEM = 'NuGet';
const MAX_BYTES = 16 * 1024 * 1024;
const ARRAYS: ReadonlySet<string> = new Set(['ItemGroup', 'PropertyGroup', 'PackageReference', 'PackageVersion', 'GlobalPackageReference']);
const PROPERTY = /\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g;

interface Reference {
  readonly name: string;
  readonly version: string | undefined;
  readonly privateAssets: string | undefined;
  readonly file: string;
  readonly line: number | undefined;
  readonly global: boolean;
}

/** The element's attribute or child element of that name (MSBuild accepts both). */
const field = (node: unknown, name: string): string | undefined => xmlAttr(node, name) ?? xmlText(xmlChild(node, name));

function project(doc: XmlDocument): unknown {
  return doc.root['Project'];
}

function readProperties(doc: XmlDocument, into: Map<string, string>): void {
  for (const group of xmlChildren(project(doc), 'PropertyGroup')) {
    if (typeof group !== 'object' || group === null) continue;
    for (const [k, v] of Object.entries(group)) {
      if (k.startsWith('@_') || k === '#text') continue;
      const text = xmlText(Array.isArray(v) ? v[v.length - 1] : v);
      if (text !== undefined) into.set(k.toLowerCase(), text);
    }
  }
}

function readReferences(doc: XmlDocument, file: string, element: string, global: boolean): Reference[] {
  const out: Reference[] = [];
  for (const group of xmlChildren(project(doc), 'ItemGroup')) {
    for (const ref of xmlChildren(group, element)) {
      const name = xmlAttr(ref, 'Include');
      if (!name) continue;
      out.push({ name, version: field(ref, 'VersionOverride') ?? field(ref, 'Version'), privateAssets: field(ref, 'PrivateAssets'), file, line: ref === '' ? undefined : doc.lineOf(ref), global });
    }
  }
  return out;
}

/** The nearest `name` in the project's folder or above, through readFile. */
function nearest(input: ReaderInput, name: string): { path: string; text: string } | undefined {
  if (!input.readFile) return undefined;
  const parts = input.path.split('/').slice(0, -1);
  for (let n = parts.length; n >= 0; n--) {
    const path = [...parts.slice(0, n), name].join('/');
    const text = input.readFile(path);
    if (text !== undefined) return { path, text };
  }
  return undefined;
}

export function parseCsproj(input: ReaderInput): ReadResult {
  const { path } = input;
  const problems: ReadProblem[] = [];
  const warn = (message: string, file: string = path, line?: number): void => {
    problems.push({ location: { file, line }, reader: CSPROJ_READER_ID, message, severity: 'warning' });
  };
  const xml = readXml(input.text, { maxBytes: MAX_BYTES, arrays: ARRAYS });
  if (!xml.ok) return { packages: [], edges: [], problems: [{ location: { file: path, line: xml.line }, reader: CSPROJ_READER_ID, message: `could not read project file: ${xml.reason}`, severity: 'error' }] };
  if (project(xml.doc) === undefined) return { packages: [], edges: [], problems: [{ location: { file: path }, reader: CSPROJ_READER_ID, message: 'not an MSBuild project file: no <Project> root element', severity: 'error' }] };

  const properties = new Map<string, string>();
  const central = new Map<string, string>();
  const references: Reference[] = [];
  for (const name of ['Directory.Build.props', 'Directory.Packages.props']) {
    const found = nearest(input, name);
    if (!found) continue;
    const props = readXml(found.text, { maxBytes: MAX_BYTES, arrays: ARRAYS });
    if (!props.ok) {
      warn(`${found.path} could not be read: ${props.reason}`, found.path, props.line);
      continue;
    }
    readProperties(props.doc, properties);
    if (name === 'Directory.Packages.props') {
      for (const v of readReferences(props.doc, found.path, 'PackageVersion', false)) if (v.version) central.set(v.name.toLowerCase(), v.version);
      references.push(...readReferences(props.doc, found.path, 'GlobalPackageReference', true));
    }
  }
  readProperties(xml.doc, properties);
  references.unshift(...readReferences(xml.doc, path, 'PackageReference', false));

  const expand = (s: string): string => {
    let out = s;
    for (let pass = 0; pass < 10 && out.includes('$('); pass++) {
      const next = out.replace(PROPERTY, (whole, key: string) => properties.get(key.toLowerCase()) ?? whole);
      if (next === out || next.length > 4096) break;
      out = next;
    }
    return out;
  };

  const ids = new PackageIds();
  const packages: Package[] = [];
  const edges: Edge[] = [];
  for (const ref of references) {
    const name = expand(ref.name);
    const written = ref.version ?? central.get(name.toLowerCase());
    const props: Record<string, string> = {};
    let version = '';
    if (written === undefined) {
      warn(`${name} has no Version and no Directory.Packages.props in reach sets one`, ref.file, ref.line);
    } else {
      const v = expand(written).trim();
      if (ref.version === undefined) props['nuget:versionFrom'] = 'Directory.Packages.props';
      if (v.includes('$(')) {
        warn(`${name}: version ${written} uses a property no file in reach defines`, ref.file, ref.line);
      } else if (v.includes('*')) {
        props['nuget:versionRange'] = v;
        warn(`${name}: floating version ${v} is resolved at restore time: no version reported`, ref.file, ref.line);
      } else if (v.startsWith('[') || v.startsWith('(')) {
        const end = v.slice(1).search(/[,\])]/);
        version = (end === -1 ? v.slice(1) : v.slice(1, end + 1)).trim();
        props['nuget:versionRange'] = v;
        warn(`${name}: version range ${v}: reported as its lower bound ${version || '(none)'}`, ref.file, ref.line);
      } else {
        version = v;
      }
    }
    if (ref.global) props['nuget:globalPackageReference'] = 'true';
    const dev = ref.privateAssets?.toLowerCase().split(';').includes('all') ?? false;
    let p: string;
    try {
      p = purl('nuget', undefined, name, version);
    } catch {
      p = purl('nuget', undefined, name, undefined);
    }
    const id = ids.next(p);
    packages.push({
      id,
      name,
      version,
      ecosystem: ECOSYSTEM,
      purl: p,
      direct: true,
      ...(dev ? { scope: 'dev' as const } : {}),
      location: { file: ref.file, line: ref.line },
      ...(Object.keys(props).length ? { properties: props } : {}),
    });
    edges.push({ from: 'root', to: id });
  }
  return { packages, edges, problems };
}
