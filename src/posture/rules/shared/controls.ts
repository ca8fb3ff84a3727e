/**
 * Framework controls shared by the cloud rules (Azure and GCP), grouped by the kind of weakness
 * a rule finds. A rule lists its CIS benchmark section itself (the number is benchmark-specific)
 * and takes the other frameworks from one or more of these themes, so that the same weakness maps
 * to the same NIST 800-53 r5, NIST CSF 2.0, PCI DSS 4.0, SOC 2, ISO 27001:2022, HIPAA and GDPR
 * controls whichever cloud it is found in.
 */
import type { FrameworkControl, FrameworkId } from '../../frameworks.js';

const c = (framework: FrameworkId, ...controls: string[]): FrameworkControl[] => controls.map((control) => ({ framework, control }));

export const THEMES = {
  /** Data readable by anonymous or all-authenticated principals. */
  publicData: [
    ...c('nist-800-53-r5', 'AC-3', 'AC-6'),
    ...c('nist-csf-2.0', 'PR.AA-05'),
    ...c('pci-dss-4.0', '7.2.1'),
    ...c('soc2', 'CC6.1'),
    ...c('iso-27001-2022', 'A.8.3', 'A.8.12'),
    ...c('hipaa', '164.312(a)(1)'),
    ...c('gdpr', 'Art.25', 'Art.32'),
  ],
  /** A service or port reachable from the Internet. */
  network: [
    ...c('nist-800-53-r5', 'SC-7', 'AC-4'),
    ...c('nist-csf-2.0', 'PR.IR-01'),
    ...c('pci-dss-4.0', '1.3.1'),
    ...c('soc2', 'CC6.6'),
    ...c('iso-27001-2022', 'A.8.20', 'A.8.22'),
    ...c('hipaa', '164.312(e)(1)'),
    ...c('gdpr', 'Art.32'),
  ],
  /** Plaintext or weak TLS in transit. */
  transit: [
    ...c('nist-800-53-r5', 'SC-8', 'SC-13'),
    ...c('nist-csf-2.0', 'PR.DS-02'),
    ...c('pci-dss-4.0', '4.2.1'),
    ...c('soc2', 'CC6.7'),
    ...c('iso-27001-2022', 'A.8.24'),
    ...c('hipaa', '164.312(e)(2)(ii)'),
    ...c('gdpr', 'Art.32'),
  ],
  /** Data at rest not encrypted, or not with a key the customer controls. */
  atRest: [
    ...c('nist-800-53-r5', 'SC-28', 'SC-12'),
    ...c('nist-csf-2.0', 'PR.DS-01'),
    ...c('pci-dss-4.0', '3.5.1'),
    ...c('soc2', 'CC6.1'),
    ...c('iso-27001-2022', 'A.8.24'),
    ...c('hipaa', '164.312(a)(2)(iv)'),
    ...c('gdpr', 'Art.32'),
  ],
  /** Key and secret lifecycle: rotation, expiry, cryptoperiods. */
  keys: [
    ...c('nist-800-53-r5', 'SC-12'),
    ...c('nist-csf-2.0', 'PR.DS-01'),
    ...c('pci-dss-4.0', '3.7.4'),
    ...c('soc2', 'CC6.1'),
    ...c('iso-27001-2022', 'A.8.24'),
    ...c('hipaa', '164.312(a)(2)(iv)'),
  ],
  /** Grants broader than the job needs. */
  privilege: [
    ...c('nist-800-53-r5', 'AC-6', 'AC-2'),
    ...c('nist-csf-2.0', 'PR.AA-05'),
    ...c('pci-dss-4.0', '7.2.1', '7.2.2'),
    ...c('soc2', 'CC6.3'),
    ...c('iso-27001-2022', 'A.5.15', 'A.8.2'),
    ...c('hipaa', '164.312(a)(1)'),
    ...c('gdpr', 'Art.32'),
  ],
  /** Weak or shared credentials instead of strong, individual authentication. */
  authn: [
    ...c('nist-800-53-r5', 'IA-2', 'IA-5'),
    ...c('nist-csf-2.0', 'PR.AA-03'),
    ...c('pci-dss-4.0', '8.3.1'),
    ...c('soc2', 'CC6.1'),
    ...c('iso-27001-2022', 'A.8.5'),
    ...c('hipaa', '164.312(d)'),
    ...c('gdpr', 'Art.32'),
  ],
  /** Activity not recorded. */
  logging: [
    ...c('nist-800-53-r5', 'AU-2', 'AU-12'),
    ...c('nist-csf-2.0', 'PR.PS-04'),
    ...c('pci-dss-4.0', '10.2.1'),
    ...c('soc2', 'CC7.2'),
    ...c('iso-27001-2022', 'A.8.15'),
    ...c('hipaa', '164.312(b)'),
  ],
  /** Logs kept too briefly. */
  retention: [
    ...c('nist-800-53-r5', 'AU-11'),
    ...c('nist-csf-2.0', 'PR.PS-04'),
    ...c('pci-dss-4.0', '10.5.1'),
    ...c('soc2', 'CC7.2'),
    ...c('iso-27001-2022', 'A.8.15'),
    ...c('hipaa', '164.312(b)'),
  ],
  /** Threat detection and alerting switched off. */
  monitoring: [
    ...c('nist-800-53-r5', 'SI-4', 'IR-6'),
    ...c('nist-csf-2.0', 'DE.CM-01'),
    ...c('pci-dss-4.0', '11.5.1'),
    ...c('soc2', 'CC7.2'),
    ...c('iso-27001-2022', 'A.8.16'),
    ...c('hipaa', '164.308(a)(1)(ii)(D)'),
  ],
  /** Backups missing or not resilient. */
  backup: [
    ...c('nist-800-53-r5', 'CP-9'),
    ...c('nist-csf-2.0', 'PR.DS-11'),
    ...c('soc2', 'A1.2'),
    ...c('iso-27001-2022', 'A.8.13'),
    ...c('hipaa', '164.308(a)(7)(ii)(A)'),
    ...c('gdpr', 'Art.32'),
  ],
  /** Deleted data or keys cannot be recovered. */
  recovery: [
    ...c('nist-800-53-r5', 'CP-9', 'CP-10'),
    ...c('nist-csf-2.0', 'PR.DS-11'),
    ...c('soc2', 'A1.2'),
    ...c('iso-27001-2022', 'A.8.13'),
    ...c('hipaa', '164.308(a)(7)(ii)(A)'),
  ],
  /** Features that widen the attack surface left on (debugging, legacy modes, permissive CORS). */
  hardening: [
    ...c('nist-800-53-r5', 'CM-6', 'CM-7'),
    ...c('nist-csf-2.0', 'PR.PS-01'),
    ...c('pci-dss-4.0', '2.2.1', '2.2.4'),
    ...c('soc2', 'CC7.1'),
    ...c('iso-27001-2022', 'A.8.9'),
  ],
  /** Software not kept up to date. */
  patching: [
    ...c('nist-800-53-r5', 'SI-2'),
    ...c('nist-csf-2.0', 'PR.PS-02'),
    ...c('pci-dss-4.0', '6.3.3'),
    ...c('soc2', 'CC7.1'),
    ...c('iso-27001-2022', 'A.8.8'),
  ],
  /** Denial-of-service protection. */
  availability: [
    ...c('nist-800-53-r5', 'SC-5'),
    ...c('nist-csf-2.0', 'PR.IR-03'),
    ...c('soc2', 'A1.1'),
    ...c('iso-27001-2022', 'A.8.20'),
  ],
} as const satisfies Record<string, readonly FrameworkControl[]>;

export type Theme = keyof typeof THEMES;

/** The controls of the given themes, each control once. */
export function themes(...names: Theme[]): FrameworkControl[] {
  const seen = new Set<string>();
  const out: FrameworkControl[] = [];
  for (const name of names) {
    for (const f of THEMES[name]) {
      const key = `${f.framework} ${f.control}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(f);
    }
  }
  return out;
}
