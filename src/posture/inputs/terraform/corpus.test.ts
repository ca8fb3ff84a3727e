/**
 * Every Terraform file of the public fixtures in ../shared/data (KICS, Checkov) through the input:
 * no problem except on files that are really broken, every resource id Checkov expects is
 * produced, and every line KICS expects a finding on is a line `lineOf` can give.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { Resource } from '../../model.js';
import { terraformInput } from './index.js';

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

/** Files that are really broken upstream, with the reason we report. */
const KNOWN_PROBLEMS = new Map<string, RegExp>([
  // The fixture calls `module "env" { source = "./env" }`, a folder the fixture does not ship.
  ['kics/terraform/aws/api_gateway_with_cloudwatch_logging_disabled/test/negative2.tf', /source "\.\/env" is not in the scanned files/],
]);

/** Every line a resource can be located at: its first line and lineOf of every attribute path. */
function locatableLines(resources: readonly Resource[]): Set<number> {
  const lines = new Set<number>();
  const visit = (r: Resource, v: unknown, path: (string | number)[]): void => {
    const l = r.lineOf(path);
    if (l !== undefined) lines.add(l);
    if (Array.isArray(v)) v.forEach((x, i) => visit(r, x, [...path, i]));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(r, x, [...path, k]);
  };
  for (const r of resources) {
    lines.add(r.line);
    visit(r, r.attrs, []);
  }
  return lines;
}

test('KICS Terraform fixtures: every file read, every expected line locatable', async (t) => {
  const root = sharedData('kics', 'terraform');
  if (root === undefined) return t.skip(skipMessage('kics/terraform'));
  const data = sharedData()!;
  let files = 0;
  let resources = 0;
  let expected = 0;
  let located = 0;
  const unexpected: string[] = [];
  const unlocated: string[] = [];
  for (const testDir of walk(root).filter((p) => p.endsWith('positive_expected_result.json')).map((p) => join(p, '..'))) {
    const byFile = new Map<string, Set<number>>();
    for (const f of readdirSync(testDir).filter((n) => terraformInput.accepts(n, ''))) {
      const full = join(testDir, f);
      const r = await terraformInput.parse([{ path: f, text: readFileSync(full, 'utf8') }]);
      files++;
      resources += r.resources.length;
      const known = KNOWN_PROBLEMS.get(relative(data, full));
      for (const p of r.problems) if (known === undefined || !known.test(p.reason)) unexpected.push(`${relative(data, full)}:${p.line ?? ''} ${p.reason}`);
      byFile.set(f, locatableLines(r.resources));
    }
    const exp = JSON.parse(readFileSync(join(testDir, 'positive_expected_result.json'), 'utf8')) as { line: number; fileName?: string; filename?: string }[];
    const positives = [...byFile.keys()].filter((f) => f.startsWith('positive'));
    for (const e of exp) {
      const file = e.fileName ?? e.filename ?? (positives.length === 1 ? positives[0] : undefined);
      if (file === undefined || !byFile.has(file)) continue;
      expected++;
      if (byFile.get(file)!.has(e.line)) located++;
      else unlocated.push(`${relative(data, join(testDir, file))}:${e.line}`);
    }
  }
  t.diagnostic(`KICS terraform: ${files} files, ${resources} resources, expected lines locatable ${located}/${expected}`);
  assert.ok(files > 0);
  assert.deepEqual(unexpected, []);
  assert.deepEqual(unlocated, []);
});

/** Checkov names data sources without `data.` in some graph expectations; we keep Terraform's address. */
const CHECKOV_ID_DIFFERENCES = new Set(['CKV2_AWS_36__HTTPNotSendingPasswords']);

test('Checkov Terraform fixtures: every file read, every expected resource id produced', async (t) => {
  const data = sharedData('checkov');
  if (data === undefined) return t.skip(skipMessage('checkov'));
  let files = 0;
  let fixtures = 0;
  let agreeing = 0;
  const unexpected: string[] = [];
  const disagreements: string[] = [];
  for (const family of ['terraform', 'terraform_graph']) {
    const famDir = join(data, family);
    if (!existsSync(famDir)) continue;
    for (const provider of readdirSync(famDir).sort()) {
      for (const fixture of readdirSync(join(famDir, provider)).sort()) {
        const dir = join(famDir, provider, fixture);
        const paths = walk(dir).filter((p) => terraformInput.accepts(p, ''));
        const r = await terraformInput.parse(paths.map((p) => ({ path: relative(dir, p), text: readFileSync(p, 'utf8') })));
        files += paths.length;
        for (const p of r.problems) unexpected.push(`${family}/${provider}/${fixture}/${p.path}:${p.line ?? ''} ${p.reason}`);
        const meta = JSON.parse(readFileSync(join(dir, 'checkov_fixture.json'), 'utf8')) as { expected?: { passing_resources?: string[]; failing_resources?: string[] } };
        let ids = [...(meta.expected?.passing_resources ?? []), ...(meta.expected?.failing_resources ?? [])];
        if (existsSync(join(dir, 'expected.yaml'))) {
          const y = (parseYaml(readFileSync(join(dir, 'expected.yaml'), 'utf8')) ?? {}) as { pass?: string[]; fail?: string[] };
          ids = [...(y.pass ?? []), ...(y.fail ?? [])];
        }
        if (ids.length === 0) continue;
        fixtures++;
        const have = new Set(r.resources.map((x) => x.id));
        const missing = ids.filter((id) => !have.has(id));
        if (missing.length === 0) agreeing++;
        else if (!CHECKOV_ID_DIFFERENCES.has(fixture)) disagreements.push(`${fixture}: ${missing.join(', ')}`);
      }
    }
  }
  t.diagnostic(`Checkov terraform: ${files} files, resource ids agree on ${agreeing}/${fixtures} fixtures (known difference: ${[...CHECKOV_ID_DIFFERENCES].join(', ')})`);
  assert.ok(files > 0);
  assert.deepEqual(unexpected, []);
  assert.deepEqual(disagreements, []);
});
