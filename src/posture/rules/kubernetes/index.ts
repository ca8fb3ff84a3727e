/**
 * The Kubernetes rules (VGL-K8S-NNN): Pod Security Standards, workload hygiene, RBAC, control
 * plane flags and Istio. Adding a rule is adding it to its family file and to this list.
 */
import type { Rule } from '../../rule.js';
import { CONFIG_OBJECT_RULES } from './config-objects.js';
import { COMPONENT_RULES } from './control-plane-components.js';
import { APISERVER_AUTH_RULES } from './control-plane-apiserver.js';
import { APISERVER_TLS_RULES } from './control-plane-apiserver-tls.js';
import { KUBELET_RULES } from './kubelet.js';
import { ISTIO_RULES } from './istio.js';
import { KNOWN_RISKY_RULES } from './known-risky.js';
import { NETWORK_RULES } from './network.js';
import { RBAC_BINDING_RULES } from './rbac-bindings.js';
import { RBAC_ROLE_RULES } from './rbac-roles.js';
import { PSP_RULES } from './pod-security-policy.js';
import { PSS_BASELINE_HOST_RULES } from './pss-baseline-host.js';
import { PSS_BASELINE_PROFILE_RULES } from './pss-baseline-profiles.js';
import { PSS_RESTRICTED_RULES } from './pss-restricted.js';
import { SERVICE_ACCOUNT_RULES } from './service-accounts.js';
import { IMAGE_RULES } from './workload-images.js';
import { RESOURCE_RULES } from './workload-resources.js';
import { WORKLOAD_SECURITY_RULES } from './workload-security.js';
import { VOLUME_RULES } from './workload-volumes.js';

/** The Pod Security Standards Baseline controls, one rule each. */
export const PSS_BASELINE_RULES: readonly Rule[] = [...PSS_BASELINE_HOST_RULES, ...PSS_BASELINE_PROFILE_RULES];

/** The controls Restricted adds; a pod satisfies Restricted when it passes these and Baseline. */
export { PSS_RESTRICTED_RULES };

export const kubernetesRules: readonly Rule[] = [
  ...PSS_BASELINE_RULES,
  ...PSS_RESTRICTED_RULES,
  ...NETWORK_RULES,
  ...SERVICE_ACCOUNT_RULES,
  ...RESOURCE_RULES,
  ...IMAGE_RULES,
  ...WORKLOAD_SECURITY_RULES,
  ...VOLUME_RULES,
  ...KNOWN_RISKY_RULES,
  ...RBAC_ROLE_RULES,
  ...RBAC_BINDING_RULES,
  ...APISERVER_AUTH_RULES,
  ...APISERVER_TLS_RULES,
  ...COMPONENT_RULES,
  ...KUBELET_RULES,
  ...CONFIG_OBJECT_RULES,
  ...PSP_RULES,
  ...ISTIO_RULES,
];
