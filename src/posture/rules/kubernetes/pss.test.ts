/**
 * Pod Security Standards conformance: every pod in the upstream psa-testdata `fail` folder of a
 * level violates that level and every pod in `pass` satisfies it, by our PSS rules alone
 * (Restricted = the Baseline rules plus the Restricted rules).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { analyse } from '../../analyse.js';
import type { Rule } from '../../rule.js';
import { PSS_BASELINE_RULES, PSS_RESTRICTED_RULES } from './index.js';

const VERSION = 'v1.37';
const root = sharedData('k8s', 'pod-security-standards', 'psa-testdata');

const LEVELS: Record<'baseline' | 'restricted', readonly Rule[]> = {
  baseline: PSS_BASELINE_RULES,
  restricted: [...PSS_BASELINE_RULES, ...PSS_RESTRICTED_RULES],
};

test('every PSS rule maps to exactly its level', () => {
  for (const r of PSS_BASELINE_RULES) assert.deepEqual(r.frameworks.filter((f) => f.framework.startsWith('pss-')).map((f) => f.framework), ['pss-baseline'], r.id);
  for (const r of PSS_RESTRICTED_RULES) assert.deepEqual(r.frameworks.filter((f) => f.framework.startsWith('pss-')).map((f) => f.framework), ['pss-restricted'], r.id);
});

for (const level of ['baseline', 'restricted'] as const) {
  test(`PSS ${level} ${VERSION}: fail pods fail, pass pods pass`, { skip: root === undefined ? skipMessage('k8s/pod-security-standards/psa-testdata') : false }, async (t) => {
    const wrong: string[] = [];
    const counts = { fail: 0, pass: 0 };
    for (const outcome of ['fail', 'pass'] as const) {
      const dir = join(root!, level, VERSION, outcome);
      for (const name of readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort()) {
        const a = await analyse([{ path: name, text: readFileSync(join(dir, name), 'utf8') }], LEVELS[level]);
        assert.deepEqual(a.problems, [], `${name} parses`);
        assert.equal(a.resources.length, 1, `${name} holds one pod`);
        const fails = a.findings.filter((f) => f.status === 'fail');
        counts[outcome]++;
        if (outcome === 'fail' && fails.length === 0) wrong.push(`${outcome}/${name}: no violation`);
        if (outcome === 'pass' && fails.length > 0) wrong.push(`${outcome}/${name}: ${fails.map((f) => `${f.ruleId} line ${f.location.line}: ${f.message}`).join('; ')}`);
      }
    }
    t.diagnostic(`PSS ${level} ${VERSION}: ${counts.fail} fail pods, ${counts.pass} pass pods, ${wrong.length} disagreements`);
    assert.deepEqual(wrong, []);
  });
}

/** Controls the shared fixtures do not show: one mutation of a Restricted-compliant pod each. */
const BASE = {
  securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
  containers: [{ name: 'c', image: 'x:1', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
};
type Spec = Record<string, unknown>;
const CASES: { name: string; mutate: (s: Spec, c: Spec) => void; baseline: boolean; restricted: boolean }[] = [
  { name: 'restricted pod', mutate: () => undefined, baseline: true, restricted: true },
  { name: 'privileged', mutate: (_s, c) => ((c['securityContext'] as Spec)['privileged'] = true), baseline: false, restricted: false },
  { name: 'hostPID', mutate: (s) => (s['hostPID'] = true), baseline: false, restricted: false },
  { name: 'hostIPC false', mutate: (s) => (s['hostIPC'] = false), baseline: true, restricted: true },
  { name: 'procMount Unmasked', mutate: (_s, c) => ((c['securityContext'] as Spec)['procMount'] = 'Unmasked'), baseline: false, restricted: false },
  { name: 'procMount Unmasked in a user namespace', mutate: (s, c) => { s['hostUsers'] = false; (c['securityContext'] as Spec)['procMount'] = 'Unmasked'; }, baseline: true, restricted: false },
  { name: 'runAsNonRoot unset', mutate: (s) => delete (s['securityContext'] as Spec)['runAsNonRoot'], baseline: true, restricted: false },
  { name: 'runAsNonRoot only on containers', mutate: (s, c) => { delete (s['securityContext'] as Spec)['runAsNonRoot']; (c['securityContext'] as Spec)['runAsNonRoot'] = true; }, baseline: true, restricted: true },
  { name: 'runAsNonRoot false on pod, true on container', mutate: (s, c) => { (s['securityContext'] as Spec)['runAsNonRoot'] = false; (c['securityContext'] as Spec)['runAsNonRoot'] = true; }, baseline: true, restricted: false },
  { name: 'runAsUser 0 in a user namespace', mutate: (s) => { s['hostUsers'] = false; (s['securityContext'] as Spec)['runAsUser'] = 0; delete (s['securityContext'] as Spec)['runAsNonRoot']; }, baseline: true, restricted: true },
  { name: 'appArmorProfile Unconfined', mutate: (s) => ((s['securityContext'] as Spec)['appArmorProfile'] = { type: 'Unconfined' }), baseline: false, restricted: false },
  { name: 'seLinux container_engine_t', mutate: (s) => ((s['securityContext'] as Spec)['seLinuxOptions'] = { type: 'container_engine_t' }), baseline: true, restricted: true },
  { name: 'sysctl tcp_rmem', mutate: (s) => ((s['securityContext'] as Spec)['sysctls'] = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }]), baseline: true, restricted: true },
  { name: 'sysctl net.core.somaxconn', mutate: (s) => ((s['securityContext'] as Spec)['sysctls'] = [{ name: 'net.core.somaxconn', value: '1024' }]), baseline: false, restricted: false },
  { name: 'capabilities drop lower-case all', mutate: (_s, c) => ((c['securityContext'] as Spec)['capabilities'] = { drop: ['all'] }), baseline: true, restricted: false },
  { name: 'ephemeral container privileged', mutate: (s) => (s['ephemeralContainers'] = [{ name: 'd', image: 'x:1', securityContext: { privileged: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }]), baseline: false, restricted: false },
  { name: 'csi, ephemeral and image volumes', mutate: (s) => (s['volumes'] = [{ name: 'a', csi: { driver: 'd' } }, { name: 'b', ephemeral: {} }, { name: 'c', image: { reference: 'x:1' } }]), baseline: true, restricted: true },
  { name: 'startupProbe tcpSocket host', mutate: (_s, c) => (c['startupProbe'] = { tcpSocket: { host: '10.0.0.1', port: 80 } }), baseline: false, restricted: false },
];

for (const c of CASES) {
  test(`PSS ${VERSION} control: ${c.name}`, async () => {
    const spec = structuredClone(BASE) as unknown as Spec;
    c.mutate(spec, (spec['containers'] as Spec[])[0]!);
    const text = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });
    for (const level of ['baseline', 'restricted'] as const) {
      const a = await analyse([{ path: 'pod.json', text }], LEVELS[level]);
      const fails = a.findings.filter((f) => f.status === 'fail');
      assert.equal(fails.length === 0, c[level], `${level}: ${fails.map((f) => `${f.ruleId} ${f.message}`).join('; ')}`);
    }
  });
}
