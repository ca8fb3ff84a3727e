/**
 * COPY and ADD: remote sources fetched by ADD without a checksum (VGL-DOCKER-003), ADD where
 * COPY would do (VGL-DOCKER-007), files handed to a non-root owner with --chown
 * (VGL-DOCKER-008) and several sources copied to a destination that is not a directory
 * (VGL-DOCKER-009). Sources are classified after substituting the stage's known ARG/ENV values.
 */
import { substitute } from '../../inputs/dockerfile/image.js';
import type { DockerInstruction } from '../../inputs/dockerfile/index.js';
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { isRootUser } from './root-user.js';
import { BEST_PRACTICES, cis, csf, dockerRule, nist, soc2 } from './lib/define.js';
import { instructionPath, knownVariables, stageOf, type StageView } from './lib/stage.js';

export type SourceKind = 'url' | 'archive' | 'heredoc' | 'local';

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
/** Formats ADD unpacks (BuildKit detects tar with identity, gzip, bzip2, xz or zstd compression). */
const ARCHIVE = /\.(tar|tgz|taz|tbz|tbz2|tb2|txz|tzst|gz|bz2|xz|zst|lz4)$/i;

export function sourceKind(source: string, vars: ReadonlyMap<string, string | null>): SourceKind {
  if (source.startsWith('<<')) return 'heredoc';
  const { value } = substitute(source, vars);
  if (URL_SCHEME.test(value) || /^git@[^:/]+:/.test(value)) return 'url';
  if (ARCHIVE.test(value)) return 'archive';
  return 'local';
}

/** The sources and destination of a COPY/ADD (exec or shell form), or undefined without both. */
function operands(ins: DockerInstruction): { sources: readonly string[]; dest: string } | undefined {
  const a = ins.arguments;
  if (a.length < 2) return undefined;
  return { sources: a.slice(0, -1), dest: a[a.length - 1]! };
}

function eachCopy(s: StageView, keywords: readonly string[], fn: (ins: DockerInstruction, i: number) => Violation | undefined): Violation[] {
  const out: Violation[] = [];
  s.instructions.forEach((ins, i) => {
    if (!keywords.includes(ins.keyword)) return;
    const v = fn(ins, i);
    if (v !== undefined) out.push(v);
  });
  return out;
}

export const addRemoteUrl = dockerRule({
  id: 'VGL-DOCKER-003',
  title: 'ADD downloads a remote URL without a checksum',
  description:
    'ADD fetches a URL at build time and puts whatever the server returns into the image, with no integrity check: a compromised or hijacked server, or a changed file, silently changes the image.',
  severity: 'medium',
  service: 'supply-chain',
  frameworks: [cis('4.9'), nist('SI-7'), nist('SR-11'), csf('ID.RA-09'), soc2('CC6.8')],
  remediation: 'Pin the download with ADD --checksum=sha256:<digest> (BuildKit), or download in a RUN step and verify the checksum or signature before use.',
  fix: 'ADD --checksum=sha256:<digest> https://example.com/tool.tar.gz /tmp/',
  references: ['https://docs.docker.com/reference/dockerfile/#add---checksum', `${BEST_PRACTICES}#add-or-copy`],
  check(r) {
    const s = stageOf(r);
    const vars = knownVariables(s);
    return eachCopy(s, ['ADD'], (ins, i) => {
      if (ins.flags['checksum'] !== undefined) return undefined;
      const url = (operands(ins)?.sources ?? []).find((src) => sourceKind(src, vars) === 'url');
      return url === undefined ? undefined : violation(instructionPath(i), `ADD downloads ${url} without --checksum`);
    });
  },
  bad: [
    { text: 'FROM alpine:3.19\nADD https://example.com/install.sh /tmp/install.sh\nRUN sh /tmp/install.sh\n', lines: [2] },
    { text: 'FROM alpine:3.19\nARG URL=https://example.com/tool.tar.gz\nADD $URL /opt/\n', lines: [3] },
  ],
  good: [
    'FROM alpine:3.19\nADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://example.com/tool.tar.gz /opt/\n',
    'FROM alpine:3.19\nADD rootfs.tar.gz /\n',
  ],
});

