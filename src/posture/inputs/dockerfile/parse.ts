/**
 * Dockerfile → posture resources, one per build stage (kind `docker:stage`), parsed with
 * dockerfile-ast (the parser behind VS Code's Docker language server). Stage attrs hold the
 * FROM line, every other instruction in order, and conveniences rules need (user, healthcheck,
 * env, args, labels, exposed ports). Parser directives and ARGs before the first FROM go into
 * the first stage (`directives`, `globalArgs`). Problems: empty file, no FROM, an instruction
 * other than ARG before the first FROM, unknown instruction, missing arguments, unterminated
 * heredoc, duplicate stage names, huge files and lines. Pure, never throws.
 */
import { DockerfileParser, type Dockerfile, type Instruction, type PropertyInstruction } from 'dockerfile-ast';
import type { AttrPath, InputProblem, Resource } from '../../model.js';
import { suppressionsFor, type Comment } from '../../suppress/inline.js';
import type { InputResult, SourceFile } from '../types.js';
import { splitReference, substitute, type DockerFrom } from './image.js';
import { KEYWORDS, readInstruction, type DockerInstruction } from './instruction.js';

export const DOCKERFILE_LIMITS = {
  /** Largest Dockerfile read (dockerfile-ast takes about 3 µs per character). */
  maxBytes: 1024 * 1024,
  /** Longest line read; a longer one refuses the file. */
  maxLineLength: 64 * 1024,
  maxProblemsPerFile: 50,
} as const;

/** What `Resource.meta` holds for a stage. */
export type DockerStageMeta = {
  /** 0-based position of the stage in the file. */
  readonly index: number;
  /** The last stage (the image `docker build` produces without `--target`). */
  readonly final: boolean;
  /** Every stage's `AS` name, by index (null for an unnamed stage). */
  readonly stageNames: readonly (string | null)[];
};

const NEEDS_ARGUMENTS = new Set([...KEYWORDS].filter((k) => k !== 'FROM'));

interface Stage {
  readonly from: Instruction;
  readonly instructions: Instruction[];
}

