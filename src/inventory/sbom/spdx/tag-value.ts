/**
 * SPDX 2.2 / 2.3 tag-value (`Tag: value` lines, `<text>…</text>` values over several lines,
 * `#` comments) → the SPDX JSON shape, so that one validator (./schema.ts) and one mapper
 * (./read.ts) serve both encodings. Hand-written (there is no library for it): one linear
 * pass over the lines, no regex backtracking; every error names the line and column.
 *
 * Sections follow the order of the tags: `PackageName` starts a package, `FileName` a file,
 * `SnippetSPDXID` a snippet, `LicenseID` an extracted licence, `Annotator` an annotation
 * (attached to the element its `SPDXREF` names), `Reviewer` a review; `Relationship` lines
 * may appear anywhere. `SPDXID` belongs to the package or file started last (the document
 * before any). Unknown tags are reported as warnings and skipped.
 */

type Json = Record<string, unknown>;

export interface Position {
  readonly line: number;
  readonly column: number;
}

export interface TagValueWarning extends Position {
  readonly message: string;
}

export type TagValueResult =
  | { readonly ok: true; readonly doc: Json; readonly positionOf: (pointer: string) => Position; readonly warnings: readonly TagValueWarning[] }
  | { readonly ok: false; readonly message: string; readonly line: number; readonly column: number };

class TagValueError extends Error {
  constructor(
    message: string,
    readonly pos: Position,
  ) {
    super(message);
  }
}

interface Element {
  readonly obj: Json;
  readonly pointer: string;
}

type Kind = 'doc' | 'package' | 'file' | 'snippet' | 'license' | 'annotation' | 'review';

/** Where a simple single-valued tag goes: the element kind and the JSON key. */
const SCALARS: ReadonlyMap<string, readonly [Kind | 'creation', string]> = new Map<string, readonly [Kind | 'creation', string]>([
  ['SPDXVersion', ['doc', 'spdxVersion']],
  ['DataLicense', ['doc', 'dataLicense']],
  ['DocumentName', ['doc', 'name']],
  ['DocumentNamespace', ['doc', 'documentNamespace']],
  ['DocumentComment', ['doc', 'comment']],
  ['LicenseListVersion', ['creation', 'licenseListVersion']],
  ['Created', ['creation', 'created']],
  ['CreatorComment', ['creation', 'comment']],
  ['PackageVersion', ['package', 'versionInfo']],
  ['PackageFileName', ['package', 'packageFileName']],
  ['PackageSupplier', ['package', 'supplier']],
  ['PackageOriginator', ['package', 'originator']],
  ['PackageDownloadLocation', ['package', 'downloadLocation']],
  ['PackageHomePage', ['package', 'homepage']],
  ['PackageSourceInfo', ['package', 'sourceInfo']],
  ['PackageLicenseConcluded', ['package', 'licenseConcluded']],
  ['PackageLicenseDeclared', ['package', 'licenseDeclared']],
  ['PackageLicenseComments', ['package', 'licenseComments']],
  ['PackageCopyrightText', ['package', 'copyrightText']],
  ['PackageSummary', ['package', 'summary']],
  ['PackageDescription', ['package', 'description']],
  ['PackageComment', ['package', 'comment']],
  ['PrimaryPackagePurpose', ['package', 'primaryPackagePurpose']],
  ['ReleaseDate', ['package', 'releaseDate']],
  ['BuiltDate', ['package', 'builtDate']],
  ['ValidUntilDate', ['package', 'validUntilDate']],
  ['LicenseConcluded', ['file', 'licenseConcluded']],
  ['LicenseComments', ['file', 'licenseComments']],
  ['FileCopyrightText', ['file', 'copyrightText']],
  ['FileComment', ['file', 'comment']],
  ['FileNotice', ['file', 'noticeText']],
  ['SnippetFromFileSPDXID', ['snippet', 'snippetFromFile']],
  ['SnippetLicenseConcluded', ['snippet', 'licenseConcluded']],
  ['SnippetLicenseComments', ['snippet', 'licenseComments']],
  ['SnippetCopyrightText', ['snippet', 'copyrightText']],
  ['SnippetComment', ['snippet', 'comment']],
  ['SnippetName', ['snippet', 'name']],
  ['ExtractedText', ['license', 'extractedText']],
  ['LicenseName', ['license', 'name']],
  ['LicenseComment', ['license', 'comment']],
  ['AnnotationDate', ['annotation', 'annotationDate']],
  ['AnnotationType', ['annotation', 'annotationType']],
  ['AnnotationComment', ['annotation', 'comment']],
  ['ReviewDate', ['review', 'reviewDate']],
  ['ReviewComment', ['review', 'comment']],
]);

