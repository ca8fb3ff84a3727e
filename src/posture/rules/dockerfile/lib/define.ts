/**
 * How the Dockerfile rules are declared: every rule reads `docker:stage` resources, fixes are
 * Dockerfile snippets and examples are Dockerfile text. Framework control helpers keep the
 * mappings short; control ids are those of the named framework versions.
 */
import type { FrameworkControl } from '../../../frameworks.js';
import { defineRule, type Rule } from '../../../rule.js';

export interface DockerRuleSpec extends Omit<Rule, 'platform' | 'kinds' | 'service' | 'fix' | 'examples'> {
  /** Defaults to `dockerfile`. */
  readonly service?: string;
  /** A Dockerfile snippet showing the fix. */
  readonly fix: string;
  /** Bad examples with the lines they must fail at. */
  readonly bad: readonly { readonly text: string; readonly lines: readonly number[] }[];
  readonly good: readonly string[];
}

export function dockerRule(spec: DockerRuleSpec): Rule {
  const { service, fix, bad, good, ...rest } = spec;
  return defineRule({
    ...rest,
    platform: 'dockerfile',
    service: service ?? 'dockerfile',
    kinds: ['docker:stage'],
    fix: { dockerfile: fix },
    examples: {
      bad: bad.map((b) => ({ input: 'dockerfile', text: b.text, lines: b.lines })),
      good: good.map((text) => ({ input: 'dockerfile', text })),
    },
  });
}

export const cis = (control: string): FrameworkControl => ({ framework: 'cis-docker-1.6', control });
export const nist = (control: string): FrameworkControl => ({ framework: 'nist-800-53-r5', control });
export const csf = (control: string): FrameworkControl => ({ framework: 'nist-csf-2.0', control });
export const iso = (control: string): FrameworkControl => ({ framework: 'iso-27001-2022', control });
export const soc2 = (control: string): FrameworkControl => ({ framework: 'soc2', control });
export const pci = (control: string): FrameworkControl => ({ framework: 'pci-dss-4.0', control });

export const DOCKERFILE_REFERENCE = 'https://docs.docker.com/reference/dockerfile/';
export const BEST_PRACTICES = 'https://docs.docker.com/build/building/best-practices/';
export const CIS_DOCKER = 'https://www.cisecurity.org/benchmark/docker';
