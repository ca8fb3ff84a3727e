/**
 * docs/rules.md from the rule metadata: the catalogue (id, title, severity, inputs, frameworks)
 * per platform and an index per framework. `npm run docs:rules` writes it; a test fails when
 * the file is out of date. Pure.
 */
import { FRAMEWORKS, type FrameworkId } from './frameworks.js';
import type { Rule } from './rule.js';

const PLATFORM_TITLES: Readonly<Record<Rule['platform'], string>> = {
  kubernetes: 'Kubernetes',
  aws: 'AWS (Terraform, CloudFormation, live account)',
  azure: 'Azure (Terraform, live subscription)',
  gcp: 'Google Cloud (Terraform, live project)',
  dockerfile: 'Dockerfile',
};

const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function inputsOf(rule: Rule): string {
  const fams = new Set(rule.kinds.map((k) => k.slice(0, k.indexOf(':'))));
  const names: string[] = [];
  if (fams.has('k8s')) names.push('Kubernetes');
  if (fams.has('tf')) names.push('Terraform');
  if (fams.has('cfn')) names.push('CloudFormation');
  if (fams.has('docker')) names.push('Dockerfile');
  if (fams.has('aws')) names.push('AWS account');
  if (fams.has('azure')) names.push('Azure subscription');
  if (fams.has('gcp')) names.push('GCP project');
  return names.join(', ');
}

export function renderRulesDoc(rules: readonly Rule[]): string {
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out: string[] = [
    '# Posture rules',
    '',
    '<!-- Generated from the rule metadata by `npm run docs:rules`; do not edit by hand. -->',
    '',
    `${sorted.length} built-in rules. Each rule has good and bad examples that the test suite runs through the real inputs (src/posture/rules/registry.test.ts). ` +
      'Custom rules (YAML + CEL) and suppressions: see docs/posture.md.',
    '',
  ];
  for (const platform of Object.keys(PLATFORM_TITLES) as Rule['platform'][]) {
    const list = sorted.filter((r) => r.platform === platform);
    if (list.length === 0) continue;
    const live = list.filter((r) => r.kinds.some((k) => k.startsWith(`${platform}:`))).length;
    out.push(`## ${PLATFORM_TITLES[platform]} (${list.length}${live > 0 ? `, ${live} on collected data` : ''})`, '', '| id | title | severity | inputs | frameworks |', '|---|---|---|---|---|');
    for (const r of list) {
      out.push(`| ${r.id} | ${esc(r.title)} | ${r.severity} | ${inputsOf(r)} | ${esc(r.frameworks.map((f) => `${f.framework} ${f.control}`).join('; '))} |`);
    }
    out.push('');
  }
  out.push('## By framework', '');
  for (const id of Object.keys(FRAMEWORKS) as FrameworkId[]) {
    const list = sorted.filter((r) => r.frameworks.some((f) => f.framework === id));
    if (list.length === 0) continue;
    out.push(`### ${FRAMEWORKS[id]} (\`${id}\`, ${list.length} rules)`, '');
    const byControl = new Map<string, string[]>();
    for (const r of list) {
      for (const f of r.frameworks) {
        if (f.framework !== id) continue;
        const l = byControl.get(f.control) ?? [];
        l.push(r.id);
        byControl.set(f.control, l);
      }
    }
    for (const [control, ids] of [...byControl].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) out.push(`- ${esc(control)}: ${ids.join(', ')}`);
    out.push('');
  }
  return `${out.join('\n')}`;
}