/** Multi-valued tags: each occurrence adds one array item. */
const LISTS: ReadonlyMap<string, readonly [Kind | 'creation', string]> = new Map<string, readonly [Kind | 'creation', string]>([
  ['Creator', ['creation', 'creators']],
  ['PackageLicenseInfoFromFiles', ['package', 'licenseInfoFromFiles']],
  ['PackageAttributionText', ['package', 'attributionTexts']],
  ['FileType', ['file', 'fileTypes']],
  ['LicenseInfoInFile', ['file', 'licenseInfoInFiles']],
  ['FileContributor', ['file', 'fileContributors']],
  ['FileAttributionText', ['file', 'attributionTexts']],
  ['FileDependency', ['file', 'fileDependencies']],
  ['LicenseInfoInSnippet', ['snippet', 'licenseInfoInSnippets']],
  ['SnippetAttributionText', ['snippet', 'attributionTexts']],
  ['LicenseCrossReference', ['license', 'seeAlsos']],
]);

/** Splits `value` on runs of spaces into at most `n` fields (the last takes the rest). */
function fields(value: string, n: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < value.length && out.length < n - 1) {
    while (value[i] === ' ' || value[i] === '\t') i++;
    let j = i;
    while (j < value.length && value[j] !== ' ' && value[j] !== '\t') j++;
    if (j > i) out.push(value.slice(i, j));
    i = j;
  }
  const rest = value.slice(i).trim();
  if (rest) out.push(rest);
  return out;
}

class TagValueReader {
  readonly doc: Json = {};
  readonly warnings: TagValueWarning[] = [];
  private readonly positions = new Map<string, Position>();
  private readonly creation: Json = {};
  private readonly lists = { packages: [] as Json[], files: [] as Json[], snippets: [] as Json[], licenses: [] as Json[], relationships: [] as Json[], annotations: [] as { a: Json; target?: string; pos: Position }[], reviews: [] as Json[] };
  private readonly current: Partial<Record<Kind, Element>> = {};
  /** The element an `SPDXID` line names: the document, then the last package or file. */
  private idOwner: Element = { obj: this.doc, pointer: '' };
  private lastRelationship: Json | undefined;
  private lastExternalRef: Json | undefined;
  private lastArtifact: Json | undefined;

  constructor() {
    this.current.doc = { obj: this.doc, pointer: '' };
  }

  positionOf(pointer: string): Position {
    for (let p = pointer; ; p = p.slice(0, p.lastIndexOf('/'))) {
      const pos = this.positions.get(p);
      if (pos) return pos;
      if (p === '') return { line: 1, column: 1 };
    }
  }

  private element(kind: Kind | 'creation', tag: string, pos: Position): Element {
    if (kind === 'creation') return { obj: this.creation, pointer: '/creationInfo' };
    const el = this.current[kind];
    if (!el) throw new TagValueError(`${tag} outside a ${kind} section (expected ${START_TAG[kind]} first)`, pos);
    return el;
  }

  private put(el: Element, key: string, value: unknown, pos: Position, tag: string): void {
    if (Object.hasOwn(el.obj, key)) this.warnings.push({ ...pos, message: `${tag} given again; the last value is kept` });
    el.obj[key] = value;
    this.positions.set(`${el.pointer}/${key}`, pos);
  }

