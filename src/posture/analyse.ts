/**
 * Sources in, findings out: route each file to the input that accepts it, parse, run the
 * rules. Pure (text in); the directory walk and file reading live in scan.ts.
 */
import { evaluate, type EngineOptions } from './engine.js';
import { inputFor } from './inputs/registry.js';
import type { InputAdapter, ParseOptions, SourceFile } from './inputs/types.js';
import type { InputProblem, PostureFinding, Resource } from './model.js';
import type { Rule } from './rule.js';

export const HEAD_BYTES = 8192;

export interface Analysis {
  readonly resources: readonly Resource[];
  readonly findings: readonly PostureFinding[];
  readonly problems: readonly InputProblem[];
  /** Files no input reads (not an error in a directory walk). */
  readonly unrecognised: readonly string[];
}

export async function parseSources(
  files: readonly SourceFile[],
  options: ParseOptions = {},
): Promise<{ resources: Resource[]; problems: InputProblem[]; unrecognised: string[] }> {
  const groups = new Map<InputAdapter, SourceFile[]>();
  const unrecognised: string[] = [];
  for (const f of files) {
    const input = inputFor(f.path, f.text.slice(0, HEAD_BYTES));
    if (input === undefined) {
      unrecognised.push(f.path);
      continue;
    }
    let list = groups.get(input);
    if (list === undefined) groups.set(input, (list = []));
    list.push(f);
  }
  const resources: Resource[] = [];
  const problems: InputProblem[] = [];
  for (const [input, group] of groups) {
    try {
      const r = await input.parse(group, options);
      resources.push(...r.resources);
      problems.push(...r.problems);
    } catch (err) {
      // An input must not throw; if one does, every file it was given is reported.
      for (const f of group) problems.push({ path: f.path, reason: `${input.id} input failed: ${(err as Error).message}` });
    }
  }
  return { resources, problems, unrecognised };
}

export async function analyse(
  files: readonly SourceFile[],
  rules: readonly Rule[],
  options: EngineOptions & ParseOptions = {},
): Promise<Analysis> {
  const parsed = await parseSources(files, options);
  const findings = evaluate(parsed.resources, rules, options);
  return { ...parsed, findings };
}
