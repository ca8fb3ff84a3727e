/**
 * The requirement catalogues, one per framework id in FRAMEWORKS (the type makes a missing
 * one a compile error). Each catalogue file says which edition and which level it lists.
 */
import type { FrameworkId } from '../frameworks.js';
import type { Catalogue } from './catalogue.js';
import { CIS_AWS_3_0 } from './catalogues/cis-aws-3.0.js';
import { CIS_AZURE_2_1 } from './catalogues/cis-azure-2.1.js';
import { CIS_DOCKER_1_6 } from './catalogues/cis-docker-1.6.js';
import { CIS_GCP_3_0 } from './catalogues/cis-gcp-3.0.js';
import { CIS_KUBERNETES_1_10 } from './catalogues/cis-kubernetes-1.10.js';
import { GDPR } from './catalogues/gdpr.js';
import { HIPAA } from './catalogues/hipaa.js';
import { ISO_27001_2022 } from './catalogues/iso-27001-2022.js';
import { NIST_800_53_R5 } from './catalogues/nist-800-53-r5.js';
import { NIST_CSF_2_0 } from './catalogues/nist-csf-2.0.js';
import { NSA_CISA_K8S } from './catalogues/nsa-cisa-k8s.js';
import { PCI_DSS_4_0 } from './catalogues/pci-dss-4.0.js';
import { PSS_BASELINE } from './catalogues/pss-baseline.js';
import { PSS_RESTRICTED } from './catalogues/pss-restricted.js';
import { SOC2 } from './catalogues/soc2.js';

export type { Catalogue } from './catalogue.js';

export const CATALOGUES: Readonly<Record<FrameworkId, Catalogue>> = {
  'cis-kubernetes-1.10': CIS_KUBERNETES_1_10,
  'cis-aws-3.0': CIS_AWS_3_0,
  'cis-azure-2.1': CIS_AZURE_2_1,
  'cis-gcp-3.0': CIS_GCP_3_0,
  'cis-docker-1.6': CIS_DOCKER_1_6,
  'nist-800-53-r5': NIST_800_53_R5,
  'nist-csf-2.0': NIST_CSF_2_0,
  'iso-27001-2022': ISO_27001_2022,
  soc2: SOC2,
  'pci-dss-4.0': PCI_DSS_4_0,
  hipaa: HIPAA,
  gdpr: GDPR,
  'nsa-cisa-k8s': NSA_CISA_K8S,
  'pss-baseline': PSS_BASELINE,
  'pss-restricted': PSS_RESTRICTED,
};
