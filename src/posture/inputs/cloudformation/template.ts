/**
 * A read template (located tree) → posture resources: one per entry of `Resources`, its
 * `Properties` resolved as far as the template allows (intrinsics.ts) as `attrs`, `lineOf`
 * answered from the resolved tree, inline suppressions from `# vigil:ignore=` comments and
 * from `Metadata: { vigil: { ignore: [...] } }`. A malformed section or resource is a problem
 * with its line; the other resources are still returned. Pure, never throws.
 */
import type { AttrPath, InlineSuppression, InputProblem, Resource, ResourceKind } from '../../model.js';
import { suppressionsFor, type Comment } from '../../suppress/inline.js';
import type { InputResult } from '../types.js';
import { collectRefs, NO_VALUE, Resolver, type ParameterInfo, type TemplateContext } from './intrinsics.js';
import { entry, get, lineAt, map, parameterOrigins, scalarString, text, toPlain, type LEntry, type LNode } from './tree.js';
import type { ReadResult } from './yaml.js';

/** What `Resource.meta` holds for a CloudFormation resource. */
export type CfnResourceMeta = {
  /** The resource's `Condition` name, or null. */
  readonly condition: string | null;
  /** That condition evaluated from parameter defaults: false means the resource is not created. */
  readonly conditionValue: boolean | null;
  readonly dependsOn: readonly string[];
  readonly deletionPolicy: string | null;
  readonly updateReplacePolicy: string | null;
  /** Line of the `Properties` key, or null when the resource has none. */
  readonly propertiesLine: number | null;
  /**
   * Attributes whose value came from parameter defaults (`Ref` or `Fn::Sub`), so a rule can
   * also point at the parameter (its `cfn:Parameter` resource, id `Parameters.<Name>`).
   */
  readonly parameterRefs: readonly { readonly path: AttrPath; readonly parameters: readonly string[] }[];
};

/** The kind of the pseudo-resource each template parameter becomes. */
export const PARAMETER_KIND = 'cfn:Parameter';

export function templateResources(path: string, read: ReadResult): InputResult {
  const problems: InputProblem[] = read.problems.map((p) => ({ path, line: p.line, reason: p.reason }));
  const resources: Resource[] = [];
  const root = read.root;
  if (root === undefined) {
    if (problems.length === 0) problems.push({ path, line: 1, reason: 'template is empty' });
    return { resources, problems };
  }
  if (root.t !== 'map') {
    problems.push({ path, line: root.line, reason: 'a CloudFormation template must be a mapping (with a Resources section)' });
    return { resources, problems };
  }
  const section = (name: string): LNode | undefined => {
    const e = entry(root, name);
    if (e === undefined) return undefined;
    if (e.value.t !== 'map') {
      problems.push({ path, line: e.line, reason: `${name} must be a mapping` });
      return undefined;
    }
    return e.value;
  };
  const parameters = new Map<string, ParameterInfo>();
  const params = section('Parameters');
  if (params?.t === 'map') {
    for (const p of params.entries) {
      parameters.set(p.key, { type: text(get(p.value, 'Type')), default: get(p.value, 'Default') });
      const r = parameterResource(path, p, read.comments);
      if (r === undefined) problems.push({ path, line: p.line, reason: `parameter ${p.key.slice(0, 100)} must be a mapping` });
      else resources.push(r);
    }
  }
  const conditions = new Map<string, LNode>();
  const conds = section('Conditions');
  if (conds?.t === 'map') for (const c of conds.entries) conditions.set(c.key, c.value);
  const mappings = section('Mappings');

  const resEntry = entry(root, 'Resources');
  if (resEntry === undefined) {
    problems.push({ path, line: root.line, reason: 'template has no Resources section' });
    return { resources, problems };
  }
  const res = section('Resources');
  if (res?.t !== 'map') return { resources, problems };

  const ctx: TemplateContext = { parameters, conditions, mappings, resources: new Set(res.entries.map((e) => e.key)) };
  const resolver = new Resolver(ctx);
  for (const e of res.entries) {
    const r = resource(path, e, ctx, resolver, read.comments, problems);
    if (r !== undefined) resources.push(r);
  }
  return { resources, problems };
}

