/**
 * The commands a RUN instruction executes, read through ./shell.ts: the shell-form text, the
 * exec-form argument list, here-document bodies that the shell runs (`RUN <<EOF`, `RUN bash
 * <<EOF`) and `sh -c '…'` scripts (to a fixed depth). Wrappers such as `sudo`, `env` or
 * `nohup` are stripped so rules see the real command name. Pure, linear per script.
 */
import type { DockerInstruction } from '../../../inputs/dockerfile/index.js';
import { baseName, parseShell, type ShellCommand, type ShellOperator } from './shell.js';

export interface Command {
  /** The command word as written (`/usr/bin/curl`, `$(curl -fsSL …)`). */
  readonly word: string;
  /** Wrapper commands stripped before it (`sudo`, `env`, …), by base name. */
  readonly wrappers: readonly string[];
  /** Base name of the command word after wrappers: `apt-get`, `pip3`, `curl`. */
  readonly name: string;
  /** The words after the command name. */
  readonly args: readonly string[];
  readonly assignments: readonly string[];
  readonly op: ShellOperator | null;
  /** Commands joined by `|` in the same script share a pipeline number. */
  readonly pipeline: number;
  readonly substitutions: readonly string[];
}

/** POSIX-like shells whose `-c` scripts and here-document bodies are shell text. */
export const SHELLS: ReadonlySet<string> = new Set(['sh', 'bash', 'zsh', 'ash', 'dash', 'ksh', 'mksh']);

const MAX_DEPTH = 3;

/** A list of commands and the shell that runs them. */
export interface RunScript {
  readonly commands: readonly Command[];
  /**
   * `default`: the instruction's SHELL (shell-form text, `RUN <<EOF` bodies); `none`: the exec
   * form, no shell; else the options of the shell invocation that runs it (`bash -eo pipefail -c`).
   */
  readonly shell: 'default' | 'none' | readonly string[];
}

/** Every rule reads the same RUN steps: each is parsed once (instructions are immutable attrs). */
const PARSED = new WeakMap<DockerInstruction, { readonly scripts: readonly RunScript[]; readonly commands: readonly Command[] }>();

function parsed(ins: DockerInstruction): { readonly scripts: readonly RunScript[]; readonly commands: readonly Command[] } {
  let p = PARSED.get(ins);
  if (p === undefined) {
    const scripts = ins.keyword === 'RUN' ? readScripts(ins) : [];
    p = { scripts, commands: scripts.flatMap((s) => s.commands) };
    PARSED.set(ins, p);
  }
  return p;
}

/** The scripts a RUN instruction runs (the first is the instruction's own text). */
export function runScripts(ins: DockerInstruction): readonly RunScript[] {
  return parsed(ins).scripts;
}

function readScripts(ins: DockerInstruction): RunScript[] {
  const scripts: RunScript[] = [];
  if (ins.exec) {
    const cmd = toCommand({ words: ins.arguments, assignments: [], op: null, pipeline: 0, substitutions: [] });
    if (cmd !== undefined) addScript(scripts, { commands: [cmd], shell: 'none' }, 0);
    return scripts;
  }
  const main = commandsOf(parseShell(ins.args));
  addScript(scripts, { commands: main, shell: 'default' }, 0);
  const first = main[0];
  if (first === undefined || (SHELLS.has(first.name) && shellScript(first.args) === undefined)) {
    for (const h of ins.heredocs ?? []) {
      if (shebangIsShell(h.content)) addScript(scripts, { commands: commandsOf(parseShell(h.content)), shell: first?.args ?? 'default' }, 1);
    }
  }
  return scripts;
}

/** Every command of a RUN instruction, in order, across its scripts. */
export function runCommands(ins: DockerInstruction): readonly Command[] {
  return parsed(ins).commands;
}

function addScript(scripts: RunScript[], script: RunScript, depth: number): void {
  scripts.push(script);
  if (depth >= MAX_DEPTH) return;
  for (const c of script.commands) {
    if (!SHELLS.has(c.name)) continue;
    const text = shellScript(c.args);
    if (text !== undefined) addScript(scripts, { commands: commandsOf(parseShell(text)), shell: c.args }, depth + 1);
  }
}

function commandsOf(list: readonly ShellCommand[]): Command[] {
  return list.flatMap((c) => toCommand(c) ?? []);
}

