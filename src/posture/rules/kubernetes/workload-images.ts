/**
 * Container images and environment: mutable tags, missing digests, secrets written into the
 * manifest as environment values, git-sync configured to run an arbitrary git binary.
 * Image references are split by hand (a reference is `[registry/]path[:tag][@digest]`).
 */
import type { Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, obj, strings, text } from './lib/pod.js';

const IMAGES_URL = 'https://kubernetes.io/docs/concepts/containers/images/';

export interface ImageRef {
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

export function parseImage(image: string): ImageRef {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const digest = at < 0 ? undefined : image.slice(at + 1);
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return { tag: colon < 0 ? undefined : lastSegment.slice(colon + 1), digest };
}

export const mutableImageTag = podRule({
  id: 'VGL-K8S-030',
  title: 'Image uses the latest tag or no tag',
  description: 'An image without a tag resolves to :latest, which changes under the workload: deployments are not reproducible and a compromised or broken push rolls out silently.',
  severity: 'medium',
  service: 'image',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Building secure container images' },
    { framework: 'nist-800-53-r5', control: 'CM-2' },
    { framework: 'nist-800-53-r5', control: 'SI-7' },
  ],
  remediation: 'Pin every image to a version tag, preferably also to its digest.',
  fix: { kubernetes: 'image: nginx:1.27.3@sha256:<digest>' },
  references: [IMAGES_URL],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const image = c.container['image'];
      if (typeof image !== 'string' || image === '') continue;
      const ref = parseImage(image);
      if (ref.digest !== undefined) continue;
      if (ref.tag === undefined || ref.tag === '' || ref.tag === 'latest') out.push(violation([...c.path, 'image'], `container "${c.name}" uses image ${image} without a fixed tag`));
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8, 10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: side\n    image: registry.example.com:5000/tools/side:latest\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n  - name: side\n    image: registry.example.com:5000/tools/side@sha256:4a3a2ab8e0a9f6a3c56b6ebbd1e1e52b4d35cbb1f8c9e0c3a5bb6d0f2f1e9a7c\n' }],
  },
});

export const imageWithoutDigest = podRule({
  id: 'VGL-K8S-031',
  title: 'Image not pinned to a digest',
  description: 'A tag can be moved to another image at any time; only a digest identifies the exact image that was reviewed and scanned.',
  severity: 'low',
  service: 'image',
  frameworks: [
    { framework: 'nsa-cisa-k8s', control: 'Pod security: Building secure container images' },
    { framework: 'nist-800-53-r5', control: 'SI-7' },
    { framework: 'nist-800-53-r5', control: 'CM-14' },
  ],
  remediation: 'Reference images by digest (image: name:tag@sha256:...), for example with a digest-pinning bot.',
  fix: { kubernetes: 'image: nginx:1.27.3@sha256:<digest>' },
  references: [IMAGES_URL],
  checkPod(pod) {
    return containers(pod)
      .filter((c) => typeof c.container['image'] === 'string' && c.container['image'] !== '' && parseImage(c.container['image']).digest === undefined)
      .map((c) => violation([...c.path, 'image'], `container "${c.name}" image ${String(c.container['image'])} has no digest`));
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [8], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: web\n    image: nginx:1.27@sha256:4a3a2ab8e0a9f6a3c56b6ebbd1e1e52b4d35cbb1f8c9e0c3a5bb6d0f2f1e9a7c\n' }],
  },
});

/** Environment variable names that hold a credential (`DB_PASSWORD`, `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY`). */
const SECRET_NAME = /(?:^|[_.-])(?:pass(?:word|wd)?|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|auth[_-]?key|credentials?)(?:$|[_.-])/;
/** …unless the name says it holds a reference to the secret, not the secret. */
const REFERENCE_NAME = /[_.-](?:file|path|url|uri|name|ref|endpoint|host|port|dir|id|type|length|ttl|header|enabled|key[_-]?id)$/;

export function looksLikeSecretName(name: string): boolean {
  const n = name.toLowerCase();
  return SECRET_NAME.test(n) && !REFERENCE_NAME.test(n);
}

