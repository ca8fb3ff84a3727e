/**
 * Kubernetes Pod Security Standards, Restricted profile: the documentation's Restricted table
 * (Volume Types, Privilege Escalation, Running as Non-root, Running as Non-root user, and
 * stricter Seccomp and Capabilities) plus every Baseline control, since Restricted includes
 * Baseline. Names as the Kubernetes documentation gives them. Rules mapped to a Baseline control
 * count for the same control here (`includes`).
 */
import type { Catalogue } from '../catalogue.js';
import { PSS_BASELINE_CONTROLS } from './pss-baseline.js';

const RESTRICTED_ONLY = ['Volume Types', 'Privilege Escalation', 'Running as Non-root', 'Running as Non-root user'];

export const PSS_RESTRICTED: Catalogue = {
  framework: 'pss-restricted',
  edition: 'Kubernetes Pod Security Standards (Kubernetes 1.34 documentation)',
  level: 'controls of the Restricted profile, Baseline controls included',
  requirements: [...PSS_BASELINE_CONTROLS, ...RESTRICTED_ONLY],
  includes: 'pss-baseline',
};
