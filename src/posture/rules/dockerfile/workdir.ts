/**
 * Working directories: WORKDIR with a relative path (VGL-DOCKER-013) and RUN steps that `cd`
 * to a relative path or one with `.`/`..` segments instead of using WORKDIR (VGL-DOCKER-014).
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { BEST_PRACTICES, dockerRule, nist } from './lib/define.js';
import { runCommands } from './lib/run.js';
import { isDynamic } from './lib/shell.js';
import { instructionPath, stageOf } from './lib/stage.js';

/** `/srv/app`, `C:\app`, `C:/app`, `\app`. */
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p);
}

export const workdirRelative = dockerRule({
  id: 'VGL-DOCKER-013',
  title: 'WORKDIR uses a relative path',
  description: 'A relative WORKDIR is resolved against the previous WORKDIR (possibly set in a base image), so the directory the following instructions run in depends on context that is not visible here.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Use an absolute path in WORKDIR.',
  fix: 'WORKDIR /app',
  references: [`${BEST_PRACTICES}#workdir`],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      const dir = ins.keyword === 'WORKDIR' ? ins.arguments[0] : undefined;
      if (dir !== undefined && !isDynamic(dir) && !isAbsolutePath(dir)) out.push(violation(instructionPath(i), `WORKDIR ${dir} is not an absolute path`));
    });
    return out;
  },
  bad: [{ text: 'FROM alpine:3.19\nWORKDIR /srv\nWORKDIR app\n', lines: [3] }],
  good: ['FROM alpine:3.19\nENV BASE=/srv\nWORKDIR /srv/app\nWORKDIR "/data"\nWORKDIR $BASE/app\nWORKDIR C:\\\\app\n'],
});

/** The directory a `cd` command goes to, when it is relative or not normalised. */
function badCdTarget(args: readonly string[]): string | undefined {
  const target = args.find((a) => !/^-[LPe@]+$/.test(a));
  if (target === undefined || target === '-' || target.startsWith('~') || isDynamic(target)) return undefined;
  const dotted = target.split(/[\\/]/).some((seg) => seg === '.' || seg === '..');
  // The shell reader drops backslashes, so a Windows `C:\app` arrives as `C:app`.
  return (!isAbsolutePath(target) && !/^[A-Za-z]:/.test(target)) || dotted ? target : undefined;
}

export const cdInsteadOfWorkdir = dockerRule({
  id: 'VGL-DOCKER-014',
  title: 'RUN changes to a relative directory with cd',
  description: 'A RUN step uses cd with a relative path (or one climbing with ..): where it lands depends on the current WORKDIR, which makes the step fragile and hard to read. WORKDIR with an absolute path states the directory once for the following instructions.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Set the directory with WORKDIR and an absolute path, or cd to an absolute path inside the RUN step.',
  fix: 'WORKDIR /usr/src/app\nRUN make',
  references: [`${BEST_PRACTICES}#workdir`],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      for (const c of runCommands(ins)) {
        const target = c.name === 'cd' ? badCdTarget(c.args) : undefined;
        if (target !== undefined) {
          out.push(violation(instructionPath(i), `RUN cd ${target}: use WORKDIR with an absolute path`));
          return;
        }
      }
    });
    return out;
  },
  bad: [{ text: 'FROM nginx:1.27\nRUN cd ../share/nginx/html && ls\nRUN cd /usr/../share\nRUN cd build && make\n', lines: [2, 3, 4] }],
  good: ['FROM nginx:1.27\nRUN cd /usr/share/nginx/html && ls\nRUN cd "$HOME" && ls\nWORKDIR /usr/src/app\n'],
});
