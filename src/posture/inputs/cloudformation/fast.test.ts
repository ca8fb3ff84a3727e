import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { sharedData, skipMessage } from '../../../../test/helpers/shared.js';
import { readYamlTemplateFast } from './fast.js';
import { looksLikeTemplate } from './index.js';
import { readYamlTemplate, readYamlTemplateWithYaml } from './yaml.js';

/** Reads with both readers and checks the located trees are the same (fails if the fast one declined). */
function agrees(source: string): void {
  const fast = readYamlTemplateFast(source);
  assert.ok(fast !== undefined, 'the fast reader declined the fixture');
  assert.deepEqual(fast, readYamlTemplateWithYaml(source));
  assert.deepEqual(readYamlTemplate(source), fast);
}

test('short-form intrinsics, scalars and lines as the `yaml` reader gives them', () => {
  agrees(
    [
      'AWSTemplateFormatVersion: "2010-09-09"',
      'Parameters:',
      '  Env: {Type: String, Default: prod}',
      '  Account: {Type: String, Default: 012345678901}',
      'Conditions:',
      '  IsProd: !Equals [!Ref Env, prod]',
      'Resources:',
      '  Bucket:',
      '    Type: AWS::S3::Bucket',
      '    Properties:',
      '      BucketName: !Sub "${AWS::StackName}-logs"',
      '      Tags:',
      '        - Key: arn',
      '          Value: !GetAtt',
      '            Role.Arn',
      '        - Key: version',
      '          Value: 10.10',
      '        - Key: empty',
      '          Value:',
      '      Policy: !If',
      '        - IsProd',
      '        - !Join',
      '          - ""',
      '          - [a, !Ref Env]',
      '        - !Ref AWS::NoValue',
      '      Script: !Sub |',
      '        echo ${Env}',
      '',
      '      Numbers: [1e3, .inf, 0x10, -1, 1_000]',
      '      Map: !FindInMap {a: b}',
      '',
    ].join('\n'),
  );
});

test('the fast reader declines what only the `yaml` reader reads exactly', () => {
  const declined: Record<string, string> = {
    'inline suppression comments': 'Resources:\n  B: # vigil:ignore=VGL-AWS-001 reason\n    Type: AWS::S3::Bucket\n',
    anchors: 'Resources:\n  A: &a {Type: AWS::S3::Bucket}\n  B: *a\n',
    'several documents': 'Resources: {}\n---\nResources: {}\n',
    'an unknown tag': 'Resources:\n  B:\n    Type: !Foo x\n',
    'an empty tagged node': 'Resources:\n  B:\n    Type: !Ref\n',
    'a syntax error': 'Resources:\n  B: [\n',
    'a duplicate key': 'Resources:\n  B: {}\n  B: {}\n',
    'an empty template': '# nothing\n',
  };
  for (const [what, text] of Object.entries(declined)) assert.equal(readYamlTemplateFast(text), undefined, what);
  // …and the template is still read (by yaml.ts), problems included.
  assert.equal(readYamlTemplate(declined['a duplicate key']!).problems.length, 1);
  assert.equal(readYamlTemplate(declined['inline suppression comments']!).comments.length, 1);
});

test('hostile input: deep nesting is left to the guarded reader, a large flat template is read fast', () => {
  const deep = `Resources: ${'['.repeat(300)}${']'.repeat(300)}\n`;
  assert.equal(readYamlTemplateFast(deep), undefined);
  assert.match(readYamlTemplate(deep).problems[0]!.reason, /nested deeper/);
  const flat = `Resources:\n  R:\n    Type: AWS::X::Y\n    Properties: {L: [${'1,'.repeat(20_000)}1]}\n`;
  agrees(flat);
});

/**
 * Differential test over every YAML file of the shared corpus (read by path, never copied):
 * wherever the fast reader reads one, its located tree (values, lines, problems) is the one
 * the `yaml` reader builds.
 */
test('the fast reader agrees with `yaml` on every YAML file of the shared corpus', (t) => {
  const roots = ['kics', 'checkov', 'k8s'].map((d) => sharedData(d)).filter((d): d is string => d !== undefined);
  if (roots.length === 0) {
    t.skip(skipMessage('kics, checkov, k8s'));
    return;
  }
  const base = sharedData()!;
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.(ya?ml|template)$/i.test(name)) files.push(p);
    }
  };
  for (const r of roots) walk(r);
  let fast = 0;
  let templates = 0;
  let fastTemplates = 0;
  const disagreements: string[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const p of files) {
    let text: string;
    try {
      text = decoder.decode(readFileSync(p));
    } catch {
      continue;
    }
    if (text.startsWith('\uFEFF')) text = text.slice(1);
    const rel = relative(base, p);
    const template = looksLikeTemplate(rel, text.slice(0, 8192));
    if (template) templates++;
    const a = readYamlTemplateFast(text);
    if (a === undefined) continue;
    fast++;
    if (template) fastTemplates++;
    try {
      assert.deepEqual(a, readYamlTemplateWithYaml(text));
    } catch (err) {
      disagreements.push(`${rel}: ${(err as Error).message.slice(0, 300)}`);
    }
  }
  t.diagnostic(`${files.length} YAML files, ${fast} read by the fast reader (${fastTemplates}/${templates} CloudFormation templates); ${disagreements.length} disagreements`);
  assert.deepEqual(disagreements, []);
  assert.ok(fastTemplates >= 0.9 * templates, `only ${fastTemplates}/${templates} templates took the fast reader`);
});