  private push(el: Element, key: string, value: unknown, pos: Position): void {
    const arr = (el.obj[key] ??= []) as unknown[];
    this.positions.set(`${el.pointer}/${key}/${arr.length}`, pos);
    arr.push(value);
  }

  private start(kind: Kind, list: Json[], pointerBase: string, pos: Position): Element {
    const el = { obj: {} as Json, pointer: `${pointerBase}/${list.length}` };
    list.push(el.obj);
    this.positions.set(el.pointer, pos);
    this.current[kind] = el;
    return el;
  }

  private checksum(value: string, pos: Position, tag: string): Json {
    const colon = value.indexOf(':');
    const algorithm = colon === -1 ? '' : value.slice(0, colon).trim();
    const checksumValue = colon === -1 ? '' : value.slice(colon + 1).trim();
    if (!algorithm || !checksumValue) throw new TagValueError(`${tag}: expected "ALGORITHM: value", got ${JSON.stringify(value)}`, pos);
    return { algorithm, checksumValue };
  }

  tag(tag: string, value: string, pos: Position): void {
    const scalar = SCALARS.get(tag);
    if (scalar) return this.put(this.element(scalar[0], tag, pos), scalar[1], value, pos, tag);
    const list = LISTS.get(tag);
    if (list) return this.push(this.element(list[0], tag, pos), list[1], value, pos);
    switch (tag) {
      case 'SPDXID':
        return this.put(this.idOwner, 'SPDXID', value, pos, tag);
      case 'PackageName':
        this.idOwner = this.start('package', this.lists.packages, '/packages', pos);
        return this.put(this.idOwner, 'name', value, pos, tag);
      case 'FileName':
        this.idOwner = this.start('file', this.lists.files, '/files', pos);
        return this.put(this.idOwner, 'fileName', value, pos, tag);
      case 'SnippetSPDXID':
        return this.put(this.start('snippet', this.lists.snippets, '/snippets', pos), 'SPDXID', value, pos, tag);
      case 'LicenseID':
        return this.put(this.start('license', this.lists.licenses, '/hasExtractedLicensingInfos', pos), 'licenseId', value, pos, tag);
      case 'Annotator': {
        const a: Json = { annotator: value };
        this.lists.annotations.push({ a, pos });
        this.current.annotation = { obj: a, pointer: `/annotations/${this.lists.annotations.length - 1}` };
        return;
      }
      case 'SPDXREF': {
        const entry = this.lists.annotations.at(-1);
        if (!entry) throw new TagValueError('SPDXREF outside an annotation (expected Annotator first)', pos);
        entry.target = value;
        return;
      }
      case 'Reviewer':
        return this.put(this.start('review', this.lists.reviews, '/revieweds', pos), 'reviewer', value, pos, tag);
      case 'FilesAnalyzed': {
        const v = value.toLowerCase();
        if (v !== 'true' && v !== 'false') throw new TagValueError(`FilesAnalyzed: expected true or false, got ${JSON.stringify(value)}`, pos);
        return this.put(this.element('package', tag, pos), 'filesAnalyzed', v === 'true', pos, tag);
      }
      case 'PackageChecksum':
        return this.push(this.element('package', tag, pos), 'checksums', this.checksum(value, pos, tag), pos);
      case 'FileChecksum':
        return this.push(this.element('file', tag, pos), 'checksums', this.checksum(value, pos, tag), pos);
      case 'PackageVerificationCode': {
        const [code = '', rest] = fields(value, 2);
        const code_: Json = { packageVerificationCodeValue: code };
        if (rest !== undefined) {
          const inner = rest.replace(/^\(/, '').replace(/\)$/, '');
          const colon = inner.indexOf(':');
          code_['packageVerificationCodeExcludedFiles'] = [(colon === -1 ? inner : inner.slice(colon + 1)).trim()];
        }
        return this.put(this.element('package', tag, pos), 'packageVerificationCode', code_, pos, tag);
      }
      case 'ExternalRef': {
        const [referenceCategory, referenceType, referenceLocator] = fields(value, 3);
        if (referenceLocator === undefined) throw new TagValueError(`ExternalRef: expected "CATEGORY TYPE LOCATOR", got ${JSON.stringify(value)}`, pos);
        this.lastExternalRef = { referenceCategory, referenceType, referenceLocator };
        return this.push(this.element('package', tag, pos), 'externalRefs', this.lastExternalRef, pos);
      }
      case 'ExternalRefComment':
        if (!this.lastExternalRef) throw new TagValueError('ExternalRefComment without an ExternalRef before it', pos);
        this.lastExternalRef['comment'] = value;
        return;
      case 'Relationship': {
        const [spdxElementId, relationshipType, relatedSpdxElement, extra] = fields(value, 4);
        if (relatedSpdxElement === undefined || extra !== undefined) throw new TagValueError(`Relationship: expected "SPDXRef-A TYPE SPDXRef-B", got ${JSON.stringify(value)}`, pos);
        this.lastRelationship = { spdxElementId, relationshipType, relatedSpdxElement };
        this.positions.set(`/relationships/${this.lists.relationships.length}`, pos);
        this.lists.relationships.push(this.lastRelationship);
        return;
      }
      case 'RelationshipComment':
        if (!this.lastRelationship) throw new TagValueError('RelationshipComment without a Relationship before it', pos);
        this.lastRelationship['comment'] = value;
        return;
      case 'ExternalDocumentRef': {
        const [externalDocumentId, spdxDocument, sum] = fields(value, 3);
        if (sum === undefined) throw new TagValueError(`ExternalDocumentRef: expected "DocumentRef-ID URI ALGORITHM: value", got ${JSON.stringify(value)}`, pos);
        return this.push(this.current.doc!, 'externalDocumentRefs', { externalDocumentId, spdxDocument, checksum: this.checksum(sum, pos, tag) }, pos);
      }
      case 'SnippetByteRange':
      case 'SnippetLineRange': {
        const colon = value.indexOf(':');
        const a = value.slice(0, colon).trim();
        const z = value.slice(colon + 1).trim();
        if (colon === -1 || !/^\d{1,15}$/.test(a) || !/^\d{1,15}$/.test(z)) throw new TagValueError(`${tag}: expected "start:end", got ${JSON.stringify(value)}`, pos);
        const key = tag === 'SnippetByteRange' ? 'offset' : 'lineNumber';
        return this.push(this.element('snippet', tag, pos), 'ranges', { startPointer: { [key]: Number(a) }, endPointer: { [key]: Number(z) } }, pos);
      }
      case 'ArtifactOfProjectName':
        this.lastArtifact = { name: value };
        return this.push(this.element('file', tag, pos), 'artifactOfs', this.lastArtifact, pos);
      case 'ArtifactOfProjectHomePage':
      case 'ArtifactOfProjectURI':
        if (!this.lastArtifact) throw new TagValueError(`${tag} without an ArtifactOfProjectName before it`, pos);
        this.lastArtifact[tag === 'ArtifactOfProjectURI' ? 'projectUri' : 'homePage'] = value;
        return;
      default:
        this.warnings.push({ ...pos, message: `unknown tag ${tag} ignored` });
    }
  }

