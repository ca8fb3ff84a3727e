/**
 * Compliance frameworks a rule can map to: a closed vocabulary, so `--framework` and the API
 * filter only accept known ids, and docs/rules.md lists each with its full name.
 */
export const FRAMEWORKS = {
  'cis-kubernetes-1.10': 'CIS Kubernetes Benchmark v1.10',
  'cis-aws-3.0': 'CIS Amazon Web Services Foundations Benchmark v3.0',
  'cis-azure-2.1': 'CIS Microsoft Azure Foundations Benchmark v2.1',
  'cis-gcp-3.0': 'CIS Google Cloud Platform Foundation Benchmark v3.0',
  'cis-docker-1.6': 'CIS Docker Benchmark v1.6',
  'nist-800-53-r5': 'NIST SP 800-53 Rev. 5',
  'nist-csf-2.0': 'NIST Cybersecurity Framework 2.0',
  'iso-27001-2022': 'ISO/IEC 27001:2022 Annex A',
  'soc2': 'SOC 2 Trust Services Criteria (2017)',
  'pci-dss-4.0': 'PCI DSS v4.0',
  'hipaa': 'HIPAA Security Rule (45 CFR 164)',
  'gdpr': 'GDPR',
  'nsa-cisa-k8s': 'NSA/CISA Kubernetes Hardening Guidance v1.2',
  'pss-baseline': 'Kubernetes Pod Security Standards: Baseline',
  'pss-restricted': 'Kubernetes Pod Security Standards: Restricted',
} as const;

export type FrameworkId = keyof typeof FRAMEWORKS;

export const FRAMEWORK_IDS = Object.keys(FRAMEWORKS) as FrameworkId[];

export function isFrameworkId(s: string): s is FrameworkId {
  return Object.hasOwn(FRAMEWORKS, s);
}

export interface FrameworkControl {
  readonly framework: FrameworkId;
  readonly control: string;
}
