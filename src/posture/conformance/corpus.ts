/**
 * Shared pieces of the posture corpus tests (KICS, Checkov, Kubescape): run a set of rules
 * over one file or one folder through the real inputs and engine. Test support, reads files.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyse } from '../analyse.js';
import type { SourceFile } from '../inputs/types.js';
import type { PostureFinding } from '../model.js';
import type { Rule } from '../rule.js';
import { RULE_BY_ID } from '../rules/registry.js';

export function rulesById(ids: readonly string[]): { rules: Rule[]; missing: string[] } {
  const rules: Rule[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const r = RULE_BY_ID.get(id);
    if (r === undefined) missing.push(id);
    else rules.push(r);
  }
  return { rules, missing };
}

export function readTree(root: string, rel = ''): SourceFile[] {
  const out: SourceFile[] = [];
  const dir = join(root, rel);
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const r = rel === '' ? name : `${rel}/${name}`;
    if (statSync(p).isDirectory()) out.push(...readTree(root, r));
    else out.push({ path: r, text: readFileSync(p, 'utf8') });
  }
  return out;
}

export async function findingsFor(files: readonly SourceFile[], rules: readonly Rule[]): Promise<{
  findings: readonly PostureFinding[];
  problems: readonly string[];
}> {
  const a = await analyse(files, rules);
  return {
    findings: a.findings.filter((f) => f.status !== 'not-assessed'),
    problems: a.problems.map((p) => `${p.path}${p.line ? `:${p.line}` : ''}: ${p.reason}`),
  };
}

export const rel = relative;