export const secretInEnv = podRule({
  id: 'VGL-K8S-032',
  title: 'Secret written as a plain environment value',
  description: 'An environment variable named like a password, token or key has its value written in the manifest: the secret is in source control and readable by anyone who can read the workload.',
  severity: 'high',
  service: 'secrets',
  frameworks: [
    { framework: 'cis-kubernetes-1.10', control: '5.4.1' },
    { framework: 'nsa-cisa-k8s', control: 'Network separation and hardening: Secrets' },
    { framework: 'nist-800-53-r5', control: 'IA-5' },
    { framework: 'pci-dss-4.0', control: '8.3.2' },
  ],
  remediation: 'Store the value in a Secret (or an external secret store) and reference it with valueFrom.secretKeyRef, or mount it as a file.',
  fix: { kubernetes: 'env:\n- name: DB_PASSWORD\n  valueFrom:\n    secretKeyRef:\n      name: db\n      key: password' },
  references: ['https://kubernetes.io/docs/concepts/configuration/secret/'],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      const env = c.container['env'];
      if (!Array.isArray(env)) continue;
      env.forEach((e, i) => {
        const name = obj(e)?.['name'];
        const value = obj(e)?.['value'];
        if (typeof name !== 'string' || !looksLikeSecretName(name)) return;
        if (typeof value !== 'string' || value.trim() === '' || /^\$\([^)]*\)$/.test(value.trim())) return;
        out.push(violation([...c.path, 'env', i, 'value'], `container "${c.name}" sets ${name} to a literal value`));
      });
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [11], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    env:\n    - name: DB_PASSWORD\n      value: hunter2\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    env:\n    - name: DB_PASSWORD\n      valueFrom:\n        secretKeyRef:\n          name: db\n          key: password\n    - name: DB_PASSWORD_FILE\n      value: /run/secrets/db\n' }],
  },
});

const GIT_SYNC_GIT_VARS = new Set(['GITSYNC_GIT', 'GIT_SYNC_GIT']);

export const gitSyncCustomGit = podRule({
  id: 'VGL-K8S-046',
  title: 'git-sync runs a custom git binary',
  description: 'git-sync\'s --git option (GITSYNC_GIT) makes it execute any binary path it is given; whoever can set it, or write to that path, runs code in the pod.',
  severity: 'high',
  service: 'image',
  frameworks: [{ framework: 'nist-800-53-r5', control: 'CM-7' }],
  remediation: 'Remove GITSYNC_GIT / GIT_SYNC_GIT and the --git flag so git-sync uses the git binary shipped in its image.',
  fix: { kubernetes: 'env:\n- name: GITSYNC_REPO\n  value: https://github.com/example/site.git' },
  references: ['https://github.com/kubernetes/git-sync'],
  checkPod(pod) {
    const out: Violation[] = [];
    for (const c of containers(pod)) {
      if (!text(c.container['image']).includes('git-sync')) continue;
      const env = c.container['env'];
      if (Array.isArray(env)) {
        env.forEach((e, i) => {
          const name = obj(e)?.['name'];
          if (typeof name === 'string' && GIT_SYNC_GIT_VARS.has(name)) out.push(violation([...c.path, 'env', i, 'name'], `container "${c.name}" sets ${name}`));
        });
      }
      for (const field of ['command', 'args'] as const) {
        strings(c.container[field]).forEach((a, i) => {
          if (a === '--git' || a.startsWith('--git=')) out.push(violation([...c.path, field, i], `container "${c.name}" passes ${a}`));
        });
      }
    }
    return out;
  },
  examples: {
    bad: [{ input: 'kubernetes', lines: [10], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: site\nspec:\n  containers:\n  - name: git-sync\n    image: registry.k8s.io/git-sync/git-sync:v4.4.0\n    env:\n    - name: GITSYNC_GIT\n      value: /tmp/payload\n' }],
    good: [{ input: 'kubernetes', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: site\nspec:\n  containers:\n  - name: git-sync\n    image: registry.k8s.io/git-sync/git-sync:v4.4.0\n    env:\n    - name: GITSYNC_REPO\n      value: https://github.com/example/site.git\n' }],
  },
});

export const IMAGE_RULES: readonly Rule[] = [mutableImageTag, imageWithoutDigest, secretInEnv, gitSyncCustomGit];
