/**
 * Kubernetes Pod Security Standards, Baseline profile: its controls as the Kubernetes
 * documentation names them (kubernetes.io/docs/concepts/security/pod-security-standards,
 * as of Kubernetes 1.34, which added "Host Probes / Lifecycle Hooks").
 */
import type { Catalogue } from '../catalogue.js';

export const PSS_BASELINE_CONTROLS = [
  'HostProcess',
  'Host Namespaces',
  'Privileged Containers',
  'Capabilities',
  'HostPath Volumes',
  'Host Ports',
  'Host Probes / Lifecycle Hooks',
  'AppArmor',
  'SELinux',
  '/proc Mount Type',
  'Seccomp',
  'Sysctls',
] as const;

export const PSS_BASELINE: Catalogue = {
  framework: 'pss-baseline',
  edition: 'Kubernetes Pod Security Standards (Kubernetes 1.34 documentation)',
  level: 'controls of the Baseline profile',
  requirements: PSS_BASELINE_CONTROLS,
};
