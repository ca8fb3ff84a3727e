/**
 * NSA/CISA Kubernetes Hardening Guide v1.2 (August 2022): its sections and subsections as
 * "Section: Subsection", the spelling the rules use. Every subsection of the four guidance
 * sections is listed; "Upgrading and application security practices" has no subsections and
 * is listed whole. The threat model and appendices are not requirements.
 */
import type { Catalogue } from '../catalogue.js';

const under = (section: string, subsections: readonly string[]): string[] => subsections.map((s) => `${section}: ${s}`);

export const NSA_CISA_K8S: Catalogue = {
  framework: 'nsa-cisa-k8s',
  edition: 'NSA/CISA Kubernetes Hardening Guide v1.2 (2022)',
  level: 'subsections of the guidance sections ("Section: Subsection")',
  requirements: [
    ...under('Pod security', [
      'Non-root containers and rootless container engines',
      'Immutable container file systems',
      'Building secure container images',
      'Pod security enforcement',
      'Protecting Pod service account tokens',
      'Hardening container environments',
    ]),
    ...under('Network separation and hardening', [
      'Namespaces',
      'Network policies',
      'Resource policies',
      'Control plane hardening',
      'Etcd',
      'Kubeconfig files',
      'Worker node segmentation',
      'Encryption',
      'Secrets',
      'Protecting sensitive cloud infrastructure',
    ]),
    ...under('Authentication and authorization', ['Authentication', 'Role-based access control']),
    ...under('Audit logging and threat detection', [
      'Logging',
      'Kubernetes native audit logging configuration',
      'Worker node and container logging',
      'Seccomp: audit mode',
      'Syslog',
      'SIEM platforms',
      'Service meshes',
      'Fault tolerance',
      'Threat detection',
      'Alerting',
      'Tools',
    ]),
    'Upgrading and application security practices',
  ],
};
