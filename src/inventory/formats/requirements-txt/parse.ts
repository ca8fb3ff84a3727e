/**
 * pip `requirements*.txt`: a line-based format, read with a hand-written linear tokenizer
 * (lines.ts: continuations and comments; requirement.ts: options and PEP 508 requirements).
 * `-r`/`--requirement` and `-c`/`--constraint` includes are read through `readFile`, relative
 * to the including file; a missing file is an error problem, a cycle a warning. Names are
 * PEP 503-normalised (as osv-scanner reports them); the version is the pinned one (`==`/`===`),
 * else the lower bound of `>=`/`~=` (as osv-scanner and osv-scalibr do), else '' — the
 * specifier as written is kept in `properties.specifier`. `groups` are the names of the files
 * (without extension) that list the package; the same name and version listed twice is one
 * package. The format says nothing about direct/transitive or dev/prod.
 */
import { posix } from 'node:path';
import type { ReaderInput } from '../../reader.js';
import type { ReadResult } from '../../model.js';
import { addGroup, draft, PypiResultBuilder, type PypiDraft } from '../pypi-shared/build.js';
import { parseHashString } from '../pypi-shared/hashes.js';
import { normalizePypiName } from '../pypi-shared/names.js';
import { logicalLines } from './lines.js';
import { classifyLine, type Requirement } from './requirement.js';

export const READER_ID = 'requirements-txt';

/** Include nesting and file-count limits (a visited set already stops cycles). */
const MAX_INCLUDE_DEPTH = 32;
const MAX_FILES = 512;
const MAX_CHARS = 16 * 1024 * 1024;

const INCLUDES: Readonly<Record<string, 'requirement' | 'constraint'>> = {
  '-r': 'requirement',
  '--requirement': 'requirement',
  '-c': 'constraint',
  '--constraint': 'constraint',
};
const EDITABLE = new Set(['-e', '--editable']);

interface State {
  readonly out: PypiResultBuilder;
  readonly readFile: ReaderInput['readFile'];
  readonly byKey: Map<string, number>;
  readonly visited: Set<string>;
  readonly stack: string[];
}

export function parseRequirementsTxt(input: ReaderInput): ReadResult {
  if (input.text.length > MAX_CHARS) return PypiResultBuilder.failure(READER_ID, input.path, `file is ${input.text.length} characters, over the ${MAX_CHARS} limit`);
  const root = posix.normalize(input.path);
  const state: State = { out: new PypiResultBuilder(READER_ID, input.path), readFile: input.readFile, byKey: new Map(), visited: new Set([root]), stack: [] };
  readOne(state, input.path, input.text, false);
  return state.out.finish();
}

/** File name without directory and extension: osv-scanner's dependency group for a requirements file. */
export function groupOf(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function readOne(state: State, file: string, text: string, constraint: boolean): void {
  const { out } = state;
  state.stack.push(posix.normalize(file));
  const group = groupOf(file);
  for (const { text: line, line: lineNo } of logicalLines(text)) {
    let parsed = classifyLine(line);
    let editable = false;
    if (parsed.kind === 'option') {
      const include = INCLUDES[parsed.name];
      if (include !== undefined) {
        follow(state, file, lineNo, parsed.name, parsed.value, constraint || include === 'constraint');
        continue;
      }
      if (!EDITABLE.has(parsed.name)) continue; // global options (--index-url, --hash-less flags …) carry no package
      if (parsed.value === '') {
        out.problem(`${parsed.name} without a target`, lineNo, 'error', file);
        continue;
      }
      parsed = classifyLine(parsed.value);
      editable = true;
      if (parsed.kind === 'option') {
        out.problem(`${line.slice(0, 80)}: expected a path or URL after -e`, lineNo, 'error', file);
        continue;
      }
    }
    switch (parsed.kind) {
      case 'requirement':
        add(state, parsed.req, { file, line: lineNo, group, editable, constraint });
        break;
      case 'unnamed':
        out.problem(`${JSON.stringify(parsed.target.slice(0, 120))} is a path or URL without a package name (#egg=…): not listed`, lineNo, 'warning', file);
        break;
      case 'invalid':
        out.problem(parsed.reason, lineNo, 'error', file);
        break;
    }
  }
  state.stack.pop();
}

function add(state: State, req: Requirement, at: { file: string; line: number; group: string; editable: boolean; constraint: boolean }): void {
  const name = normalizePypiName(req.name);
  const key = `${name}@${req.version}`;
  let index = state.byKey.get(key);
  if (index === undefined) {
    index = state.out.add(
      draft({
        name,
        version: req.version,
        file: at.file,
        line: at.line,
        commit: req.commit,
        vcsUrl: req.vcsUrl,
        properties: {
          specifier: req.specifier,
          marker: req.marker,
          extras: req.extras.join(','),
          sourceUrl: req.url,
          ref: req.ref,
          editable: at.editable ? 'true' : undefined,
          constraint: at.constraint ? 'true' : undefined,
        },
      }),
    );
    state.byKey.set(key, index);
  }
  const d: PypiDraft = state.out.drafts[index]!;
  addGroup(d.groups, at.group);
  for (const h of req.hashes) {
    const hash = parseHashString(h);
    if (hash) d.hashes.add(hash);
    else state.out.problem(`${name}: unrecognised hash ${JSON.stringify(h.slice(0, 80))}`, at.line, 'warning', at.file);
  }
}

/** `-r` / `-c`: read the named file relative to the including one, at most once. */
function follow(state: State, from: string, line: number, option: string, target: string, constraint: boolean): void {
  const { out } = state;
  const fail = (why: string): void => out.problem(`${option} ${target}: ${why}`, line, 'error', from);
  if (target === '') return fail('no file named');
  if (target.includes('://')) return fail('remote requirements files are not fetched');
  if (target.startsWith('/') || /^[A-Za-z]:[\\/]/.test(target)) return fail('absolute paths are not followed');
  const path = posix.normalize(posix.join(posix.dirname(from), target.replaceAll('\\', '/')));
  if (state.stack.includes(path)) {
    out.problem(`${option} ${target}: include cycle (${path} is already being read), not read again`, line, 'warning', from);
    return;
  }
  if (state.visited.has(path)) return; // read already through another include
  if (state.stack.length >= MAX_INCLUDE_DEPTH) return fail(`includes nested deeper than ${MAX_INCLUDE_DEPTH} levels`);
  if (state.visited.size >= MAX_FILES) return fail(`more than ${MAX_FILES} requirements files included`);
  if (!state.readFile) return fail('the file cannot be read here (no access to other files)');
  const text = state.readFile(path);
  if (text === undefined) return fail(`file not found or not readable (${path})`);
  if (text.length > MAX_CHARS) return fail(`file is ${text.length} characters, over the ${MAX_CHARS} limit`);
  state.visited.add(path);
  readOne(state, path, text, constraint);
}
