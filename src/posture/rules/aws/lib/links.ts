/**
 * Links between resources for cross-resource checks: the AWS provider v4+ companions of a
 * bucket (`aws_s3_bucket_versioning.bucket = aws_s3_bucket.b.id`), a flow log's VPC, a
 * CloudFormation `BucketPolicy.Bucket: !Ref Bucket`. A companion is linked to its target through
 * one named attribute, so a logging resource whose `target_bucket` is bucket B does not count as
 * B's own logging.
 *
 * Terraform expressions keep the module-local spelling (`${aws_s3_bucket.b.id}` inside module
 * `m`) while ids and refs carry the module path (`module.m.aws_s3_bucket.b`): an expression points
 * at a target of the same module whose local address it mentions. `linked` answers from an index
 * built once per scan and kind, so a rule over n targets and m companions stays linear.
 */
import { isObject } from '../../../attrs.js';
import type { Resource, ResourceKind } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';

/** `module.m[0].aws_s3_bucket.b["x"]` → `module.m.aws_s3_bucket.b`: references carry no instance keys. */
export function baseAddress(id: string): string {
  let out = '';
  let depth = 0;
  for (const ch of id) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0) out += ch;
  }
  return out;
}

/** `module.a.module.b.aws_x.y` → [`module.a.module.b.`, `aws_x.y`]. */
function splitModule(address: string): [string, string] {
  let i = 0;
  while (address.startsWith('module.', i)) {
    const dot = address.indexOf('.', i + 'module.'.length);
    if (dot < 0) break;
    i = dot + 1;
  }
  return [address.slice(0, i), address.slice(i)];
}

const ADDRESS_END = new Set(['.', '[', '}', ')', ',', ' ']);

/** Does the Terraform expression text mention the (module-local) address? */
function mentions(text: string, address: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf(address, from);
    if (i < 0) return false;
    const before = i === 0 ? '' : text[i - 1]!;
    const after = text[i + address.length] ?? '';
    if (!/[\w.]/.test(before) && (after === '' || ADDRESS_END.has(after))) return true;
    from = i + 1;
  }
}

/** What a plan says for a value it does not know yet (terraform-plan input). */
const PLAN_UNKNOWN = '${unknown}';

function values(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [v];
}

/** Does a Terraform expression of `companion` point at the resource with base address `address`? */
function tfExpressionPointsAt(text: string, address: string, companion: Resource): boolean {
  const [prefix, local] = splitModule(address);
  if (splitModule(baseAddress(companion.id))[0] === prefix && mentions(text, local)) return true;
  return text === PLAN_UNKNOWN && companion.refs.some((r) => baseAddress(r) === address);
}

/**
 * Is the value of a Terraform linking attribute (`bucket`, `vpc_id`, …) the target? Either it
 * references the target's address, or it is the literal name the target declares in one of
 * `names` (`bucket = "my-bucket"`). A value the plan does not know (`${unknown}`) falls back to
 * the resource's references.
 */
export function tfPointsAt(value: unknown, target: Resource, companion: Resource, names: readonly string[]): boolean {
  const address = baseAddress(target.id);
  for (const v of values(value)) {
    if (typeof v !== 'string') continue;
    if (v.includes('${')) {
      if (tfExpressionPointsAt(v, address, companion)) return true;
    } else if (names.some((n) => target.attrs[n] === v)) return true;
  }
  return false;
}

/** The logical id a CloudFormation value refers to (`!Ref X`, `!GetAtt X.Y`), if any. */
function cfnTarget(v: unknown): string | undefined {
  if (!isObject(v)) return undefined;
  if (typeof v['Ref'] === 'string') return v['Ref'];
  const g = v['Fn::GetAtt'];
  if (Array.isArray(g) && typeof g[0] === 'string') return g[0];
  if (typeof g === 'string') return g.split('.')[0];
  return undefined;
}

/** Is a CloudFormation value `!Ref Target`, `!GetAtt Target.X` or the literal name in one of `names`? */
export function cfnPointsAt(value: unknown, target: Resource, names: readonly string[]): boolean {
  return values(value).some((v) => cfnTarget(v) === target.id || (typeof v === 'string' && names.some((n) => target.attrs[n] === v)));
}

interface LinkIndex {
  /** Target base address (Terraform) or logical id (CloudFormation) → companions. */
  readonly byTarget: Map<string, Resource[]>;
  /** Literal value of the linking attribute → companions. */
  readonly byLiteral: Map<string, Resource[]>;
}

const INDEXES = new WeakMap<RuleContext, Map<string, LinkIndex>>();

function push(map: Map<string, Resource[]>, key: string, r: Resource): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [r]);
  else if (list[list.length - 1] !== r) list.push(r);
}

function buildIndex(ctx: RuleContext, kind: ResourceKind, attr: string): LinkIndex {
  const index: LinkIndex = { byTarget: new Map(), byLiteral: new Map() };
  for (const c of ctx.byKind(kind)) {
    for (const v of values(c.attrs[attr])) {
      if (typeof v === 'string' && !v.includes('${')) push(index.byLiteral, v, c);
      else if (typeof v === 'string') {
        for (const ref of c.refs) {
          const address = baseAddress(ref);
          if (tfExpressionPointsAt(v, address, c)) push(index.byTarget, address, c);
        }
      } else {
        const id = cfnTarget(v);
        if (id !== undefined) push(index.byTarget, id, c);
      }
    }
  }
  return index;
}

/**
 * Resources of `kind` whose attribute `attr` points at `target` (a reference, or the literal
 * name `target` declares in one of `names`), in source order.
 */
export function linked(ctx: RuleContext, target: Resource, kind: ResourceKind, attr: string, names: readonly string[] = []): Resource[] {
  let perScan = INDEXES.get(ctx);
  if (perScan === undefined) INDEXES.set(ctx, (perScan = new Map<string, LinkIndex>()));
  const key = `${kind}\u0000${attr}`;
  let index = perScan.get(key);
  if (index === undefined) perScan.set(key, (index = buildIndex(ctx, kind, attr)));
  const tfTarget = target.kind.startsWith('tf:');
  const found = new Set(index.byTarget.get(tfTarget ? baseAddress(target.id) : target.id) ?? []);
  for (const n of names) {
    const literal = target.attrs[n];
    if (typeof literal === 'string') for (const c of index.byLiteral.get(literal) ?? []) found.add(c);
  }
  return [...found];
}

const REFERRERS = new WeakMap<RuleContext, Map<string, Resource[]>>();

/**
 * Every resource whose references include `target` (Terraform: by base address, so a counted
 * target `aws_x.y[0]` is found through the `aws_x.y` its referrers name).
 */
export function referencedBy(ctx: RuleContext, target: Resource): readonly Resource[] {
  let index = REFERRERS.get(ctx);
  if (index === undefined) {
    index = new Map<string, Resource[]>();
    for (const r of ctx.resources) for (const ref of new Set(r.refs.map(baseAddress))) push(index, ref, r);
    REFERRERS.set(ctx, index);
  }
  return index.get(target.kind.startsWith('tf:') ? baseAddress(target.id) : target.id) ?? [];
}

/** A call of a public registry module (`terraform-aws-modules/s3-bucket/aws`, any version or host). */
export function isModule(resource: Resource, source: string): boolean {
  if (resource.kind !== 'tf:module') return false;
  const s = resource.meta?.['source'];
  if (typeof s !== 'string') return false;
  const bare = s.replace(/^registry\.terraform\.io\//, '').replace(/\?ref=.*$/, '');
  return bare === source || bare.endsWith(`/${source}`);
}
