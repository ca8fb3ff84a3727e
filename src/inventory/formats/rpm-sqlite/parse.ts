/**
 * RPM package headers as rpm ≥ 4.16 stores them in `rpmdb.sqlite` (table `Packages`, one
 * `blob` per installed package). A blob is an RPM header without its 8-byte magic
 * (rpm's `headerExport`, `lib/header.c`; the LSB "Package File Format" spec): big-endian
 * `il` (index entry count) and `dl` (data store size), `il` index entries of 16 bytes
 * (tag, type, offset, count) and the `dl`-byte data store the offsets point into.
 *
 * Hand-written: no maintained JavaScript reader of RPM headers exists. Pure and defensive:
 * every count and offset is checked against the blob before it is used, and a corrupt
 * header is a problem for that row, never an exception. SQLite itself is opened by
 * `sqlite.ts` (sql.js, WASM).
 */
import type { Edge, Package, ReadProblem, ReadResult } from '../../model.js';
import { PackageIds, purl } from '../../purl.js';

export const READER_ID = 'rpm-sqlite';

/** Tags read (rpm's `rpmtag.h`). */
export const TAG = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  SOURCERPM: 1044,
  PROVIDENAME: 1047,
  REQUIRENAME: 1049,
} as const;

const WANTED = new Set<number>(Object.values(TAG));

/** Entry data types (rpm's `rpmTagType`). */
export const TYPE = { NULL: 0, CHAR: 1, INT8: 2, INT16: 3, INT32: 4, INT64: 5, STRING: 6, BIN: 7, STRING_ARRAY: 8, I18NSTRING: 9 } as const;

/** rpm's own sanity limits (`hdrchkTags`, `hdrchkData`). */
const MAX_TAGS = 0xffff;
const MAX_DATA = 0x00ffffff;

export interface RpmHeader {
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  readonly release?: string | undefined;
  readonly epoch?: number | undefined;
  readonly arch?: string | undefined;
  readonly sourceRpm?: string | undefined;
  readonly license?: string | undefined;
  readonly vendor?: string | undefined;
  readonly provides: readonly string[];
  readonly requires: readonly string[];
}

export type HeaderResult = { readonly ok: true; readonly header: RpmHeader } | { readonly ok: false; readonly reason: string };

const utf8 = new TextDecoder('utf-8');

/** Decodes the tags this reader needs from one header blob. */
export function decodeHeader(blob: Uint8Array): HeaderResult {
  if (blob.length < 8) return { ok: false, reason: `header blob is ${blob.length} bytes, shorter than its 8-byte intro` };
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const il = view.getUint32(0);
  const dl = view.getUint32(4);
  if (il === 0 || il > MAX_TAGS) return { ok: false, reason: `header claims ${il} index entries (expected 1..${MAX_TAGS})` };
  if (dl > MAX_DATA) return { ok: false, reason: `header claims a ${dl}-byte data store (over rpm's ${MAX_DATA}-byte limit)` };
  const dataStart = 8 + il * 16;
  if (dataStart + dl > blob.length) {
    return { ok: false, reason: `header is truncated: ${il} entries and ${dl} data bytes need ${dataStart + dl} bytes, blob has ${blob.length}` };
  }

  const strings = new Map<number, string[]>();
  let epoch: number | undefined;
  for (let i = 0; i < il; i++) {
    const at = 8 + i * 16;
    const tag = view.getUint32(at);
    if (!WANTED.has(tag)) continue;
    const type = view.getUint32(at + 4);
    const offset = view.getInt32(at + 8);
    const count = view.getUint32(at + 12);
    if (offset < 0 || offset >= dl || count === 0 || count > dl) {
      return { ok: false, reason: `tag ${tag}: offset ${offset} / count ${count} outside the ${dl}-byte data store` };
    }
    if (tag === TAG.EPOCH) {
      if (type !== TYPE.INT32) return { ok: false, reason: `tag ${tag} (EPOCH): type ${type}, expected INT32` };
      if (offset % 4 !== 0 || offset + 4 > dl) return { ok: false, reason: `tag ${tag} (EPOCH): misaligned or out-of-bounds offset ${offset}` };
      epoch = view.getUint32(dataStart + offset);
      continue;
    }
    if (type !== TYPE.STRING && type !== TYPE.STRING_ARRAY && type !== TYPE.I18NSTRING) {
      return { ok: false, reason: `tag ${tag}: type ${type}, expected a string type` };
    }
    if (type === TYPE.STRING && count !== 1) return { ok: false, reason: `tag ${tag}: STRING with count ${count}` };
    const values = readStrings(blob, dataStart + offset, dataStart + dl, type === TYPE.STRING_ARRAY ? count : 1);
    if (values === undefined) return { ok: false, reason: `tag ${tag}: string runs past the end of the data store` };
    strings.set(tag, values);
  }
  const one = (tag: number): string | undefined => strings.get(tag)?.[0];
  return {
    ok: true,
    header: {
      name: one(TAG.NAME),
      version: one(TAG.VERSION),
      release: one(TAG.RELEASE),
      epoch,
      arch: one(TAG.ARCH),
      sourceRpm: one(TAG.SOURCERPM),
      license: one(TAG.LICENSE),
      vendor: one(TAG.VENDOR),
      provides: strings.get(TAG.PROVIDENAME) ?? [],
      requires: strings.get(TAG.REQUIRENAME) ?? [],
    },
  };
}

