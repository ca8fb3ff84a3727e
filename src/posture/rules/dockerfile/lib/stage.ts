/**
 * Typed access to a `docker:stage` resource (see src/posture/inputs/dockerfile/parse.ts) and
 * the relations between stages rules need: the stage a stage is built FROM, its ancestry, and
 * whether a stage's filesystem and settings end up in the image `docker build` produces (the
 * final stage and the stages it is built from; a stage only copied from with `COPY --from`
 * does not). Pure.
 */
import type { DockerFrom, DockerInstruction, DockerStageMeta } from '../../../inputs/dockerfile/index.js';
import type { AttrPath, Resource } from '../../../model.js';
import type { RuleContext } from '../../../rule.js';

export interface StageView {
  readonly from: DockerFrom;
  readonly instructions: readonly DockerInstruction[];
  readonly user: string | null;
  readonly healthcheck: 'cmd' | 'none' | null;
  readonly env: Readonly<Record<string, string | null>>;
  readonly args: Readonly<Record<string, string | null>>;
  readonly globalArgs: Readonly<Record<string, string | null>>;
  readonly expose: readonly string[];
  readonly meta: DockerStageMeta;
}

const NO_FROM: DockerFrom = { raw: '', image: null, tag: null, digest: null, platform: null, as: null, stage: null, unresolved: false };

const record = (v: unknown): Record<string, string | null> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, string | null>) : {});
const array = <T>(v: unknown): readonly T[] => (Array.isArray(v) ? (v as T[]) : []);

export function stageOf(r: Resource): StageView {
  const a = r.attrs;
  const meta = (r.meta ?? {}) as Partial<DockerStageMeta>;
  const hc = a['healthcheck'];
  return {
    from: typeof a['from'] === 'object' && a['from'] !== null ? (a['from'] as DockerFrom) : NO_FROM,
    instructions: array<DockerInstruction>(a['instructions']),
    user: typeof a['user'] === 'string' ? a['user'] : null,
    healthcheck: hc === 'cmd' || hc === 'none' ? hc : null,
    env: record(a['env']),
    args: record(a['args']),
    globalArgs: record(a['globalArgs']),
    expose: array<string>(a['expose']),
    meta: { index: meta.index ?? 0, final: meta.final ?? true, stageNames: meta.stageNames ?? [] },
  };
}

export const instructionPath = (i: number): AttrPath => ['instructions', i];

/** The earlier stage this stage is built FROM, if any. */
export function parentOf(r: Resource, ctx: RuleContext): Resource | undefined {
  const ref = r.refs[0];
  const parent = ref === undefined ? undefined : ctx.byId(ref);
  return parent?.kind === 'docker:stage' ? parent : undefined;
}

/** The stage and the stages it is built from, nearest first. */
export function lineage(r: Resource, ctx: RuleContext): Resource[] {
  const out: Resource[] = [r];
  const seen = new Set([r.id]);
  for (let p = parentOf(r, ctx); p !== undefined && !seen.has(p.id); p = parentOf(p, ctx)) {
    out.push(p);
    seen.add(p.id);
  }
  return out;
}

/** Per-scan facts computed once per rule context (linear in the number of stages). */
interface Facts {
  /** The final stage of each file and the stages it is built from. */
  readonly finalImage: ReadonlySet<Resource>;
  /** The last SHELL set in a stage or the stages it is built from (null: the default). */
  readonly lastShell: Map<Resource, readonly string[] | null>;
}

const FACTS = new WeakMap<RuleContext, Facts>();

function facts(ctx: RuleContext): Facts {
  let f = FACTS.get(ctx);
  if (f === undefined) {
    const finalImage = new Set<Resource>();
    for (const s of ctx.byKind('docker:stage')) {
      if (stageOf(s).meta.final) for (const a of lineage(s, ctx)) finalImage.add(a);
    }
    f = { finalImage, lastShell: new Map() };
    FACTS.set(ctx, f);
  }
  return f;
}

/** True when the stage is the final stage or one the final stage is built from. */
export function inFinalImage(r: Resource, ctx: RuleContext): boolean {
  return facts(ctx).finalImage.has(r);
}

function lastShellIn(list: readonly DockerInstruction[], end: number): readonly string[] | undefined {
  for (let i = Math.min(end, list.length) - 1; i >= 0; i--) {
    if (list[i]!.keyword === 'SHELL' && list[i]!.exec) return list[i]!.arguments;
  }
  return undefined;
}

/** The SHELL a stage ends with, inherited from the stages it is built from; memoised, iterative. */
function inheritedShell(r: Resource, ctx: RuleContext): readonly string[] | null {
  const memo = facts(ctx).lastShell;
  const pending: Resource[] = [];
  const seen = new Set<Resource>();
  let found: readonly string[] | null = null;
  for (let s: Resource | undefined = r; s !== undefined; s = parentOf(s, ctx)) {
    const known = memo.get(s);
    if (known !== undefined) {
      found = known;
      break;
    }
    const own = lastShellIn(stageOf(s).instructions, Number.MAX_SAFE_INTEGER);
    if (own !== undefined) {
      memo.set(s, own);
      found = own;
      break;
    }
    if (seen.has(s)) break;
    seen.add(s);
    pending.push(s);
  }
  for (const p of pending) memo.set(p, found);
  return found;
}

/** The SHELL in effect for each instruction of the stage (null for the default /bin/sh -c). */
export function shellsOf(r: Resource, ctx: RuleContext): (readonly string[] | null)[] {
  const parent = parentOf(r, ctx);
  let shell = parent === undefined ? null : inheritedShell(parent, ctx);
  return stageOf(r).instructions.map((ins) => {
    const here = shell;
    if (ins.keyword === 'SHELL' && ins.exec) shell = ins.arguments;
    return here;
  });
}

/** Variables known in the stage (ARG and ENV values set in it), for substituting in paths. */
export function knownVariables(s: StageView): Map<string, string | null> {
  const vars = new Map<string, string | null>();
  for (const [k, v] of Object.entries(s.args)) vars.set(k, v);
  for (const [k, v] of Object.entries(s.env)) vars.set(k, v);
  return vars;
}