  /** Assembles the document: sections in JSON order, annotations on their targets, snippet pointers completed. */
  finish(): Json {
    const d = this.doc;
    if (Object.keys(this.creation).length > 0) d['creationInfo'] = this.creation;
    const { packages, files, snippets, licenses, relationships, reviews } = this.lists;
    for (const s of snippets) {
      for (const r of (s['ranges'] ?? []) as { startPointer: Json; endPointer: Json }[]) {
        r.startPointer['reference'] = s['snippetFromFile'];
        r.endPointer['reference'] = s['snippetFromFile'];
      }
    }
    const byId = new Map<unknown, { obj: Json; pointer: string }>();
    packages.forEach((obj, i) => byId.set(obj['SPDXID'], { obj, pointer: `/packages/${i}` }));
    files.forEach((obj, i) => byId.set(obj['SPDXID'], { obj, pointer: `/files/${i}` }));
    snippets.forEach((obj, i) => byId.set(obj['SPDXID'], { obj, pointer: `/snippets/${i}` }));
    for (const { a, target, pos } of this.lists.annotations) {
      const owner = target === undefined || target === d['SPDXID'] ? undefined : byId.get(target);
      if (target !== undefined && target !== d['SPDXID'] && !owner) this.warnings.push({ ...pos, message: `annotation names ${JSON.stringify(target)}, which is not in this document; kept on the document` });
      const el = owner ?? { obj: d, pointer: '' };
      this.push(el, 'annotations', a, pos);
    }
    for (const [key, list] of [['packages', packages], ['files', files], ['snippets', snippets], ['hasExtractedLicensingInfos', licenses], ['relationships', relationships], ['revieweds', reviews]] as const) {
      if (list.length > 0) d[key] = list;
    }
    return d;
  }
}

