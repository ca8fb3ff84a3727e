import { createHash } from 'node:crypto';
import tar from 'tar-stream';

/**
 * Test support: layer tars and image tars (docker save and OCI image layout) written with
 * tar-stream, so the image reader is tested without Docker.
 */

export interface FixtureEntry {
  readonly name: string;
  readonly type?: 'file' | 'directory' | 'symlink' | 'link' | 'fifo';
  readonly content?: string | Uint8Array;
  readonly linkname?: string;
}

export async function tarOf(entries: readonly FixtureEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on('data', (c: unknown) => {
    chunks.push(c as Buffer);
  });
  const ended = new Promise<void>((resolve, reject) => {
    pack.on('end', () => resolve());
    pack.on('error', reject);
  });
  const mtime = new Date(0);
  for (const e of entries) {
    const type = e.type ?? 'file';
    const content = type === 'file' ? (e.content ?? '') : '';
    pack.entry({ name: e.name, type, linkname: e.linkname, mtime, mode: type === 'directory' ? 0o755 : 0o644 }, typeof content === 'string' ? content : Buffer.from(content));
  }
  pack.finalize();
  await ended;
  return Buffer.concat(chunks);
}

export const sha256 = (b: Uint8Array): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));

export interface History {
  readonly created_by: string;
  readonly empty_layer?: boolean;
}

/** `docker save` output: legacy `<id>/layer.tar` members, or the `blobs/sha256/…` layout of Docker ≥ 25. */
export async function dockerSave(opts: {
  readonly layers: readonly { readonly blob: Uint8Array; readonly diffId: string }[];
  readonly repoTag?: string;
  readonly history?: readonly History[];
  readonly layout?: 'legacy' | 'blobs';
}): Promise<{ tar: Buffer; layerPaths: string[] }> {
  const config = json({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: opts.layers.map((l) => l.diffId) }, history: opts.history ?? [] });
  const blobs = opts.layout === 'blobs';
  const configPath = blobs ? `blobs/sha256/${sha256(config).slice(7)}` : `${sha256(config).slice(7)}.json`;
  const layerPaths = opts.layers.map((l, i) => (blobs ? `blobs/sha256/${sha256(l.blob).slice(7)}` : `${String(i).padStart(64, 'a')}/layer.tar`));
  const manifest = json([{ Config: configPath, RepoTags: opts.repoTag ? [opts.repoTag] : null, Layers: layerPaths }]);
  const entries: FixtureEntry[] = opts.layers.map((l, i) => ({ name: layerPaths[i]!, content: l.blob }));
  entries.push({ name: configPath, content: config }, { name: 'manifest.json', content: manifest });
  return { tar: await tarOf(entries), layerPaths };
}

export interface OciImage {
  readonly platform: { readonly os: string; readonly architecture: string };
  readonly layers: readonly { readonly blob: Uint8Array; readonly mediaType: string }[];
  readonly history?: readonly History[];
}

/** An OCI image layout whose index.json points at a nested multi-platform index (plus an attestation manifest). */
export async function ociLayout(images: readonly OciImage[], refName?: string): Promise<{ tar: Buffer; layerDigests: string[][] }> {
  const blobs = new Map<string, Uint8Array>();
  const add = (b: Uint8Array): string => {
    const d = sha256(b);
    blobs.set(d, b);
    return d;
  };
  const descriptors: unknown[] = [];
  const layerDigests: string[][] = [];
  for (const img of images) {
    const config = json({ ...img.platform, rootfs: { type: 'layers', diff_ids: [] }, history: img.history ?? [] });
    const layers = img.layers.map((l) => ({ mediaType: l.mediaType, digest: add(l.blob), size: l.blob.length }));
    layerDigests.push(layers.map((l) => l.digest));
    const manifest = json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: add(config), size: config.length }, layers });
    descriptors.push({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: add(manifest), size: manifest.length, platform: img.platform });
  }
  const attestation = json({ schemaVersion: 2, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: add(json({})), size: 2 }, layers: [] });
  descriptors.push({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: add(attestation),
    size: attestation.length,
    platform: { os: 'unknown', architecture: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
  });
  const nested = json({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: descriptors });
  const index = json({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: add(nested), size: nested.length, annotations: refName ? { 'io.containerd.image.name': refName } : undefined }],
  });
  const entries: FixtureEntry[] = [{ name: 'oci-layout', content: '{"imageLayoutVersion":"1.0.0"}' }, { name: 'blobs/', type: 'directory' }, { name: 'blobs/sha256/', type: 'directory' }];
  for (const [d, b] of blobs) entries.push({ name: `blobs/sha256/${d.slice(7)}`, content: b });
  entries.push({ name: 'index.json', content: index });
  return { tar: await tarOf(entries), layerDigests };
}
