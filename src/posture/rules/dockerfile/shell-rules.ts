/**
 * How RUN steps use the shell: sudo (VGL-DOCKER-020), pipes whose failures are hidden because
 * pipefail is off (VGL-DOCKER-021) and RUN steps that switch the shell instead of using the
 * SHELL instruction (VGL-DOCKER-022).
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { BEST_PRACTICES, dockerRule, nist } from './lib/define.js';
import { pipefailOption, runCommands, runScripts, SHELLS, type RunScript } from './lib/run.js';
import { baseName } from './lib/shell.js';
import { instructionPath, shellsOf, stageOf } from './lib/stage.js';

export const runSudo = dockerRule({
  id: 'VGL-DOCKER-020',
  title: 'RUN uses sudo',
  description: 'RUN steps already run as the current USER; sudo in them means sudo is installed and configured in the image, a ready privilege-escalation path at run time, and its TTY and environment handling makes builds unpredictable.',
  severity: 'medium',
  frameworks: [nist('AC-6'), nist('CM-7')],
  remediation: 'Switch with USER root before the steps that need root and back to the unprivileged user after them; remove sudo from the image.',
  fix: 'USER root\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nUSER app',
  references: ['https://docs.docker.com/build/building/best-practices/#user'],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      if (runCommands(ins).some((c) => c.name === 'sudo' || c.wrappers.includes('sudo'))) out.push(violation(instructionPath(i), 'RUN uses sudo'));
    });
    return out;
  },
  bad: [{ text: 'FROM ubuntu:24.04\nUSER app\nRUN sudo apt-get install -y curl\n', lines: [3] }],
  good: ['FROM ubuntu:24.04\nRUN apt-get install -y curl\nUSER app\n'],
});

const POWERSHELL = /^(pwsh|powershell)(\.exe)?$/i;

/** The options of the shell running `script`, or undefined when it is not a POSIX-like shell. */
function shellOptions(script: RunScript, shell: readonly string[] | null): readonly string[] | undefined {
  if (script.shell === 'none') return undefined;
  if (script.shell !== 'default') return script.shell;
  const argv = shell ?? ['/bin/sh', '-c'];
  return SHELLS.has(baseName(argv[0] ?? '').toLowerCase()) ? argv.slice(1) : undefined;
}

export const pipeWithoutPipefail = dockerRule({
  id: 'VGL-DOCKER-021',
  title: 'RUN pipe without pipefail',
  description: 'A pipeline\'s exit status is that of its last command, so in `curl … | tar x` a failed download still lets the step (and the build) succeed with a broken result, unless the shell runs with pipefail.',
  severity: 'low',
  frameworks: [nist('CM-6'), nist('SI-7')],
  remediation: 'Set the shell with pipefail before RUN steps with pipes: SHELL ["/bin/bash", "-o", "pipefail", "-c"] (or start the step with set -o pipefail in a shell that supports it).',
  fix: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/a.tar.gz | tar -xz',
  references: ['https://docs.docker.com/build/building/best-practices/#using-pipes'],
  check(r, ctx) {
    const out: Violation[] = [];
    const shells = shellsOf(r, ctx);
    stageOf(r).instructions.forEach((ins, i) => {
      if (ins.keyword !== 'RUN') return;
      const shell = shells[i] ?? null;
      for (const script of runScripts(ins)) {
        const options = shellOptions(script, shell);
        if (options === undefined) continue;
        let on = pipefailOption(options) ?? false;
        for (const c of script.commands) {
          if (c.name === 'set') on = pipefailOption(c.args) ?? on;
          if (c.op === '|' && !on) {
            out.push(violation(instructionPath(i), `RUN pipes into ${c.name} without pipefail`));
            return;
          }
        }
      }
    });
    return out;
  },
  bad: [{ text: 'FROM debian:12\nRUN curl -fsSL https://example.com/a.tar.gz | tar -xz\nRUN bash -c "wget -qO- https://example.com/x | tee /x"\n', lines: [2, 3] }],
  good: [
    'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL https://example.com/a.tar.gz | tar -xz\n',
    'FROM debian:12\nRUN set -eo pipefail; curl -fsSL https://example.com/a.tar.gz | tar -xz\nRUN ["/bin/bash", "./a", "|", "./b"]\nRUN bash -o pipefail -c "a | b"\n',
    'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell", "-Command"]\nRUN Get-ChildItem | Select-Object Name\n',
  ],
});

const SH_PATHS = new Set(['/bin/sh', '/usr/bin/sh']);

export const runChangesShell = dockerRule({
  id: 'VGL-DOCKER-022',
  title: 'RUN switches the shell instead of using SHELL',
  description: 'The step replaces /bin/sh (ln, mv, cp, update-alternatives) or starts PowerShell inside the default shell. Replacing /bin/sh changes every later step and every script in the image behind the reader\'s back; starting another shell per step is slow. The SHELL instruction exists for this.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Use SHELL ["/bin/bash", "-c"] (or SHELL ["powershell", "-Command"]) to choose the shell RUN steps use.',
  fix: 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
  references: ['https://docs.docker.com/reference/dockerfile/#shell', BEST_PRACTICES],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      const scripts = runScripts(ins);
      const first = scripts[0]?.shell === 'default' ? scripts[0].commands[0] : undefined;
      if (first !== undefined && POWERSHELL.test(first.name)) {
        out.push(violation(instructionPath(i), `RUN starts ${first.name}: set it with SHELL instead`));
        return;
      }
      const replaces = scripts.some((s) =>
        s.commands.some(
          (c) =>
            ((c.name === 'ln' || c.name === 'mv' || c.name === 'cp') && SH_PATHS.has(c.args[c.args.length - 1] ?? '')) ||
            (c.name === 'update-alternatives' && c.args.some((a) => SH_PATHS.has(a))),
        ),
      );
      if (replaces) out.push(violation(instructionPath(i), 'RUN replaces /bin/sh: use SHELL instead'));
    });
    return out;
  },
  bad: [{ text: 'FROM debian:12\nRUN ln -sfv /bin/bash /bin/sh\nRUN powershell -command Get-ChildItem\n', lines: [2, 3] }],
  good: ['FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN ln -s /usr/bin/python3 /usr/local/bin/python\nRUN ["powershell", "-command", "Get-ChildItem"]\n'],
});
