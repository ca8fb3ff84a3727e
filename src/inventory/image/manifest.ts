import type { z } from 'zod';
import { firstIssue, readJson } from '../../core/json-input.js';
import type { ReadProblem } from '../model.js';
import { cleanEntryName } from './layer.js';
import type { Descriptor, ImageConfig } from './schema.js';
import { dockerManifestSchema, imageConfigSchema, ociIndexSchema, ociManifestSchema } from './schema.js';

/**
 * Which layers make the image, in order, and what they are called: from docker save's
 * `manifest.json` (preferred: it names the image), else the OCI layout's `index.json` →
 * (nested indexes) → image manifest → config. Pure: works on the small JSON members the
 * first pass over the tar kept.
 */

export interface LayerPlan {
  /** The tar member holding the layer (`blobs/sha256/…`, `<id>/layer.tar`). */
  readonly blob: string;
  /** `sha256:…` as the manifest names it (OCI, or docker's blobs layout), else the config's diff id. */
  readonly digest?: string | undefined;
  readonly createdBy?: string | undefined;
}

export interface ImagePlan {
  readonly layout: 'docker-save' | 'oci';
  readonly name?: string | undefined;
  readonly version?: string | undefined;
  readonly layers: readonly LayerPlan[];
  readonly problems: Pick<ReadProblem, 'message' | 'severity'>[];
}

export type PlanResult = { readonly ok: true; readonly plan: ImagePlan } | { readonly ok: false; readonly reason: string };

const JSON_LIMITS = { maxBytes: 16 * 1024 * 1024, maxDepth: 64 };
const DIGEST = /^([a-z0-9]+(?:[.+_-][a-z0-9]+)*):([a-zA-Z0-9=_-]{32,256})$/;
const INDEX_TYPES = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);

