/**
 * CMD and ENTRYPOINT of the final image (the final stage and the stages it is built from):
 * more than one in a stage (VGL-DOCKER-015, VGL-DOCKER-016; only the last takes effect) and
 * the shell form (VGL-DOCKER-017; the process runs under /bin/sh -c and does not get signals).
 */
import type { Resource, Violation } from '../../model.js';
import { violation, type RuleContext } from '../../rule.js';
import { BEST_PRACTICES, dockerRule, nist } from './lib/define.js';
import { inFinalImage, instructionPath, stageOf } from './lib/stage.js';

function duplicates(keyword: 'CMD' | 'ENTRYPOINT') {
  return (r: Resource, ctx: RuleContext): Violation[] => {
    if (!inFinalImage(r, ctx)) return [];
    const at = stageOf(r).instructions.flatMap((ins, i) => (ins.keyword === keyword ? [i] : []));
    if (at.length < 2) return [];
    const last = r.lineOf(instructionPath(at[at.length - 1]!));
    return [violation(instructionPath(at[0]!), `${at.length} ${keyword} instructions in this stage: only the last${last === undefined ? '' : ` (line ${last})`} takes effect`)];
  };
}

export const multipleCmd = dockerRule({
  id: 'VGL-DOCKER-015',
  title: 'More than one CMD in a stage',
  description: 'Only the last CMD of a stage takes effect; earlier ones are dead code that misleads readers about what the container runs.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Keep a single CMD per stage.',
  fix: 'CMD ["./app"]',
  references: ['https://docs.docker.com/reference/dockerfile/#cmd'],
  check: duplicates('CMD'),
  bad: [{ text: 'FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.19\nCOPY --from=build /app /app\nCMD ["/app"]\nCMD ["/app", "--debug"]\n', lines: [6] }],
  good: ['FROM golang:1.22 AS build\nCMD ["a"]\nCMD ["b"]\n\nFROM alpine:3.19\nCMD ["/app"]\n'],
});

export const multipleEntrypoint = dockerRule({
  id: 'VGL-DOCKER-016',
  title: 'More than one ENTRYPOINT in a stage',
  description: 'Only the last ENTRYPOINT of a stage takes effect; earlier ones are dead code that misleads readers about what the container runs.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Keep a single ENTRYPOINT per stage.',
  fix: 'ENTRYPOINT ["/app"]',
  references: ['https://docs.docker.com/reference/dockerfile/#entrypoint'],
  check: duplicates('ENTRYPOINT'),
  bad: [{ text: 'FROM alpine:3.19\nENTRYPOINT ["/bin/sh"]\nENTRYPOINT ["/app"]\n', lines: [2] }],
  good: ['FROM alpine:3.19\nENTRYPOINT ["/app"]\nCMD ["--help"]\n'],
});

export const shellFormCmd = dockerRule({
  id: 'VGL-DOCKER-017',
  title: 'CMD or ENTRYPOINT in shell form',
  description: 'In shell form the command runs as a child of /bin/sh -c, which does not forward SIGTERM: the application is not told to shut down and is killed after the stop timeout, losing in-flight work.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Write CMD and ENTRYPOINT in exec (JSON array) form; use exec in a wrapper script if a shell is needed.',
  fix: 'CMD ["python", "/usr/src/app/app.py"]',
  references: [`${BEST_PRACTICES}#entrypoint`, 'https://docs.docker.com/reference/dockerfile/#shell-and-exec-form'],
  check(r, ctx) {
    if (!inFinalImage(r, ctx)) return [];
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && !ins.exec) out.push(violation(instructionPath(i), `${ins.keyword} ${ins.args.trim().slice(0, 80)} is in shell form`));
    });
    return out;
  },
  bad: [{ text: 'FROM python:3.12-slim\nCMD [python, /usr/src/app/app.py]\nENTRYPOINT top -b\n', lines: [2, 3] }],
  good: ['FROM python:3.12-slim AS build\nCMD python build.py\n\nFROM python:3.12-slim\nCMD ["python", "/usr/src/app/app.py"]\nENTRYPOINT ["top", "-b"]\n'],
});