const START_TAG: Readonly<Record<Kind, string>> = {
  doc: 'SPDXVersion',
  package: 'PackageName',
  file: 'FileName',
  snippet: 'SnippetSPDXID',
  license: 'LicenseID',
  annotation: 'Annotator',
  review: 'Reviewer',
};

const TAG = /^[A-Za-z][A-Za-z0-9_]*$/;
const MAX_WARNINGS = 100;

export function parseTagValue(text: string): TagValueResult {
  const reader = new TagValueReader();
  let lineNo = 0;
  let pos = 0;
  let open: { tag: string; at: Position; parts: string[] } | undefined;
  try {
    while (pos <= text.length) {
      const nl = text.indexOf('\n', pos);
      const end = nl === -1 ? text.length : nl;
      let line = text.slice(pos, end);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      lineNo++;
      pos = end + 1;
      if (open) {
        const close = line.indexOf('</text>');
        if (close === -1) {
          open.parts.push(line);
        } else {
          open.parts.push(line.slice(0, close));
          if (line.slice(close + 7).trim()) reader.warnings.push({ line: lineNo, column: close + 8, message: 'text after </text> ignored' });
          reader.tag(open.tag, open.parts.join('\n'), open.at);
          open = undefined;
        }
        if (nl === -1) break;
        continue;
      }
      const trimmed = line.trimStart();
      if (trimmed === '' || trimmed.startsWith('#')) {
        if (nl === -1) break;
        continue;
      }
      const colon = line.indexOf(':');
      const tag = colon === -1 ? '' : line.slice(0, colon).trim();
      if (!TAG.test(tag)) throw new TagValueError(`expected "Tag: value", got ${JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line)}`, { line: lineNo, column: 1 });
      let v = colon + 1;
      while (line[v] === ' ' || line[v] === '\t') v++;
      const at = { line: lineNo, column: v + 1 };
      const value = line.slice(v);
      if (value.startsWith('<text>')) {
        const body = value.slice(6);
        const close = body.indexOf('</text>');
        if (close === -1) open = { tag, at, parts: [body] };
        else reader.tag(tag, body.slice(0, close), at);
      } else {
        reader.tag(tag, value.trimEnd(), at);
      }
      if (nl === -1) break;
    }
    if (open) throw new TagValueError(`${open.tag}: <text> is never closed with </text>`, open.at);
    const doc = reader.finish();
    // A hostile file could hold a million unknown tags: keep the first warnings and a count.
    const warnings = reader.warnings.length <= MAX_WARNINGS ? reader.warnings : [...reader.warnings.slice(0, MAX_WARNINGS), { ...reader.warnings[MAX_WARNINGS]!, message: `${reader.warnings.length - MAX_WARNINGS} more warnings not shown` }];
    return { ok: true, doc, positionOf: (p) => reader.positionOf(p), warnings };
  } catch (err) {
    if (err instanceof TagValueError) return { ok: false, message: err.message, line: err.pos.line, column: err.pos.column };
    throw err;
  }
}