/** `blobs/<alg>/<hex>` for a digest, or undefined for a malformed (or hostile) one. */
export function blobPath(digest: string): string | undefined {
  const m = DIGEST.exec(digest);
  return m ? `blobs/${m[1]}/${m[2]}` : undefined;
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function parse<S extends z.ZodType>(blobs: ReadonlyMap<string, Uint8Array>, name: string, schema: S): Parsed<z.infer<S>> {
  const bytes = blobs.get(name);
  if (!bytes) return { ok: false, reason: `${name} is missing from the tar (or too large to be a JSON document)` };
  const json = readJson(bytes, JSON_LIMITS);
  if (!json.ok) return { ok: false, reason: `${name}: ${json.problem.reason}` };
  const r = schema.safeParse(json.value);
  return r.success ? { ok: true, value: r.data } : { ok: false, reason: `${name}: ${firstIssue(r.error).reason}` };
}

export function planImage(blobs: ReadonlyMap<string, Uint8Array>, platform: string | undefined): PlanResult {
  if (blobs.has('manifest.json')) return planDockerSave(blobs);
  if (blobs.has('index.json')) return planOci(blobs, platform);
  return { ok: false, reason: 'not a container image tar: no manifest.json (docker save) or index.json (OCI image layout) at its root' };
}

function planDockerSave(blobs: ReadonlyMap<string, Uint8Array>): PlanResult {
  const manifest = parse(blobs, 'manifest.json', dockerManifestSchema);
  if (!manifest.ok) return { ok: false, reason: manifest.reason };
  const problems: ImagePlan['problems'] = [];
  const image = manifest.value[0]!;
  if (manifest.value.length > 1) {
    problems.push({ message: `manifest.json lists ${manifest.value.length} images: only the first (${image.RepoTags?.[0] ?? image.Config}) was read`, severity: 'warning' });
  }
  const config = readConfig(blobs, image.Config, problems);
  const layers: LayerPlan[] = [];
  for (const [i, raw] of image.Layers.entries()) {
    const blob = cleanEntryName(raw);
    if (typeof blob !== 'string') return { ok: false, reason: `manifest.json: layer ${i} has an invalid path ${JSON.stringify(raw)}` };
    const m = /^blobs\/([a-z0-9]+)\/([a-f0-9]{32,})$/.exec(blob);
    layers.push({ blob, digest: m ? `${m[1]}:${m[2]}` : config?.rootfs?.diff_ids?.[i] });
  }
  const [name, version] = splitRef(image.RepoTags?.[0]);
  return { ok: true, plan: { layout: 'docker-save', name, version, layers: withHistory(layers, config), problems } };
}

function planOci(blobs: ReadonlyMap<string, Uint8Array>, platform: string | undefined): PlanResult {
  const problems: ImagePlan['problems'] = [];
  const index = parse(blobs, 'index.json', ociIndexSchema);
  if (!index.ok) return { ok: false, reason: index.reason };
  const candidates: { desc: Descriptor; ref?: string | undefined }[] = [];
  const collect = (manifests: readonly Descriptor[], depth: number, ref: string | undefined): string | undefined => {
    for (const desc of manifests) {
      const name = desc.annotations?.['io.containerd.image.name'] ?? desc.annotations?.['org.opencontainers.image.ref.name'] ?? ref;
      if (desc.mediaType !== undefined && INDEX_TYPES.has(desc.mediaType)) {
        if (depth >= 4) return 'image indexes nested more than 4 deep';
        const path = blobPath(desc.digest);
        if (!path) return `invalid digest ${JSON.stringify(desc.digest)}`;
        const nested = parse(blobs, path, ociIndexSchema);
        if (!nested.ok) return nested.reason;
        const err = collect(nested.value.manifests, depth + 1, name);
        if (err) return err;
      } else if (desc.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest' && desc.platform?.os !== 'unknown') {
        candidates.push({ desc, ref: name });
      }
    }
    return undefined;
  };
  const err = collect(index.value.manifests, 0, undefined);
  if (err) return { ok: false, reason: `index.json: ${err}` };
  if (candidates.length === 0) return { ok: false, reason: 'index.json lists no image manifest' };
  const chosen = choosePlatform(candidates, platform, problems);
  if (!chosen) return { ok: false, reason: `index.json has no image for platform ${platform ?? ''}` };

  const manifestPath = blobPath(chosen.desc.digest);
  if (!manifestPath) return { ok: false, reason: `index.json: invalid digest ${JSON.stringify(chosen.desc.digest)}` };
  const manifest = parse(blobs, manifestPath, ociManifestSchema);
  if (!manifest.ok) return { ok: false, reason: manifest.reason };
  const configPath = blobPath(manifest.value.config.digest);
  const config = configPath ? readConfig(blobs, configPath, problems) : undefined;
  const layers: LayerPlan[] = [];
  for (const [i, d] of manifest.value.layers.entries()) {
    const blob = blobPath(d.digest);
    if (!blob) return { ok: false, reason: `${manifestPath}: layer ${i} has an invalid digest ${JSON.stringify(d.digest)}` };
    layers.push({ blob, digest: d.digest });
  }
  const [name, version] = splitRef(chosen.ref);
  return { ok: true, plan: { layout: 'oci', name, version, layers: withHistory(layers, config), problems } };
}

function choosePlatform<T extends { desc: Descriptor }>(candidates: readonly T[], platform: string | undefined, problems: ImagePlan['problems']): T | undefined {
  const label = (d: Descriptor): string => [d.platform?.os, d.platform?.architecture, d.platform?.variant].filter(Boolean).join('/') || 'unknown';
  if (platform !== undefined) {
    const [os, arch, variant] = platform.split('/');
    return candidates.find((c) => c.desc.platform?.os === os && c.desc.platform?.architecture === arch && (variant === undefined || c.desc.platform?.variant === variant));
  }
  if (candidates.length === 1) return candidates[0];
  const hostArch = process.arch === 'x64' ? 'amd64' : process.arch;
  const chosen = candidates.find((c) => c.desc.platform?.os === 'linux' && c.desc.platform.architecture === hostArch) ?? candidates[0]!;
  problems.push({
    message: `the image index lists ${candidates.length} platforms (${candidates.map((c) => label(c.desc)).join(', ')}): read ${label(chosen.desc)} (choose with the platform option)`,
    severity: 'warning',
  });
  return chosen;
}

function readConfig(blobs: ReadonlyMap<string, Uint8Array>, path: string, problems: ImagePlan['problems']): ImageConfig | undefined {
  const clean = cleanEntryName(path);
  const config = typeof clean === 'string' ? parse(blobs, clean, imageConfigSchema) : { ok: false as const, reason: `invalid config path ${JSON.stringify(path)}` };
  if (config.ok) return config.value;
  problems.push({ message: `image config unreadable (${config.reason}): layers keep no history`, severity: 'warning' });
  return undefined;
}

/** History entries that made a layer (not `empty_layer`), matched to the layers in order. */
function withHistory(layers: LayerPlan[], config: ImageConfig | undefined): LayerPlan[] {
  const made = (config?.history ?? []).filter((h) => h.empty_layer !== true);
  return layers.map((l, i) => ({ ...l, createdBy: made[i]?.created_by }));
}

/** `docker.io/library/alpine:3.20` → [`docker.io/library/alpine`, `3.20`]; a digest ref keeps its digest as the version; a bare tag is only a version. */
function splitRef(ref: string | undefined): [string | undefined, string | undefined] {
  if (!ref) return [undefined, undefined];
  if (!ref.includes('/') && !ref.includes(':') && !ref.includes('@')) return [undefined, ref]; // an OCI ref.name that is only a tag
  const at = ref.indexOf('@');
  if (at > 0) return [ref.slice(0, at), ref.slice(at + 1)];
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') && colon > 0 ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, undefined];
}
