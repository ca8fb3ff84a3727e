/**
 * Reading a set of recorded-response files (Azure cassettes, GCP flights): the paths given,
 * folders walked for every `*.json` below in name order, a cap on the number of files, and
 * every file that cannot be read reported by path. I/O at the edge; each collector parses the
 * bytes itself.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputProblem } from '../../model.js';

const reasonOf = (err: unknown): string => `cannot read: ${err instanceof Error ? err.message : String(err)}`;

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && e.name.endsWith('.json')) out.push(p);
  }
}

/**
 * Calls `take` with each file's bytes (it returns a problem when the content is bad); returns
 * the problems and how many files were read.
 */
export async function readRecordingFiles(
  paths: readonly string[],
  max: number,
  what: string,
  take: (file: string, bytes: Uint8Array) => InputProblem | undefined,
): Promise<{ problems: InputProblem[]; files: number }> {
  const problems: InputProblem[] = [];
  const files: string[] = [];
  for (const p of paths) {
    try {
      if ((await stat(p)).isDirectory()) await walk(p, files);
      else files.push(p);
    } catch (err) {
      problems.push({ path: p, reason: reasonOf(err) });
    }
  }
  for (const file of files.slice(0, max)) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(file);
    } catch (err) {
      problems.push({ path: file, reason: reasonOf(err) });
      continue;
    }
    const problem = take(file, bytes);
    if (problem !== undefined) problems.push(problem);
  }
  if (files.length > max) problems.push({ path: paths.join(', '), reason: `more than ${max} ${what} files; the rest were not read` });
  return { problems, files: Math.min(files.length, max) };
}
