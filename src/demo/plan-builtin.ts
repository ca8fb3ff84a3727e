/**
 * The built-in demo sample (src/demo/sample/, written for Vigil; the packages and advisories in
 * it are fictional): two projects with two versions each, seven OSV advisories, four CVE 5
 * records, a KEV catalog and an EPSS file, a Kubernetes manifest and a Terraform file.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DemoPlan } from './plan.js';

/**
 * The sample folder: beside this module when run from source, else `src/demo/sample` of the
 * checkout the compiled `dist/demo/` belongs to. undefined when neither exists.
 */
export function sampleDir(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'sample'), resolve(here, '..', '..', 'src', 'demo', 'sample')];
  return candidates.find((c) => existsSync(join(c, 'advisories')));
}

export function builtinPlan(root: string): DemoPlan {
  const p = (...parts: string[]) => join(root, ...parts);
  return {
    source: 'builtin',
    root,
    advisories: [p('advisories')],
    projects: [
      {
        name: 'acme-storefront',
        kind: 'application',
        description: 'Demo: the web shop (npm). Fictional packages.',
        criticality: 'high',
        versions: [
          { version: '1.0.0', file: p('projects', 'acme-storefront', '1.0.0', 'package-lock.json'), ageDays: 85 },
          { version: '1.1.0', file: p('projects', 'acme-storefront', '1.1.0', 'package-lock.json') },
        ],
      },
      {
        name: 'acme-billing',
        kind: 'service',
        description: 'Demo: the billing service (Python). Fictional packages.',
        criticality: 'critical',
        versions: [
          { version: '2.0.0', file: p('projects', 'acme-billing', '2.0.0', 'requirements.txt'), ageDays: 85 },
          { version: '2.1.0', file: p('projects', 'acme-billing', '2.1.0', 'requirements.txt') },
        ],
      },
    ],
    triage: [
      { project: 'acme-storefront', pick: 2, state: 'accepted_risk', reason: 'Demo: merge() is only called on trusted configuration; upgrade planned for Q1.', expiresInDays: 60 },
      { project: 'acme-billing', pick: 1, state: 'in_triage', reason: 'Demo: checking whether RSA decryption is reachable from the API.' },
    ],
    postureScans: [
      { project: 'acme-storefront', kind: 'application', paths: [p('posture', 'kubernetes')] },
      { project: 'acme-infra', kind: 'service', paths: [p('posture', 'terraform')] },
    ],
    targets: [{ provider: 'kubernetes', snapshot: p('posture', 'kubernetes'), name: 'demo-cluster' }],
  };
}