/** Commands inside a substitution's text (`$(curl …)`), for rules that look into them. */
export function substitutionCommands(text: string): Command[] {
  return commandsOf(parseShell(text));
}

function toCommand(c: ShellCommand): Command | undefined {
  const words = unwrap(c.words);
  if (words.length === 0) return undefined;
  const wrappers = c.words.slice(0, c.words.length - words.length).filter((w) => WRAPPERS[baseName(w)] !== undefined).map(baseName);
  return { wrappers, word: words[0]!, name: baseName(words[0]!), args: words.slice(1), assignments: c.assignments, op: c.op, pipeline: c.pipeline, substitutions: c.substitutions };
}

/** Options of wrapper commands that take a value (`sudo -u user`, `env -u NAME`, `nice -n 5`). */
const WRAPPERS: Readonly<Record<string, { readonly valued: ReadonlySet<string>; readonly operands: number }>> = {
  sudo: { valued: new Set(['-u', '-g', '-h', '-p', '-C', '-D', '-r', '-t', '-T', '-U', '--user', '--group', '--host', '--prompt', '--chdir', '--role', '--type', '--close-from', '--other-user', '--command-timeout']), operands: 0 },
  env: { valued: new Set(['-u', '-C', '-S', '--unset', '--chdir', '--split-string']), operands: 0 },
  nice: { valued: new Set(['-n', '--adjustment']), operands: 0 },
  timeout: { valued: new Set(['-s', '-k', '--signal', '--kill-after']), operands: 1 },
  gosu: { valued: new Set(), operands: 1 },
  'su-exec': { valued: new Set(), operands: 1 },
  exec: { valued: new Set(['-a']), operands: 0 },
  command: { valued: new Set(), operands: 0 },
  nohup: { valued: new Set(), operands: 0 },
  time: { valued: new Set(['-f', '-o', '--format', '--output']), operands: 0 },
  eatmydata: { valued: new Set(), operands: 0 },
  stdbuf: { valued: new Set(['-i', '-o', '-e']), operands: 0 },
};

/** Strips wrapper commands (`sudo -E env FOO=1 apt-get …` → `apt-get …`). */
export function unwrap(words: readonly string[]): readonly string[] {
  let i = 0;
  for (;;) {
    const w = WRAPPERS[baseName(words[i] ?? '')];
    if (w === undefined || i + 1 >= words.length) return words.slice(i);
    i++;
    while (i < words.length) {
      const a = words[i]!;
      if (a === '--') {
        i++;
        break;
      }
      if (w.valued.has(a)) i += 2;
      else if (a.startsWith('-') && a.length > 1) i++;
      else if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(a)) i++;
      else break;
    }
    i += w.operands;
  }
}

/** The `-c` script of a shell's arguments (`-c`, `-ec`, `-o pipefail -c`), else undefined. */
export function shellScript(args: readonly string[]): string | undefined {
  let hasC = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return hasC ? args[i + 1] : undefined;
    if (a === '-o' || a === '+o' || a === '-O' || a === '+O') i++;
    else if ((a.startsWith('-') || a.startsWith('+')) && a.length > 1) hasC ||= a.startsWith('-') && !a.startsWith('--') && a.includes('c');
    else return hasC ? a : undefined;
  }
  return undefined;
}

/** Whether shell options turn pipefail on (`-o pipefail`, `-eo pipefail`) or off (`+o pipefail`); undefined when they do not say. */
export function pipefailOption(args: readonly string[]): boolean | undefined {
  let on: boolean | undefined;
  for (let i = 0; i + 1 < args.length; i++) {
    const a = args[i]!;
    if (args[i + 1] === 'pipefail' && /^[-+][A-Za-z]*o$/.test(a)) on = a.startsWith('-');
  }
  return on;
}

/** A here-document body without a shebang, or with one naming a POSIX-like shell. */
function shebangIsShell(body: string): boolean {
  if (!body.startsWith('#!')) return true;
  const line = body.slice(2, body.indexOf('\n') === -1 ? body.length : body.indexOf('\n')).trim().split(/\s+/);
  const interp = baseName(line[0] ?? '') === 'env' ? (line.find((w, i) => i > 0 && !w.startsWith('-')) ?? '') : baseName(line[0] ?? '');
  return SHELLS.has(baseName(interp));
}
