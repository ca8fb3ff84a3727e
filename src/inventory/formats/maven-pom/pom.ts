import { readXml, xmlChild, xmlChildren, xmlText, type XmlDocument } from './xml.js';

/**
 * One `pom.xml` as written (before inheritance and interpolation): coordinates, parent
 * reference, properties, `<dependencies>` and `<dependencyManagement>`. Profiles are not
 * read (they apply only when activated, which a static reader cannot know).
 */
export interface PomDependency {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string | undefined;
  readonly scope: string | undefined;
  readonly type: string | undefined;
  readonly classifier: string | undefined;
  readonly optional: boolean;
  readonly file: string;
  readonly line: number | undefined;
}

export interface PomParent {
  readonly groupId: string | undefined;
  readonly artifactId: string | undefined;
  readonly version: string | undefined;
  /** undefined = element absent (Maven's default `../pom.xml`); '' = `<relativePath/>` (repository only). */
  readonly relativePath: string | undefined;
}

export interface Pom {
  readonly path: string;
  readonly groupId: string | undefined;
  readonly artifactId: string | undefined;
  readonly version: string | undefined;
  readonly parent: PomParent | undefined;
  readonly properties: ReadonlyMap<string, string>;
  readonly dependencies: readonly PomDependency[];
  readonly managed: readonly PomDependency[];
  /** Dependencies without groupId or artifactId, by line, for warnings. */
  readonly incomplete: readonly (number | undefined)[];
}

export type PomResult = { readonly ok: true; readonly pom: Pom } | { readonly ok: false; readonly reason: string; readonly line?: number | undefined };

const MAX_BYTES = 32 * 1024 * 1024;
const ARRAYS: ReadonlySet<string> = new Set(['dependency', 'profile', 'plugin', 'exclusion', 'module', 'repository', 'license', 'developer', 'contributor']);

function readDependencies(doc: XmlDocument, container: unknown, path: string, incomplete: (number | undefined)[]): PomDependency[] {
  const out: PomDependency[] = [];
  for (const dep of xmlChildren(xmlChild(container, 'dependencies'), 'dependency')) {
    const groupId = xmlText(xmlChild(dep, 'groupId'));
    const artifactId = xmlText(xmlChild(dep, 'artifactId'));
    const line = doc.lineOf(dep);
    if (!groupId || !artifactId) {
      incomplete.push(line);
      continue;
    }
    out.push({
      groupId,
      artifactId,
      version: xmlText(xmlChild(dep, 'version')) || undefined,
      scope: xmlText(xmlChild(dep, 'scope')) || undefined,
      type: xmlText(xmlChild(dep, 'type')) || undefined,
      classifier: xmlText(xmlChild(dep, 'classifier')) || undefined,
      optional: xmlText(xmlChild(dep, 'optional')) === 'true',
      file: path,
      line,
    });
  }
  return out;
}

export function readPom(path: string, text: string): PomResult {
  const xml = readXml(text, { maxBytes: MAX_BYTES, arrays: ARRAYS });
  if (!xml.ok) return xml;
  const { doc } = xml;
  const project = doc.root['project'];
  if (typeof project !== 'object' || project === null || Array.isArray(project)) {
    const first = Object.keys(doc.root).find((k) => !k.startsWith('?'));
    return { ok: false, reason: `not a Maven POM: the root element is ${first ? `<${first}>` : 'missing'}, expected <project>` };
  }
  const properties = new Map<string, string>();
  const props = xmlChild(project, 'properties');
  if (typeof props === 'object' && props !== null) {
    for (const [key, value] of Object.entries(props)) {
      if (key.startsWith('@_') || key === '#text') continue;
      const v = xmlText(Array.isArray(value) ? value[value.length - 1] : value);
      if (v !== undefined) properties.set(key, v);
    }
  }
  const parentNode = xmlChild(project, 'parent');
  const relative = xmlChild(parentNode, 'relativePath');
  const parent: PomParent | undefined =
    parentNode === undefined
      ? undefined
      : {
          groupId: xmlText(xmlChild(parentNode, 'groupId')),
          artifactId: xmlText(xmlChild(parentNode, 'artifactId')),
          version: xmlText(xmlChild(parentNode, 'version')),
          relativePath: relative === undefined ? undefined : (xmlText(relative) ?? ''),
        };
  const incomplete: (number | undefined)[] = [];
  return {
    ok: true,
    pom: {
      path,
      groupId: xmlText(xmlChild(project, 'groupId')),
      artifactId: xmlText(xmlChild(project, 'artifactId')),
      version: xmlText(xmlChild(project, 'version')),
      parent,
      properties,
      dependencies: readDependencies(doc, project, path, incomplete),
      managed: readDependencies(doc, xmlChild(project, 'dependencyManagement'), path, incomplete),
      incomplete,
    },
  };
}