export function parseDockerfile(file: SourceFile): InputResult {
  const { path } = file;
  const problems: InputProblem[] = [];
  const fail = (reason: string, line?: number): InputResult => ({ resources: [], problems: [{ path, line, reason }] });
  if (file.text.length > DOCKERFILE_LIMITS.maxBytes) return fail(`file is ${file.text.length} characters, over the ${DOCKERFILE_LIMITS.maxBytes} limit`);
  const text = file.text.startsWith('\uFEFF') ? file.text.slice(1) : file.text;
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) {
    if (i - starts[starts.length - 1]! > DOCKERFILE_LIMITS.maxLineLength) {
      return fail(`line ${starts.length} is longer than ${DOCKERFILE_LIMITS.maxLineLength} characters; file not read`, starts.length);
    }
    starts.push(i + 1);
  }
  if (text.length - starts[starts.length - 1]! > DOCKERFILE_LIMITS.maxLineLength) {
    return fail(`line ${starts.length} is longer than ${DOCKERFILE_LIMITS.maxLineLength} characters; file not read`, starts.length);
  }
  let df: Dockerfile;
  try {
    df = DockerfileParser.parse(text);
  } catch (err) {
    return fail(`Dockerfile could not be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const all = df.getInstructions();
  if (all.length === 0) return fail('Dockerfile is empty (no instructions)', 1);
  const lineOfIns = (i: Instruction): number => i.getRange().start.line + 1;
  const report = (line: number, reason: string): void => {
    if (problems.length < DOCKERFILE_LIMITS.maxProblemsPerFile) problems.push({ path, line, reason });
  };

  const global: Instruction[] = [];
  const stages: Stage[] = [];
  for (const ins of all) {
    const keyword = ins.getKeyword();
    if (keyword === 'FROM') stages.push({ from: ins, instructions: [] });
    else if (stages.length === 0) {
      if (keyword !== 'ARG') report(lineOfIns(ins), `${keyword.slice(0, 40)} before the first FROM (only ARG may come before it)`);
      global.push(ins);
    } else stages[stages.length - 1]!.instructions.push(ins);
    if (!KEYWORDS.has(keyword)) report(lineOfIns(ins), `unknown instruction ${ins.getInstruction().slice(0, 40)}`);
    else if (NEEDS_ARGUMENTS.has(keyword) && (ins.getRawArgumentsContent() ?? '').trim() === '') report(lineOfIns(ins), `${keyword} has no arguments`);
  }
  if (stages.length === 0) {
    report(lineOfIns(all[0]!), 'no FROM instruction');
    return { resources: [], problems };
  }

  const escape = df.getEscapeCharacter();
  const offsetOf = (line: number, character: number): number => (starts[line] ?? text.length) + character;
  const comments: Comment[] = df
    .getComments()
    .map((c) => ({ line: c.getRange().start.line + 1, text: c.getContent() }))
    .sort((a, b) => a.line - b.line);
  const globalArgs = properties(global.filter((i) => i.getKeyword() === 'ARG'));
  const fromData = stages.map((s) => readInstruction(s.from, text, offsetOf, escape));
  const stageNames = fromData.map(stageName);
  const seen = new Map<string, number>();
  stageNames.forEach((n, i) => {
    if (n === null) return;
    const key = n.toLowerCase();
    if (seen.has(key)) report(lineOfIns(stages[i]!.from), `duplicate stage name "${n.slice(0, 100)}"`);
    else seen.set(key, i);
  });

  const resources: Resource[] = stages.map((stage, index) => {
    const earlier = new Map(stageNames.slice(0, index).flatMap((n) => (n === null ? [] : [[n.toLowerCase(), n] as const])));
    const from = readFrom(fromData[index]!, globalArgs.values, earlier);
    if (from.raw === '') report(lineOfIns(stage.from), 'FROM names no image');
    const instructions = stage.instructions.map((i) => readInstruction(i, text, offsetOf, escape));
    stage.instructions.forEach((ins, i) => {
      for (const h of instructions[i]!.heredocs ?? []) {
        if (!h.terminated) report(lineOfIns(ins), `heredoc <<${h.name.slice(0, 40)} is never terminated`);
      }
    });
    const lines = new Map<string, number>();
    const attrs = stageAttrs(stage, instructions, from, lines);
    if (index === 0) {
      attrs['globalArgs'] = globalArgs.record;
      for (const [name, line] of globalArgs.lines) lines.set(key(['globalArgs', name]), line);
      attrs['directives'] = Object.fromEntries(df.getDirectives().map((d) => [d.getName(), d.getValue()]));
      for (const d of df.getDirectives()) lines.set(key(['directives', d.getName()]), d.getRange().start.line + 1);
    }
    const line = lineOfIns(stage.from);
    const last = stage.instructions[stage.instructions.length - 1] ?? stage.from;
    const endLine = last.getRange().end.line + 1;
    const firstLine = index === 0 && global.length > 0 ? lineOfIns(global[0]!) : line;
    const instructionLines = stage.instructions.map(lineOfIns);
    const name = stageNames[index] ?? null;
    const meta: DockerStageMeta = { index, final: index === stages.length - 1, stageNames };
    return {
      kind: 'docker:stage',
      input: 'dockerfile',
      provider: 'docker',
      type: 'stage',
      id: `${path}#${name ?? index}`,
      name: name ?? (from.raw || `stage ${index}`),
      file: path,
      line,
      endLine,
      attrs,
      lineOf: (p: AttrPath): number | undefined => {
        if (p[0] === 'from') return line;
        if (p[0] === 'instructions') return typeof p[1] === 'number' ? instructionLines[p[1]] : undefined;
        return lines.get(key(p.slice(0, 2))) ?? (p.length > 2 ? undefined : lines.get(key(p.slice(0, 1))));
      },
      refs: from.stage === null ? [] : [`${path}#${from.stage}`],
      suppressions: suppressionsFor(comments, firstLine, endLine),
      meta,
    };
  });
  return { resources, problems };
}

