/**
 * Gradle dependency verification metadata (`gradle/verification-metadata.xml`), read with
 * fast-xml-parser through the XML guards in ../maven-pom/xml.ts. Each
 * `<component group name version>` is a Maven package Gradle has resolved and verified (as
 * osv-scanner reports them). The checksums of the component's main artifact
 * (`name-version.jar` / `.aar` / `.klib`, when listed) become its hashes.
 */
import type { Hash, Package, ReadProblem, ReadResult } from '../../model.js';
import type { ReaderInput } from '../../reader.js';
import { PackageIds, purl } from '../../purl.js';
import { readXml, xmlAttr, xmlChild, xmlChildren } from '../maven-pom/xml.js';

export const GRADLE_VERIFICATION_READER_ID = 'gradle-verification';
const ECOSYSTEM = 'Maven';
const MAX_BYTES = 64 * 1024 * 1024;
const ARRAYS: ReadonlySet<string> = new Set(['component', 'artifact', 'sha1', 'sha256', 'sha512', 'md5']);
const ALGS: readonly (readonly [string, string, number])[] = [['sha256', 'SHA-256', 64], ['sha512', 'SHA-512', 128], ['sha1', 'SHA-1', 40], ['md5', 'MD5', 32]];

function mainArtifactHashes(component: unknown, name: string, version: string): Hash[] {
  const wanted = ['jar', 'aar', 'klib'].map((ext) => `${name}-${version}.${ext}`);
  const artifact = xmlChildren(component, 'artifact').find((a) => wanted.includes(xmlAttr(a, 'name') ?? ''));
  if (!artifact) return [];
  const hashes: Hash[] = [];
  for (const [element, alg, length] of ALGS) {
    const value = xmlAttr(xmlChildren(artifact, element)[0], 'value')?.toLowerCase();
    if (value && value.length === length && /^[0-9a-f]+$/.test(value)) hashes.push({ alg, content: value });
  }
  return hashes;
}

export function parseGradleVerification(input: ReaderInput): ReadResult {
  const { path } = input;
  const problems: ReadProblem[] = [];
  const xml = readXml(input.text, { maxBytes: MAX_BYTES, arrays: ARRAYS });
  if (!xml.ok) return { packages: [], edges: [], problems: [{ location: { file: path, line: xml.line }, reader: GRADLE_VERIFICATION_READER_ID, message: `could not read verification metadata: ${xml.reason}`, severity: 'error' }] };
  const root = xml.doc.root['verification-metadata'];
  if (root === undefined) return { packages: [], edges: [], problems: [{ location: { file: path }, reader: GRADLE_VERIFICATION_READER_ID, message: 'not Gradle verification metadata: no <verification-metadata> root element', severity: 'error' }] };

  const ids = new PackageIds();
  const packages: Package[] = [];
  for (const component of xmlChildren(xmlChild(root, 'components'), 'component')) {
    const group = xmlAttr(component, 'group');
    const name = xmlAttr(component, 'name');
    const version = xmlAttr(component, 'version');
    const line = xml.doc.lineOf(component);
    if (!group || !name || version === undefined) {
      problems.push({ location: { file: path, line }, reader: GRADLE_VERIFICATION_READER_ID, message: 'component without group, name or version: skipped', severity: 'warning' });
      continue;
    }
    let p: string;
    try {
      p = purl('maven', group, name, version);
    } catch {
      p = purl('generic', undefined, `${group}:${name}`, version);
    }
    const hashes = mainArtifactHashes(component, name, version);
    packages.push({ id: ids.next(p), name: `${group}:${name}`, version, ecosystem: ECOSYSTEM, purl: p, location: { file: path, line }, ...(hashes.length ? { hashes } : {}) });
  }
  return { packages, edges: [], problems };
}