/** `count` NUL-terminated strings from `start`, all ending before `limit`; undefined if one does not. */
function readStrings(blob: Uint8Array, start: number, limit: number, count: number): string[] | undefined {
  const out: string[] = [];
  let pos = start;
  for (let k = 0; k < count; k++) {
    const nul = blob.indexOf(0, pos);
    if (nul === -1 || nul >= limit) return undefined;
    out.push(utf8.decode(blob.subarray(pos, nul)));
    pos = nul + 1;
  }
  return out;
}

export interface RpmContext {
  /** OSV ecosystem (`Red Hat`, `AlmaLinux:9` …), or '' when the distribution is unknown. */
  readonly ecosystem: string;
  /** purl namespace (`redhat`, `almalinux`, `opensuse-leap` …). */
  readonly vendor?: string | undefined;
  readonly distro?: string | undefined;
}

export interface HeaderRow {
  readonly hnum: number;
  readonly blob: Uint8Array;
}

/**
 * Header rows → packages. Version as RPM and OSV write it: `[epoch:]version-release`.
 * `gpg-pubkey` rows are imported signing keys, not software: left out.
 */
export function packagesFromHeaders(rows: Iterable<HeaderRow>, path: string, ctx: RpmContext): ReadResult {
  const problems: ReadProblem[] = [];
  const ids = new PackageIds();
  const packages: Package[] = [];
  const kept: { header: RpmHeader; pkg: Package }[] = [];
  for (const row of rows) {
    const decoded = decodeHeader(row.blob);
    if (!decoded.ok) {
      problems.push({ location: { file: path }, reader: READER_ID, message: `Packages row hnum=${row.hnum}: corrupt header: ${decoded.reason}`, severity: 'error' });
      continue;
    }
    const h = decoded.header;
    if (!h.name) {
      problems.push({ location: { file: path }, reader: READER_ID, message: `Packages row hnum=${row.hnum}: header has no NAME tag`, severity: 'error' });
      continue;
    }
    if (h.name === 'gpg-pubkey') continue;
    if (!h.version) {
      problems.push({ location: { file: path }, reader: READER_ID, message: `package ${JSON.stringify(h.name)} (hnum=${row.hnum}) has no VERSION tag`, severity: 'warning' });
    }
    const evr = `${h.epoch ? `${h.epoch}:` : ''}${h.version ?? ''}${h.release ? `-${h.release}` : ''}`;
    const arch = h.arch && h.arch !== '(none)' ? h.arch : undefined;
    const p = purl('rpm', ctx.vendor, h.name, evr, { arch, distro: ctx.distro });
    const source = h.sourceRpm ? parseSourceRpm(h.sourceRpm) : undefined;
    const pkg: Package = {
      id: ids.next(p),
      name: h.name,
      version: evr,
      ecosystem: ctx.ecosystem,
      purl: p,
      location: { file: path },
      sourceName: source?.name,
      sourceVersion: source?.version,
      licenses: h.license ? [h.license] : undefined,
      properties: h.vendor ? { 'rpm:vendor': h.vendor } : undefined,
    };
    packages.push(pkg);
    kept.push({ header: h, pkg });
  }
  return { packages, edges: requireEdges(kept), problems };
}

/** `glibc-2.34-60.el9.src.rpm` → `glibc`, `2.34-60.el9`. */
export function parseSourceRpm(file: string): { name: string; version: string } | undefined {
  const base = file.replace(/\.(no)?src\.rpm$/, '');
  const r = base.lastIndexOf('-');
  const v = r > 0 ? base.lastIndexOf('-', r - 1) : -1;
  if (v <= 0) return undefined;
  return { name: base.slice(0, v), version: base.slice(v + 1) };
}

/** Requires resolved through Provides (every package provides its own name too). */
function requireEdges(kept: readonly { header: RpmHeader; pkg: Package }[]): Edge[] {
  const provider = new Map<string, string>();
  for (const { pkg } of kept) if (!provider.has(pkg.name)) provider.set(pkg.name, pkg.id);
  for (const { header, pkg } of kept) for (const p of header.provides) if (!provider.has(p)) provider.set(p, pkg.id);
  const edges: Edge[] = [];
  for (const { header, pkg } of kept) {
    const seen = new Set<string>();
    for (const r of header.requires) {
      const to = provider.get(r);
      if (to !== undefined && to !== pkg.id && !seen.has(to)) {
        seen.add(to);
        edges.push({ from: pkg.id, to });
      }
    }
  }
  return edges;
}
