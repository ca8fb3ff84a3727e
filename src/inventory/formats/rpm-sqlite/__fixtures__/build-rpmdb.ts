import initSqlJs from 'sql.js';
import { TAG, TYPE } from '../parse.js';

/**
 * Test support: RPM header blobs and rpmdb.sqlite files built from scratch, in the layout rpm
 * writes (`headerExport`: il, dl, 16-byte index entries, data store; INT32 data 4-aligned).
 */
export type HeaderEntry =
  | { readonly tag: number; readonly type: typeof TYPE.STRING | typeof TYPE.I18NSTRING; readonly value: string }
  | { readonly tag: number; readonly type: typeof TYPE.STRING_ARRAY; readonly value: readonly string[] }
  | { readonly tag: number; readonly type: typeof TYPE.INT32; readonly value: readonly number[] }
  | { readonly tag: number; readonly type: typeof TYPE.BIN; readonly value: Uint8Array };

export function encodeHeader(entries: readonly HeaderEntry[]): Uint8Array {
  const data: number[] = [];
  const index: number[][] = [];
  const enc = new TextEncoder();
  for (const e of entries) {
    if (e.type === TYPE.INT32) while (data.length % 4 !== 0) data.push(0);
    const offset = data.length;
    let count = 1;
    if (e.type === TYPE.INT32) {
      count = e.value.length;
      for (const v of e.value) data.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    } else if (e.type === TYPE.STRING_ARRAY) {
      count = e.value.length;
      for (const s of e.value) data.push(...enc.encode(s), 0);
    } else if (e.type === TYPE.BIN) {
      count = e.value.length;
      data.push(...e.value);
    } else {
      data.push(...enc.encode(e.value), 0);
    }
    index.push([e.tag, e.type, offset, count]);
  }
  const out = new Uint8Array(8 + index.length * 16 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, index.length);
  view.setUint32(4, data.length);
  index.forEach(([tag, type, offset, count], i) => {
    view.setUint32(8 + i * 16, tag!);
    view.setUint32(12 + i * 16, type!);
    view.setInt32(16 + i * 16, offset!);
    view.setUint32(20 + i * 16, count!);
  });
  out.set(data, 8 + index.length * 16);
  return out;
}

export interface FakeRpm {
  readonly name: string;
  readonly version: string;
  readonly release: string;
  readonly epoch?: number;
  readonly arch?: string;
  readonly sourceRpm?: string;
  readonly license?: string;
  readonly provides?: readonly string[];
  readonly requires?: readonly string[];
}

export function rpmHeader(p: FakeRpm): Uint8Array {
  const entries: HeaderEntry[] = [
    // rpm puts the immutable region tag first; readers must step over it.
    { tag: 63, type: TYPE.BIN, value: new Uint8Array(16) },
    { tag: TAG.NAME, type: TYPE.STRING, value: p.name },
    { tag: TAG.VERSION, type: TYPE.STRING, value: p.version },
    { tag: TAG.RELEASE, type: TYPE.STRING, value: p.release },
    { tag: 1004, type: TYPE.I18NSTRING, value: `${p.name} summary` },
  ];
  if (p.epoch !== undefined) entries.push({ tag: TAG.EPOCH, type: TYPE.INT32, value: [p.epoch] });
  if (p.arch) entries.push({ tag: TAG.ARCH, type: TYPE.STRING, value: p.arch });
  if (p.license) entries.push({ tag: TAG.LICENSE, type: TYPE.STRING, value: p.license });
  if (p.sourceRpm) entries.push({ tag: TAG.SOURCERPM, type: TYPE.STRING, value: p.sourceRpm });
  entries.push({ tag: TAG.PROVIDENAME, type: TYPE.STRING_ARRAY, value: p.provides ?? [p.name] });
  if (p.requires) entries.push({ tag: TAG.REQUIRENAME, type: TYPE.STRING_ARRAY, value: p.requires });
  return encodeHeader(entries);
}

/** An rpmdb.sqlite with rpm's `Packages` table holding the given blobs. */
export async function buildRpmdb(blobs: readonly Uint8Array[]): Promise<Uint8Array> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  try {
    db.run('CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)');
    db.run('CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL)');
    for (const b of blobs) db.run('INSERT INTO Packages (blob) VALUES (?)', [b]);
    return db.export();
  } finally {
    db.close();
  }
}
