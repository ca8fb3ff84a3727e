/**
 * CIS Kubernetes Benchmark v1.10.0: every recommendation id (automated and manual), written
 * from the benchmark's table of contents.
 * 1 Control plane: 1.1 node configuration files (1.1.1–1.1.21), 1.2 API server (1.2.1–1.2.29),
 * 1.3 controller manager (1.3.1–1.3.7), 1.4 scheduler (1.4.1–1.4.2); 2 etcd (2.1–2.7);
 * 3 control plane configuration: 3.1 authentication (3.1.1–3.1.3), 3.2 logging (3.2.1–3.2.2);
 * 4 worker nodes: 4.1 files (4.1.1–4.1.10), 4.2 kubelet (4.2.1–4.2.13), 4.3 kube-proxy (4.3.1);
 * 5 policies: 5.1 RBAC and service accounts (5.1.1–5.1.13), 5.2 pod security (5.2.1–5.2.13),
 * 5.3 network policies and CNI (5.3.1–5.3.2), 5.4 secrets (5.4.1–5.4.2), 5.5 extensible
 * admission control (5.5.1), 5.7 general policies (5.7.1–5.7.4).
 */
import { seq, type Catalogue } from '../catalogue.js';

export const CIS_KUBERNETES_1_10: Catalogue = {
  framework: 'cis-kubernetes-1.10',
  edition: 'CIS Kubernetes Benchmark v1.10.0',
  level: 'recommendations (the numbered leaves), automated and manual',
  requirements: [
    ...seq('1.1.', 1, 21),
    ...seq('1.2.', 1, 29),
    ...seq('1.3.', 1, 7),
    ...seq('1.4.', 1, 2),
    ...seq('2.', 1, 7),
    ...seq('3.1.', 1, 3),
    ...seq('3.2.', 1, 2),
    ...seq('4.1.', 1, 10),
    ...seq('4.2.', 1, 13),
    '4.3.1',
    ...seq('5.1.', 1, 13),
    ...seq('5.2.', 1, 13),
    ...seq('5.3.', 1, 2),
    ...seq('5.4.', 1, 2),
    '5.5.1',
    ...seq('5.7.', 1, 4),
  ],
};
