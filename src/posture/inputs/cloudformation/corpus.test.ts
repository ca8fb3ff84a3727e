import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import type { AttrPath, Resource } from '../../model.js';
import { cloudFormationInput, parseCloudFormation } from './index.js';
import type { CfnResourceMeta } from './template.js';

/**
 * Every CloudFormation template of the KICS and Checkov test data in ../shared/data (read by
 * path, never copied): each is recognised, parses without a problem unless listed below as
 * really broken, and every line KICS expects a finding at is a line `lineOf` can give (so
 * rules can hit it). No other YAML/JSON file of the shared data (Kubernetes manifests, KICS
 * metadata, Checkov result fixtures) is taken for a template.
 */
const ROOT = sharedData();
const KICS = sharedData('kics', 'cloudFormation');
const CHECKOV = sharedData('checkov', 'cloudformation');

/** Files that are really broken, with the reason. */
const BROKEN: Readonly<Record<string, RegExp>> = {
  // `Parameters` is nested inside `Resources` (a mistake in the KICS fixture), so it reads as a
  // resource without Type.
  'kics/cloudFormation/aws/cmk_is_unusable/test/positive2.json': /resource Parameters has no Type/,
};

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

const TEMPLATE_EXT = /\.(ya?ml|json|template)$/i;
const head = (p: string): string => readFileSync(p, 'utf8').slice(0, 4096);

/** A CloudFormation fixture by its place in the corpus. */
function isTemplateFixture(rel: string): boolean {
  if (/^kics\/cloudFormation\/.*\/test\/(positive|negative)\d*\.(ya?ml|json)$/.test(rel)) return true;
  return rel.startsWith('checkov/cloudformation/') && !rel.endsWith('checkov_fixture.json');
}

function allPaths(v: unknown, prefix: (string | number)[] = [], out: AttrPath[] = []): AttrPath[] {
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      out.push([...prefix, i]);
      allPaths(x, [...prefix, i], out);
    });
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push([...prefix, k]);
      allPaths(x, [...prefix, k], out);
    }
  }
  return out;
}

test('CloudFormation corpus: every template recognised and read', { skip: KICS && CHECKOV ? false : skipMessage('kics/cloudFormation or checkov/cloudformation') }, (t) => {
  const files = [...walk(KICS!), ...walk(CHECKOV!)].filter((p) => TEMPLATE_EXT.test(p));
  let templates = 0;
  let resources = 0;
  let parameters = 0;
  const unexpected: string[] = [];
  const brokenSeen = new Set<string>();
  for (const p of files) {
    const rel = relative(ROOT!, p);
    const accepted = cloudFormationInput.accepts(rel, head(p));
    assert.equal(accepted, isTemplateFixture(rel), `${rel}: accepted = ${accepted}`);
    if (!accepted) continue;
    templates++;
    const out = parseCloudFormation({ path: rel, text: readFileSync(p, 'utf8') });
    resources += out.resources.filter((r) => r.kind !== 'cfn:Parameter').length;
    parameters += out.resources.length - out.resources.filter((r) => r.kind !== 'cfn:Parameter').length;
    const broken = BROKEN[rel];
    if (broken !== undefined) {
      assert.ok(out.problems.some((x) => broken.test(x.reason)), `${rel}: expected problem ${broken}`);
      brokenSeen.add(rel);
      continue;
    }
    for (const x of out.problems) unexpected.push(`${rel}:${x.line ?? '-'} ${x.reason}`);
    for (const r of out.resources) {
      assert.ok(r.line >= 1 && r.endLine >= r.line, `${rel} ${r.id}: lines ${r.line}-${r.endLine}`);
      for (const path of allPaths(r.attrs)) {
        const line = r.lineOf(path);
        assert.ok(line !== undefined && line >= r.line && line <= r.endLine, `${rel} ${r.id}: lineOf(${path.join('.')}) = ${line}`);
      }
    }
  }
  assert.deepEqual(unexpected, []);
  assert.deepEqual([...brokenSeen].sort(), Object.keys(BROKEN).sort());
  assert.ok(templates > 300 && resources > 500, `${templates} templates, ${resources} resources`);
  t.diagnostic(`CloudFormation corpus: ${templates} templates, ${resources} resources, ${parameters} parameters, ${Object.keys(BROKEN).length} broken file(s)`);
});

test('CloudFormation corpus: every line KICS expects a finding at is a line lineOf gives', { skip: KICS ? false : skipMessage('kics/cloudFormation') }, (t) => {
  let expected = 0;
  const missed: string[] = [];
  for (const dir of walk(KICS!).filter((p) => p.endsWith('/test/positive_expected_result.json'))) {
    const testDir = dir.slice(0, -'/positive_expected_result.json'.length);
    const lines = new Map<string, Set<number>>();
    const entries = JSON.parse(readFileSync(dir, 'utf8')) as { line: number; fileName?: string; filename?: string }[];
    for (const e of entries) {
      const name = e.fileName ?? e.filename;
      if (name === undefined || !existsSync(join(testDir, name))) continue;
      expected++;
      let set = lines.get(name);
      if (set === undefined) {
        set = new Set<number>();
        const out = parseCloudFormation({ path: name, text: readFileSync(join(testDir, name), 'utf8') });
        for (const r of out.resources) set = addLines(set, r);
        lines.set(name, set);
      }
      if (!set.has(e.line)) missed.push(`${relative(KICS!, testDir)}/${name}:${e.line}`);
    }
  }
  assert.deepEqual(missed, []);
  assert.ok(expected > 150);
  t.diagnostic(`KICS CloudFormation expected lines reachable: ${expected}/${expected}`);
});

function addLines(set: Set<number>, r: Resource): Set<number> {
  set.add(r.line);
  const meta = r.meta as Partial<CfnResourceMeta> | undefined;
  if (typeof meta?.propertiesLine === 'number') set.add(meta.propertiesLine);
  for (const p of allPaths(r.attrs)) {
    const l = r.lineOf(p);
    if (l !== undefined) set.add(l);
  }
  return set;
}

test('no Kubernetes manifest or other YAML/JSON of the shared data is taken for a template', { skip: ROOT ? false : skipMessage('the shared data') }, (t) => {
  const roots = ['k8s', 'kics/k8s', 'kics/terraform', 'checkov/kubernetes', 'checkov/terraform'].map((r) => sharedData(...r.split('/'))).filter((r) => r !== undefined);
  let n = 0;
  for (const root of roots) {
    for (const p of walk(root).filter((x) => TEMPLATE_EXT.test(x))) {
      n++;
      assert.equal(cloudFormationInput.accepts(relative(ROOT!, p), head(p)), false, relative(ROOT!, p));
    }
  }
  t.diagnostic(`${n} other YAML/JSON files, none taken for a template`);
});
