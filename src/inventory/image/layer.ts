import { createHash } from 'node:crypto';
import type { ReadProblem } from '../model.js';
import { forEachEntry } from './tar-source.js';

/**
 * One image layer, streamed: the list of what it adds, changes and deletes, with the bytes
 * of only the files someone wants (`want(path)`: a reader matches it, or it identifies the
 * OS), each under a size cap and a shared budget. Whiteouts are recorded as entries here and
 * applied when the layers are stacked (`view.ts`).
 */

export type LayerEntry =
  | { readonly kind: 'dir'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string; readonly size: number; bytes?: Uint8Array | undefined }
  | { readonly kind: 'symlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'hardlink'; readonly path: string; readonly target: string }
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'opaque'; readonly path: string }
  | { readonly kind: 'other'; readonly path: string };

export interface LayerRecord {
  readonly entries: LayerEntry[];
  readonly problems: Pick<ReadProblem, 'message' | 'severity'>[];
  /** sha256 of the blob as stored (compressed or not), `sha256:…`. */
  readonly blobDigest: string;
}

export interface LayerLimits {
  /** Largest file whose bytes are kept. */
  readonly maxFileBytes: number;
  /** Most entries read from one layer. */
  readonly maxLayerEntries: number;
  /** Most uncompressed bytes read from one layer. */
  readonly maxLayerBytes: number;
}

/** Bytes kept across all layers, against a limit (shared by every layer of one image). */
export class ByteBudget {
  used = 0;
  constructor(readonly max: number) {}
  take(n: number): boolean {
    if (this.used + n > this.max) return false;
    this.used += n;
    return true;
  }
}

/**
 * A tar member name → a clean relative path: `./usr/bin/` → `usr/bin`. Undefined for the
 * root itself; `null` for names that climb out (`..`) — hostile or broken, never applied.
 */
export function cleanEntryName(name: string): string | undefined | null {
  const parts: string[] = [];
  for (const seg of name.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') return null;
    parts.push(seg);
  }
  return parts.length === 0 ? undefined : parts.join('/');
}

const WH = '.wh.';
const OPAQUE = '.wh..wh..opq';

export async function readLayer(
  source: AsyncIterable<Uint8Array>,
  want: (path: string) => boolean,
  limits: LayerLimits,
  budget: ByteBudget,
): Promise<LayerRecord> {
  const entries: LayerEntry[] = [];
  const problems: LayerRecord['problems'] = [];
  const hash = createHash('sha256');
  const hashed = (async function* () {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
  })();
  let escaping = 0;
  let firstEscaping = '';
  let bytes = 0;
  const err = await forEachEntry(hashed, async (entry) => {
    const h = entry.header;
    if (entries.length >= limits.maxLayerEntries) {
      problems.push({ message: `layer has more than ${limits.maxLayerEntries} entries (maxLayerEntries): the rest of the layer was not read`, severity: 'warning' });
      return 'stop';
    }
    const size = h.size ?? 0;
    bytes += size;
    if (bytes > limits.maxLayerBytes) {
      problems.push({ message: `layer holds more than ${limits.maxLayerBytes} bytes (maxLayerBytes): the rest of the layer, from ${JSON.stringify(h.name)}, was not read`, severity: 'warning' });
      return 'stop';
    }
    const path = cleanEntryName(h.name);
    if (path === null) {
      if (escaping++ === 0) firstEscaping = h.name;
      return 'continue';
    }
    if (path === undefined) return 'continue';
    const slash = path.lastIndexOf('/');
    const base = path.slice(slash + 1);
    const dir = slash === -1 ? '' : path.slice(0, slash);
    if (base.startsWith(WH)) {
      if (base === OPAQUE) entries.push({ kind: 'opaque', path: dir });
      else if (!base.startsWith(`${WH}${WH}`)) entries.push({ kind: 'whiteout', path: dir === '' ? base.slice(WH.length) : `${dir}/${base.slice(WH.length)}` });
      return 'continue'; // other `.wh..wh.*` names are AUFS bookkeeping
    }
    switch (h.type) {
      case 'directory':
        entries.push({ kind: 'dir', path });
        break;
      case 'symlink':
        entries.push({ kind: 'symlink', path, target: h.linkname ?? '' });
        break;
      case 'link': {
        const target = cleanEntryName(h.linkname ?? '');
        if (typeof target === 'string') entries.push({ kind: 'hardlink', path, target });
        else if (target === null) {
          if (escaping++ === 0) firstEscaping = `${h.name} → ${h.linkname ?? ''}`;
        }
        break;
      }
      case 'file':
      case 'contiguous-file': {
        const file: LayerEntry & { kind: 'file' } = { kind: 'file', path, size };
        entries.push(file);
        if (want(path)) {
          if (size > limits.maxFileBytes) {
            problems.push({ message: `${path} is ${size} bytes, over the ${limits.maxFileBytes}-byte limit (maxFileBytes): not read`, severity: 'warning' });
          } else if (!budget.take(size)) {
            problems.push({ message: `${path}: the image's budget for kept file bytes (${budget.max}) is spent: not read`, severity: 'warning' });
          } else {
            file.bytes = await entry.collect();
          }
        }
        break;
      }
      case 'block-device':
      case 'character-device':
      case 'fifo':
      default: // and type flags tar-stream does not know
        entries.push({ kind: 'other', path });
    }
    return 'continue';
  });
  if (escaping > 0) {
    problems.push({ message: `${escaping} entr${escaping === 1 ? 'y' : 'ies'} with names climbing out of the root (e.g. ${JSON.stringify(firstEscaping)}) ignored`, severity: 'warning' });
  }
  if (err) {
    problems.push({ message: `layer is truncated or not a valid tar (${err.message}): entries before the damage are kept`, severity: 'error' });
  }
  return { entries, problems, blobDigest: `sha256:${hash.digest('hex')}` };
}