function resource(
  path: string,
  e: LEntry,
  ctx: TemplateContext,
  resolver: Resolver,
  comments: readonly Comment[],
  problems: InputProblem[],
): Resource | undefined {
  const id = e.key;
  const def = e.value;
  if (id.startsWith('Fn::ForEach::')) {
    problems.push({ path, line: e.line, reason: `${id.slice(0, 100)}: Fn::ForEach is not expanded; the resources it generates were not read` });
    return undefined;
  }
  if (def.t !== 'map') {
    problems.push({ path, line: e.line, reason: `resource ${id.slice(0, 100)} must be a mapping` });
    return undefined;
  }
  const type = text(get(def, 'Type'));
  if (type === undefined || type === '') {
    problems.push({ path, line: e.line, reason: `resource ${id.slice(0, 100)} has no Type` });
    return undefined;
  }
  const propsEntry = entry(def, 'Properties');
  let props: LNode = map([], e.line);
  if (propsEntry !== undefined) {
    const r = resolver.resolve(propsEntry.value);
    if (r === NO_VALUE || (r.t === 'scalar' && r.v === null)) props = map([], propsEntry.line);
    else if (r.t !== 'map') problems.push({ path, line: propsEntry.line, reason: `resource ${id.slice(0, 100)}: Properties must be a mapping` });
    else props = r;
  }
  const line = e.line;
  const endLine = Math.max(line, def.end);
  const condition = text(get(def, 'Condition')) ?? null;
  const meta: CfnResourceMeta = {
    condition,
    conditionValue: condition === null ? null : (resolver.condition(condition) ?? null),
    dependsOn: strings(get(def, 'DependsOn')),
    deletionPolicy: scalarString(get(def, 'DeletionPolicy')) ?? null,
    updateReplacePolicy: scalarString(get(def, 'UpdateReplacePolicy')) ?? null,
    propertiesLine: propsEntry?.line ?? null,
    parameterRefs: parameterOrigins(props),
  };
  const suppressions: InlineSuppression[] = [...suppressionsFor(comments, line, endLine), ...metadataIgnores(get(def, 'Metadata'))];
  const propsLine = propsEntry?.line;
  return {
    kind: `cfn:${type}` as ResourceKind,
    input: 'cloudformation',
    provider: type.startsWith('AWS::') ? 'aws' : 'other',
    type,
    id,
    name: id,
    file: path,
    line,
    endLine,
    attrs: toPlain(props) as Record<string, unknown>,
    lineOf: (p: AttrPath): number | undefined => (p.length === 0 ? propsLine : propsEntry === undefined ? undefined : lineAt(props, p)),
    refs: collectRefs(props, ctx.resources, id),
    suppressions,
    meta,
  };
}

/**
 * A template parameter as a pseudo-resource (kind `cfn:Parameter`, id `Parameters.<Name>`,
 * attrs = its definition as written), so rules can check defaults and `NoEcho` and point at
 * the line of the `Default`.
 */
function parameterResource(path: string, p: LEntry, comments: readonly Comment[]): Resource | undefined {
  const def = p.value;
  if (def.t !== 'map') return undefined;
  const endLine = Math.max(p.line, def.end);
  return {
    kind: PARAMETER_KIND,
    input: 'cloudformation',
    provider: 'aws',
    type: 'Parameter',
    id: `Parameters.${p.key}`,
    name: p.key,
    file: path,
    line: p.line,
    endLine,
    attrs: toPlain(def) as Record<string, unknown>,
    lineOf: (q: AttrPath): number | undefined => lineAt(def, q),
    refs: [],
    suppressions: suppressionsFor(comments, p.line, endLine),
    meta: { section: 'Parameters' },
  };
}

function strings(node: LNode | undefined): string[] {
  if (node === undefined) return [];
  if (node.t === 'seq') return node.items.map(scalarString).filter((s): s is string => s !== undefined);
  const s = scalarString(node);
  return s === undefined ? [] : [s];
}

/**
 * `Metadata: { vigil: { ignore: [{ id, reason }] } }` (like cfn-nag's `rules_to_suppress` and
 * Checkov's `skip`); an entry may also be a bare rule id.
 */
export function metadataIgnores(metadata: LNode | undefined): InlineSuppression[] {
  const ignore = get(get(metadata, 'vigil'), 'ignore');
  if (ignore === undefined) return [];
  const items = ignore.t === 'seq' ? ignore.items : [ignore];
  const out: InlineSuppression[] = [];
  for (const item of items) {
    const id = item.t === 'map' ? scalarString(get(item, 'id')) : scalarString(item);
    if (id === undefined || id.trim() === '') continue;
    const reason = item.t === 'map' ? (scalarString(get(item, 'reason')) ?? '') : '';
    out.push({ ruleId: id.trim().slice(0, 100), reason: reason.trim().slice(0, 1000), line: item.line });
  }
  return out;
}
