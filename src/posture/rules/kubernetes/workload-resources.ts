/**
 * Resource requests and limits, liveness and readiness probes. A missing value is reported at
 * the requests/limits block when there is one, else at the container.
 */
import type { AttrPath, Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { podRule } from './lib/define.js';
import { containers, obj, present, type ContainerRef, type PodSpecRef } from './lib/pod.js';

const RESOURCES_URL = 'https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/';
const PROBES_URL = 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/';

/** Containers that can carry resources (ephemeral containers cannot). */
function resourceContainers(pod: PodSpecRef): ContainerRef[] {
  return containers(pod).filter((c) => c.field !== 'ephemeralContainers');
}

function missingResource(pod: PodSpecRef, block: 'requests' | 'limits', resource: 'cpu' | 'memory'): Violation[] {
  const out: Violation[] = [];
  for (const c of resourceContainers(pod)) {
    const resources = c.container['resources'];
    if (present(resources) && obj(resources) === undefined) continue; // not a mapping: the API server rejects it
    const b = obj(resources)?.[block];
    if (present(b) && obj(b) === undefined) continue;
    const value = obj(b)?.[resource];
    if (present(value) && value !== '') continue;
    const path: AttrPath = obj(b) !== undefined ? [...c.path, 'resources', block, resource] : c.path;
    out.push(violation(path, `container "${c.name}" has no ${resource} ${block === 'requests' ? 'request' : 'limit'}`));
  }
  return out;
}

function resourceRule(id: string, block: 'requests' | 'limits', resource: 'cpu' | 'memory', cis: string[]): Rule {
  const what = `${resource === 'cpu' ? 'CPU' : 'memory'} ${block === 'requests' ? 'requests' : 'limits'}`;
  const why =
    block === 'limits'
      ? `Without a ${resource === 'cpu' ? 'CPU' : 'memory'} limit one container can consume the node's ${resource === 'cpu' ? 'CPU' : 'memory'} and starve its neighbours (denial of service).`
      : `Without a ${resource === 'cpu' ? 'CPU' : 'memory'} request the scheduler cannot reserve capacity for the container and it is the first to be evicted or throttled.`;
  const value = resource === 'cpu' ? '500m' : '256Mi';
  return podRule({
    id,
    title: `Container has no ${what}`,
    description: why,
    severity: block === 'limits' ? 'medium' : 'low',
    service: 'resources',
    frameworks: [
      ...cis.map((control) => ({ framework: 'nsa-cisa-k8s' as const, control })),
      { framework: 'nist-800-53-r5', control: 'SC-6' },
    ],
    remediation: `Set resources.${block}.${resource} on every container (a LimitRange can supply namespace defaults).`,
    fix: { kubernetes: `resources:\n  ${block}:\n    ${resource}: ${value}` },
    references: [RESOURCES_URL],
    checkPod: (pod) => missingResource(pod, block, resource),
    examples: {
      bad: [
        { input: 'kubernetes', lines: [7], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n' },
        { input: 'kubernetes', lines: [10], text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    resources:\n      ${block}:\n        ${resource === 'cpu' ? 'memory: 128Mi' : 'cpu: 100m'}\n` },
      ],
      good: [{ input: 'kubernetes', text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    resources:\n      ${block}:\n        cpu: 100m\n        memory: 128Mi\n` }],
    },
  });
}

const RESOURCE_POLICIES = 'Network separation and hardening: Resource policies';

export const cpuRequests = resourceRule('VGL-K8S-024', 'requests', 'cpu', [RESOURCE_POLICIES]);
export const cpuLimits = resourceRule('VGL-K8S-025', 'limits', 'cpu', [RESOURCE_POLICIES]);
export const memoryRequests = resourceRule('VGL-K8S-026', 'requests', 'memory', [RESOURCE_POLICIES]);
export const memoryLimits = resourceRule('VGL-K8S-027', 'limits', 'memory', [RESOURCE_POLICIES]);

/** Batch workloads run to completion; probes do not apply to them. */
const BATCH = new Set(['Job', 'CronJob']);

function probeRule(id: string, probe: 'livenessProbe' | 'readinessProbe'): Rule {
  const liveness = probe === 'livenessProbe';
  return podRule({
    id,
    title: `Container has no ${liveness ? 'liveness' : 'readiness'} probe`,
    description: liveness
      ? 'Without a liveness probe a hung container is never restarted.'
      : 'Without a readiness probe traffic is sent to a container before it can serve it, and keeps flowing when it cannot.',
    severity: 'low',
    service: 'availability',
    frameworks: [{ framework: 'nist-800-53-r5', control: 'SC-5' }, { framework: 'soc2', control: 'A1.2' }],
    remediation: `Define ${probe} on every long-running container.`,
    fix: { kubernetes: `${probe}:\n  httpGet:\n    path: /healthz\n    port: 8080` },
    references: [PROBES_URL],
    checkPod(pod, resource) {
      if (BATCH.has(resource.type)) return [];
      return containers(pod)
        .filter((c) => c.field === 'containers' && !present(c.container[probe]))
        .map((c) => violation([...c.path, probe], `container "${c.name}" has no ${probe}`));
    },
    examples: {
      bad: [{ input: 'kubernetes', lines: [7], text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n' }],
      good: [
        { input: 'kubernetes', text: `apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: example/app:1.0\n    ${probe}:\n      tcpSocket:\n        port: 8080\n` },
        { input: 'kubernetes', text: 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: once\n        image: example/once:1.0\n' },
      ],
    },
  });
}

export const livenessProbe = probeRule('VGL-K8S-028', 'livenessProbe');
export const readinessProbe = probeRule('VGL-K8S-029', 'readinessProbe');

export const RESOURCE_RULES: readonly Rule[] = [cpuRequests, cpuLimits, memoryRequests, memoryLimits, livenessProbe, readinessProbe];
