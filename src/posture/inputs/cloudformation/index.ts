/**
 * The CloudFormation input: YAML (short-form intrinsics included) and JSON templates, SAM
 * templates as written (the transform is not expanded). One resource per entry of
 * `Resources`, kind `cfn:<Type>`, attrs = `Properties` with parameters resolved (template.ts).
 */
import type { InputAdapter, InputResult, SourceFile } from '../types.js';
import { readJsonTemplate } from './json.js';
import { CFN_LIMITS } from './limits.js';
import { templateResources } from './template.js';
import { readYamlTemplate } from './yaml.js';

export type { CfnResourceMeta } from './template.js';

const EXT = /\.(ya?ml|json|template)$/i;
const RESOURCES = /(?:^|[\s{,"'])Resources["']?\s*:/m;
const AWS_TYPE = /["']?Type["']?\s*:\s*["']?AWS::/;
const SAM = /Transform["']?\s*:[\s["'-]*AWS::Serverless/;
const K8S_API_VERSION = /^["']?apiVersion["']?\s*:/m;
const K8S_KIND = /^["']?kind["']?\s*:/m;

/** Cheap detection on the path and the first KB of a file (see InputAdapter.accepts). */
export function looksLikeTemplate(path: string, head: string): boolean {
  if (!EXT.test(path)) return false;
  if (head.includes('AWSTemplateFormatVersion')) return true;
  // A Kubernetes manifest (top-level apiVersion and kind) is never a template.
  if (K8S_API_VERSION.test(head) && K8S_KIND.test(head)) return false;
  if (SAM.test(head)) return true;
  return RESOURCES.test(head) && AWS_TYPE.test(head);
}

/** One template file → resources and problems. Pure, never throws. */
export function parseCloudFormation(file: SourceFile): InputResult {
  const { path } = file;
  if (file.text.length > CFN_LIMITS.maxBytes) {
    return { resources: [], problems: [{ path, reason: `file is ${file.text.length} characters, over the ${CFN_LIMITS.maxBytes} limit` }] };
  }
  // A byte-order mark is one character on line 1: dropping it moves no line.
  const text = file.text.startsWith('\uFEFF') ? file.text.slice(1) : file.text;
  if (text.trim() === '') return { resources: [], problems: [{ path, line: 1, reason: 'template is empty' }] };
  const json = /\.json$/i.test(path) || (/\.template$/i.test(path) && text.trimStart().startsWith('{'));
  return templateResources(path, json ? readJsonTemplate(text) : readYamlTemplate(text));
}

export const cloudFormationInput: InputAdapter = {
  id: 'cloudformation',
  accepts: looksLikeTemplate,
  parse(files) {
    const out: InputResult = { resources: [], problems: [] };
    for (const f of files) {
      const r = parseCloudFormation(f);
      out.resources.push(...r.resources);
      out.problems.push(...r.problems);
    }
    return Promise.resolve(out);
  },
};
