import { z } from 'zod';

/**
 * The JSON documents of an image tar, loosely: only the fields the reader uses are checked,
 * everything else passes through. docker save's `manifest.json` (docker/docker
 * image/tarexport), and the OCI image layout's `index.json`, image manifests and configs
 * (opencontainers/image-spec).
 */

export const dockerManifestSchema = z
  .array(
    z.looseObject({
      Config: z.string(),
      RepoTags: z.array(z.string()).nullish(),
      Layers: z.array(z.string()),
    }),
  )
  .min(1);

export const descriptorSchema = z.looseObject({
  mediaType: z.string().optional(),
  digest: z.string(),
  size: z.number().optional(),
  platform: z.looseObject({ os: z.string().optional(), architecture: z.string().optional(), variant: z.string().optional() }).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

export const ociIndexSchema = z.looseObject({
  manifests: z.array(descriptorSchema),
});

export const ociManifestSchema = z.looseObject({
  mediaType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
});

export const imageConfigSchema = z.looseObject({
  os: z.string().optional(),
  architecture: z.string().optional(),
  rootfs: z.looseObject({ diff_ids: z.array(z.string()).optional() }).optional(),
  history: z
    .array(z.looseObject({ created_by: z.string().optional(), empty_layer: z.boolean().optional() }))
    .optional(),
});
export type ImageConfig = z.infer<typeof imageConfigSchema>;