const key = (p: AttrPath): string => p.map(String).join('\u0000');

/** The `AS name` of a FROM instruction, or null. */
function stageName(from: DockerInstruction): string | null {
  const words = from.arguments;
  const as = words.findIndex((w, i) => i > 0 && w.toUpperCase() === 'AS');
  return as === -1 ? null : (words[as + 1] ?? null);
}

/** `earlier`: the names of the stages before this one, lower case → as declared. */
function readFrom(ins: DockerInstruction, args: ReadonlyMap<string, string | null>, earlier: ReadonlyMap<string, string>): DockerFrom {
  const raw = ins.arguments[0] ?? '';
  const as = stageName(ins);
  const platform = ins.flags['platform'] ?? null;
  if (raw === '') return { raw, image: null, tag: null, digest: null, platform, as, stage: null, unresolved: false };
  const { value, unresolved } = substitute(raw, args);
  const ref = splitReference(value);
  const stage = ref.tag === null && ref.digest === null ? (earlier.get(ref.image.toLowerCase()) ?? null) : null;
  return { raw, ...ref, platform, as, stage, unresolved };
}

/** Name → value (null when declared without one) of ENV / ARG / LABEL instructions, last wins, with lines. */
function properties(list: readonly Instruction[]): { record: Record<string, string | null>; values: Map<string, string | null>; lines: Map<string, number> } {
  const values = new Map<string, string | null>();
  const lines = new Map<string, number>();
  for (const ins of list) {
    for (const p of (ins as PropertyInstruction).getProperties()) {
      const name = p.getName();
      values.set(name, p.getValue());
      lines.set(name, p.getNameRange().start.line + 1);
    }
  }
  return { record: Object.fromEntries(values), values, lines };
}

function stageAttrs(stage: Stage, instructions: readonly DockerInstruction[], from: DockerFrom, lines: Map<string, number>): Record<string, unknown> {
  const byKeyword = (k: string): Instruction[] => stage.instructions.filter((i) => i.getKeyword() === k);
  const lastOf = (k: string): { ins: Instruction; data: DockerInstruction } | undefined => {
    for (let i = stage.instructions.length - 1; i >= 0; i--) {
      if (stage.instructions[i]!.getKeyword() === k) return { ins: stage.instructions[i]!, data: instructions[i]! };
    }
    return undefined;
  };
  const lineOf = (i: Instruction): number => i.getRange().start.line + 1;
  const user = lastOf('USER');
  const health = lastOf('HEALTHCHECK');
  const workdir = lastOf('WORKDIR');
  if (user) lines.set(key(['user']), lineOf(user.ins));
  if (health) lines.set(key(['healthcheck']), lineOf(health.ins));
  if (workdir) lines.set(key(['workdir']), lineOf(workdir.ins));
  const out: Record<string, unknown> = { from, instructions };
  out['user'] = user ? user.data.args.trim() : null;
  out['healthcheck'] = health ? (health.data.arguments[0]?.toUpperCase() === 'NONE' ? 'none' : 'cmd') : null;
  out['workdir'] = workdir ? workdir.data.args.trim() : null;
  for (const [field, keyword] of [['env', 'ENV'], ['args', 'ARG'], ['labels', 'LABEL']] as const) {
    const p = properties(byKeyword(keyword));
    out[field] = p.record;
    for (const [name, line] of p.lines) lines.set(key([field, name]), line);
  }
  const expose: string[] = [];
  for (const [i, ins] of stage.instructions.entries()) {
    if (ins.getKeyword() !== 'EXPOSE') continue;
    for (const port of instructions[i]!.arguments) {
      lines.set(key(['expose', expose.length]), lineOf(ins));
      expose.push(port);
    }
  }
  out['expose'] = expose;
  return out;
}
