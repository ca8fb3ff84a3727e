import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { UsageError } from '../io.js';

interface NetpolFlags {
  kubeconfig?: string;
  context?: string;
  snapshot?: string;
  output?: string;
  ingressNamespace?: string;
  allowPartial?: boolean;
  quiet?: boolean;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * `vigil posture netpol NAMESPACE [PATH...]`: a default-deny (ingress and egress) NetworkPolicy
 * set for the namespace plus allow policies for the traffic the manifests, a cluster dump
 * (--snapshot) or a live cluster (the default with no PATH; --kubeconfig, --context) declare.
 * Exit codes: 0 written; 2 usage or input error, including inputs that could not all be read
 * (a Service or workload not seen is traffic the policies deny) unless --allow-partial.
 */
export function registerPostureNetpol(posture: Command): void {
  posture
    .command('netpol <namespace> [paths...]')
    .description('Generate default-deny plus allow-declared NetworkPolicies for a namespace, from manifests or a cluster')
    .option('--kubeconfig <file>', 'read a live cluster through this kubeconfig (default KUBECONFIG or ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context (default: the current context)')
    .option('--snapshot <file>', 'read a cluster dump (kubectl get -A -o json / -o yaml output, a file or a folder)')
    .option('-o, --output <file>', 'write the policies to this file instead of stdout')
    .option('--ingress-namespace <ns>', 'namespace of the ingress controller when it is not among the inputs', 'ingress-nginx')
    .option('--allow-partial', 'exit 0 even when some inputs could not be read (they are still reported)')
    .option('-q, --quiet', 'no summary on stderr')
    .action(async (namespace: string, paths: string[], opts: NetpolFlags, cmd: Command) => {
      if (!DNS_LABEL.test(namespace)) throw new UsageError(`namespace "${namespace}" is not a valid Kubernetes namespace name`);
      if (opts.ingressNamespace !== undefined && !DNS_LABEL.test(opts.ingressNamespace)) throw new UsageError(`--ingress-namespace "${opts.ingressNamespace}" is not a valid namespace name`);
      const live = opts.kubeconfig !== undefined || opts.context !== undefined;
      if ([paths.length > 0, opts.snapshot !== undefined, live].filter(Boolean).length > 1) {
        throw new UsageError('give manifest PATHs, --snapshot FILE, or a cluster (--kubeconfig / --context), not several');
      }
      const say = (s: string): void => {
        if (!opts.quiet) console.error(`vigil: ${s}`);
      };
      const { loadNetpolResources } = await import('../../posture/netpol/load.js');
      const { generateNetworkPolicies } = await import('../../posture/netpol/index.js');
      const loaded = await loadNetpolResources({ paths, snapshot: opts.snapshot, kubeconfig: opts.kubeconfig, context: opts.context });
      for (const p of loaded.problems) console.error(`vigil: error: ${p}`);
      const result = generateNetworkPolicies(loaded.resources, namespace, { source: loaded.source, ingressNamespace: opts.ingressNamespace });
      if (result.problems.length > 0) {
        throw new Error(`generated policies failed validation (a bug; please report it):\n  ${result.problems.join('\n  ')}`);
      }
      if (opts.output) await writeFile(opts.output, result.yaml);
      else {
        const out = cmd.configureOutput();
        if (out.writeOut) out.writeOut(result.yaml);
        else process.stdout.write(result.yaml);
      }
      if (result.stats.workloads === 0) say(`no workloads found in namespace ${namespace}: only default-deny and DNS policies were generated`);
      say(`${result.policies.length} NetworkPolicy object(s) for namespace ${namespace} from ${loaded.source}: ${result.stats.workloads} workload(s), ${result.stats.flows} flow(s), ${result.notes.length} note(s)`);
      if (loaded.problems.length > 0 && !opts.allowPartial) {
        throw new UsageError(`${loaded.problems.length} input problem(s) (listed above): the policies may deny traffic of what was not read (use --allow-partial to accept them)`);
      }
    });
}
