/**
 * The shape of a networking.k8s.io/v1 NetworkPolicy as the API server validates it
 * (pkg/apis/networking/validation): names, label selectors, peers (ipBlock alone, or pod
 * and/or namespace selectors), ports (protocol, 1–65535 or an IANA service name, endPort only
 * with a numeric port), CIDRs, policyTypes. Strict: an unknown field is an error, as with
 * `kubectl apply --validate=strict`. Used on every generated policy and in tests.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { labelKeyProblem, labelValueProblem } from '../rules/kubernetes/known-risky.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

const subdomain = z.string().refine((s) => s.length > 0 && s.length <= 253 && s.split('.').every((l) => DNS_LABEL.test(l)), 'must be a DNS-1123 subdomain');
const label = z.string().refine((s) => DNS_LABEL.test(s), 'must be a DNS-1123 label');

const labels = z.record(z.string(), z.string()).superRefine((m, ctx) => {
  for (const [k, v] of Object.entries(m)) {
    const p = labelKeyProblem(k) ?? labelValueProblem(v);
    if (p !== undefined) ctx.addIssue({ code: 'custom', message: `label ${k}: ${p}` });
  }
});

const selector = z.strictObject({
  matchLabels: labels.optional(),
  matchExpressions: z
    .array(z.strictObject({ key: z.string(), operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist']), values: z.array(z.string()).optional() }))
    .optional(),
});

/** IANA_SVC_NAME: 1–15 lower-case letters, digits and '-', at least one letter, no '--', no '-' at the ends. */
function ianaName(s: string): boolean {
  return s.length >= 1 && s.length <= 15 && /^[a-z0-9-]+$/.test(s) && /[a-z]/.test(s) && !s.includes('--') && !s.startsWith('-') && !s.endsWith('-');
}

function cidr(s: string): boolean {
  const slash = s.indexOf('/');
  if (slash < 0) return false;
  const ip = s.slice(0, slash);
  const bits = s.slice(slash + 1);
  const v = isIP(ip);
  return v !== 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128);
}

const port = z
  .strictObject({
    protocol: z.enum(['TCP', 'UDP', 'SCTP']).optional(),
    port: z.union([z.number().int().min(1).max(65535), z.string().refine(ianaName, 'must be an IANA service name')]).optional(),
    endPort: z.number().int().min(1).max(65535).optional(),
  })
  .refine((p) => p.endPort === undefined || (typeof p.port === 'number' && p.endPort >= p.port), 'endPort needs a numeric port no larger than it');

const peer = z
  .strictObject({
    podSelector: selector.optional(),
    namespaceSelector: selector.optional(),
    ipBlock: z.strictObject({ cidr: z.string().refine(cidr, 'must be a CIDR'), except: z.array(z.string().refine(cidr, 'must be a CIDR')).optional() }).optional(),
  })
  .refine((p) => (p.ipBlock === undefined ? p.podSelector !== undefined || p.namespaceSelector !== undefined : p.podSelector === undefined && p.namespaceSelector === undefined), 'a peer is an ipBlock alone, or a podSelector and/or namespaceSelector');

export const networkPolicySchema = z
  .strictObject({
    apiVersion: z.literal('networking.k8s.io/v1'),
    kind: z.literal('NetworkPolicy'),
    metadata: z.strictObject({ name: subdomain, namespace: label, labels: labels.optional(), annotations: z.record(z.string(), z.string()).optional() }),
    spec: z.strictObject({
      podSelector: selector,
      policyTypes: z.array(z.enum(['Ingress', 'Egress'])).max(2).optional(),
      ingress: z.array(z.strictObject({ from: z.array(peer).optional(), ports: z.array(port).optional() })).optional(),
      egress: z.array(z.strictObject({ to: z.array(peer).optional(), ports: z.array(port).optional() })).optional(),
    }),
  })
  .refine((p) => new Set(p.spec.policyTypes ?? []).size === (p.spec.policyTypes ?? []).length, 'policyTypes repeats a value')
  .refine((p) => p.spec.egress === undefined || (p.spec.policyTypes ?? ['Egress']).includes('Egress'), 'egress rules without Egress in policyTypes are ignored');

/** Problems of one object as a NetworkPolicy (`path: message`), or none. */
export function networkPolicyProblems(value: unknown): string[] {
  const r = networkPolicySchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
}
