import { open } from 'node:fs/promises';
import { cleanEntryName } from './layer.js';
import { looksLikeTar } from './tar-source.js';

/**
 * A cheap check that a file is an image tar (`docker save` or OCI image layout), reading only
 * tar headers (one 512-byte read per member, data skipped). Compressed tars are not looked
 * into: `readImageTar` still reads a gzip-compressed one when asked to.
 */
export async function isImageTar(path: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return false;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) return false;
    const buf = new Uint8Array(512);
    let manifest = false;
    let layerish = false;
    for (let off = 0, i = 0; i < 100_000 && off + 512 <= st.size; i++) {
      const { bytesRead } = await fh.read(buf, 0, 512, off);
      if (bytesRead < 512 || buf.every((b) => b === 0)) break;
      if (!looksLikeTar(buf)) return false;
      const ustar = buf[257] === 0x75 && buf[262] === 0; // POSIX ustar (`ustar\0`), which has a name prefix field
      const name = cString(buf, 0, 100);
      const prefix = ustar ? cString(buf, 345, 155) : '';
      const clean = cleanEntryName(prefix ? `${prefix}/${name}` : name);
      if (clean === 'oci-layout') return true;
      if (clean === 'manifest.json') manifest = true;
      if (typeof clean === 'string' && (clean.startsWith('blobs/') || clean.endsWith('/layer.tar'))) layerish = true;
      if (manifest && layerish) return true;
      const size = tarSize(buf);
      if (size === undefined) return false;
      off += 512 + Math.ceil(size / 512) * 512;
    }
    return false;
  } catch {
    return false;
  } finally {
    await fh.close();
  }
}

function cString(buf: Uint8Array, at: number, len: number): string {
  const end = buf.indexOf(0, at);
  return new TextDecoder().decode(buf.subarray(at, end === -1 || end > at + len ? at + len : end));
}

/** The size field: octal text, or GNU base-256 when the high bit is set. */
function tarSize(buf: Uint8Array): number | undefined {
  if ((buf[124]! & 0x80) !== 0) {
    let n = buf[124]! & 0x7f;
    for (let i = 125; i < 136; i++) n = n * 256 + buf[i]!;
    return n;
  }
  const text = cString(buf, 124, 12).trim();
  if (text === '') return 0;
  const n = parseInt(text, 8);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