export const addInsteadOfCopy = dockerRule({
  id: 'VGL-DOCKER-007',
  title: 'ADD used where COPY would do',
  description:
    'ADD copies local files here without using its extra behaviour (downloading URLs, unpacking archives). Those implicit behaviours make ADD harder to reason about; COPY does only what it says.',
  severity: 'low',
  frameworks: [cis('4.9'), nist('CM-7')],
  remediation: 'Use COPY for local files and directories; keep ADD for unpacking a local archive or a checksummed download.',
  fix: 'COPY app.jar /app/app.jar',
  references: [`${BEST_PRACTICES}#add-or-copy`],
  check(r) {
    const s = stageOf(r);
    const vars = knownVariables(s);
    return eachCopy(s, ['ADD'], (ins, i) => {
      const sources = operands(ins)?.sources ?? [];
      if (sources.length === 0 || !sources.every((src) => sourceKind(src, vars) === 'local')) return undefined;
      return violation(instructionPath(i), `ADD ${sources.join(' ')} copies local files: use COPY`);
    });
  },
  bad: [{ text: 'FROM openjdk:21-jdk\nARG JAR_FILE\nADD ${JAR_FILE} app.jar\nADD config/ /etc/app/\n', lines: [3, 4] }],
  good: [
    'FROM openjdk:21-jdk\nCOPY target/app.jar app.jar\nADD rootfs.tar.xz /\nADD https://example.com/a.tar.gz /tmp/\n',
  ],
});

export const chownFlag = dockerRule({
  id: 'VGL-DOCKER-008',
  title: 'COPY or ADD gives files to a non-root owner',
  description:
    'COPY/ADD --chown makes the copied files owned by the user the application runs as, so a compromised process can rewrite its own code and configuration. Files only need to be readable (and executable) by that user; root should own them.',
  severity: 'low',
  frameworks: [nist('AC-6'), nist('CM-6')],
  remediation: 'Drop --chown (files stay owned by root) and grant read/execute permissions with --chmod or the files\' modes; give the runtime user write access only to the directories it must write.',
  fix: 'COPY --chmod=0755 app /app',
  references: ['https://docs.docker.com/reference/dockerfile/#copy---chown---chmod'],
  check(r) {
    return eachCopy(stageOf(r), ['COPY', 'ADD'], (ins, i) => {
      const owner = ins.flags['chown'];
      if (owner === undefined || owner === null || owner.includes('$') || isRootUser(owner)) return undefined;
      return violation(instructionPath(i), `${ins.keyword} --chown=${owner} makes the files owned by ${owner}`);
    });
  },
  bad: [{ text: 'FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=app:app src /app\nUSER app\n', lines: [3] }],
  good: ['FROM python:3.12-slim\nRUN useradd app\nCOPY --chown=root:root src /app\nCOPY src /app\nUSER app\n'],
});

export const copyMultipleToFile = dockerRule({
  id: 'VGL-DOCKER-009',
  title: 'Several sources copied to a destination that is not a directory',
  description: 'When COPY or ADD has more than one source, the destination must be a directory ending in "/"; otherwise the build fails.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'End the destination with a slash.',
  fix: 'COPY package.json yarn.lock /app/',
  references: ['https://docs.docker.com/reference/dockerfile/#destination'],
  check(r) {
    return eachCopy(stageOf(r), ['COPY', 'ADD'], (ins, i) => {
      const ops = operands(ins);
      if (ops === undefined || ops.sources.length < 2 || ops.sources.some((src) => src.startsWith('<<'))) return undefined;
      if (ops.dest.includes('$') || ops.dest.endsWith('/') || ops.dest.endsWith('\\')) return undefined;
      return violation(instructionPath(i), `${ins.keyword} has ${ops.sources.length} sources but destination "${ops.dest}" does not end with "/"`);
    });
  },
  bad: [{ text: 'FROM node:20\nCOPY package.json yarn.lock /app\n', lines: [2] }],
  good: ['FROM node:20\nCOPY package.json yarn.lock /app/\nCOPY package.json /app\nCOPY ["a.txt", "b.txt", "/data/"]\n'],
});
