/**
 * OS package manager hygiene, one rule per manager and concern, built from one table
 * (./lib/packages.ts): commands that would stop at a confirmation prompt, packages installed
 * without a pinned version, the package cache left in the image, and (apt) recommended packages
 * installed too. Prompts and pins are checked in every stage (they break or un-pin the build);
 * caches and extra packages only in stages that end up in the final image.
 */
import type { Resource, Violation } from '../../model.js';
import { violation, type Rule, type RuleContext } from '../../rule.js';
import { BEST_PRACTICES, cis, csf, dockerRule, nist, soc2 } from './lib/define.js';
import { cacheMounts, leavesCache, MANAGERS, packageCommand, prompts, unpinned, type ManagerId, type PackageCommand } from './lib/packages.js';
import { runCommands, type Command } from './lib/run.js';
import { inFinalImage, instructionPath, stageOf } from './lib/stage.js';

type Finder = (commands: readonly Command[], mounts: readonly string[]) => string | undefined;

/** One violation per RUN instruction whose commands `find` reports on. */
function perRun(r: Resource, find: Finder): Violation[] {
  const out: Violation[] = [];
  stageOf(r).instructions.forEach((ins, i) => {
    if (ins.keyword !== 'RUN') return;
    const message = find(runCommands(ins), cacheMounts(ins.flagList));
    if (message !== undefined) out.push(violation(instructionPath(i), message));
  });
  return out;
}

function each(commands: readonly Command[], id: ManagerId, fn: (pc: PackageCommand, at: number) => string | undefined): string | undefined {
  for (const [at, c] of commands.entries()) {
    const pc = packageCommand(c, MANAGERS[id]);
    const m = pc === undefined ? undefined : fn(pc, at);
    if (m !== undefined) return m;
  }
  return undefined;
}

interface Row {
  readonly id: string;
  readonly manager: ManagerId;
  readonly label: string;
  readonly fix: string;
  readonly bad: string;
  readonly badLines: readonly number[];
  readonly good: string;
}

const nonInteractive = (row: Row & { readonly flag: string }): Rule =>
  dockerRule({
    id: row.id,
    title: `${row.label} runs without ${row.flag}`,
    description: `${row.label} asks for confirmation before changing packages. A build has no terminal to answer, so the step fails or, with some versions, hangs.`,
    severity: 'low',
    service: 'packages',
    frameworks: [nist('CM-6')],
    remediation: `Pass ${row.flag} so the command runs unattended.`,
    fix: row.fix,
    references: [BEST_PRACTICES],
    check: (r) => perRun(r, (cs) => each(cs, row.manager, (pc) => (prompts(pc) ? `${row.label} ${pc.subcommand} without ${row.flag}` : undefined))),
    bad: [{ text: row.bad, lines: row.badLines }],
    good: [row.good],
  });

const pinned = (row: Row & { readonly form: string }): Rule =>
  dockerRule({
    id: row.id,
    title: `${row.label} installs packages without a pinned version`,
    description: `Packages installed with ${row.label} without a version get whatever the repository serves at build time: builds are not reproducible and an unreviewed upgrade (or a malicious package) can slip in.`,
    severity: 'medium',
    service: 'packages',
    frameworks: [nist('CM-2'), nist('SI-7'), csf('PR.PS-01'), soc2('CC8.1')],
    remediation: `Pin each package (${row.form}) and update the pins deliberately.`,
    fix: row.fix,
    references: [BEST_PRACTICES],
    check: (r) =>
      perRun(r, (cs) => {
        const names = cs.flatMap((c) => {
          const pc = packageCommand(c, MANAGERS[row.manager]);
          return pc === undefined ? [] : unpinned(pc);
        });
        return names.length === 0 ? undefined : `${row.label} installs ${names.join(', ')} without a pinned version`;
      }),
    bad: [{ text: row.bad, lines: row.badLines }],
    good: [row.good],
  });

const cacheLeft = (row: Row & { readonly clean: string }): Rule =>
  dockerRule({
    id: row.id,
    title: `${row.label} package cache left in the image`,
    description: `The RUN step installs packages with ${row.label} but does not remove the package cache in the same step, so the cache is kept in the layer: a bigger image with stale package metadata.`,
    severity: 'low',
    service: 'packages',
    frameworks: [nist('CM-6')],
    remediation: `${row.clean} at the end of the same RUN step (or use a BuildKit cache mount for the cache directory).`,
    fix: row.fix,
    references: [BEST_PRACTICES],
    check: (r: Resource, ctx: RuleContext) =>
      inFinalImage(r, ctx)
        ? perRun(r, (cs, mounts) =>
            each(cs, row.manager, (pc, at) =>
              pc.manager.install.has(pc.subcommand) && pc.packages.length > 0 && leavesCache(cs, at, pc.manager, mounts)
                ? `${row.label} ${pc.subcommand} without ${row.clean.toLowerCase()} in the same RUN`
                : undefined,
            ),
          )
        : [],
    bad: [{ text: row.bad, lines: row.badLines }],
    good: [row.good],
  });

export const aptNonInteractive = nonInteractive({
  id: 'VGL-DOCKER-025', manager: 'apt', label: 'apt-get', flag: '-y',
  fix: 'RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*',
  bad: 'FROM debian:12\nRUN apt-get update && apt-get install curl\nRUN sudo apt-get -q install git\n', badLines: [2, 3],
  good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apt-get -qq install git && apt-get --assume-yes remove vim\nRUN ["apt-get", "-y", "install", "git"]\n',
});

export const aptUnpinned = pinned({
  id: 'VGL-DOCKER-026', manager: 'apt', label: 'apt-get', form: 'name=version',
  fix: 'RUN apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5',
  bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y \\\n    curl \\\n    git=1:2.39.2-1.1\nRUN ["apt-get", "install", "-y", "python3"]\n', badLines: [2, 5],
  good: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u5 ./local.deb\nRUN apt-get install -y -t bookworm-backports git=1:2.43.0-1~bpo12+1\n',
});

export const aptRecommends = dockerRule({
  id: 'VGL-DOCKER-027',
  title: 'apt-get installs recommended packages',
  description: 'Without --no-install-recommends apt installs every recommended package as well, adding software (and vulnerabilities) the image does not need.',
  severity: 'low',
  service: 'packages',
  frameworks: [cis('4.3'), nist('CM-7')],
  remediation: 'Add --no-install-recommends to apt-get install (and list what is really needed).',
  fix: 'RUN apt-get install -y --no-install-recommends curl',
  references: [BEST_PRACTICES],
  check: (r, ctx) =>
    inFinalImage(r, ctx)
      ? perRun(r, (cs) =>
          each(cs, 'apt', (pc) => {
            if (pc.subcommand !== 'install' || pc.packages.length === 0) return undefined;
            const opts = pc.options;
            const off = opts.includes('--no-install-recommends') || opts.some((o, i) => (o === '-o' || o === '--option') && /^APT::Install-Recommends=(false|0|no)$/i.test(opts[i + 1] ?? ''));
            return off ? undefined : 'apt-get install without --no-install-recommends';
          }),
        )
      : [],
  bad: [{ text: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n', lines: [2] }],
  good: ['FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends curl\nRUN apt-get install -y -o APT::Install-Recommends=false git\n'],
});

export const aptListsLeft = cacheLeft({
  id: 'VGL-DOCKER-028', manager: 'apt', label: 'apt-get', clean: 'Remove /var/lib/apt/lists/*',
  fix: 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*',
  bad: 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n', badLines: [2],
  good: 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\n\nFROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y git\n',
});

export const dnfNonInteractive = nonInteractive({
  id: 'VGL-DOCKER-029', manager: 'dnf', label: 'dnf', flag: '-y',
  fix: 'RUN dnf install -y httpd-2.4.57 && dnf clean all',
  bad: 'FROM fedora:40\nRUN set -uex && \\\n    dnf install httpd && \\\n    dnf clean all\nRUN dnf in git\n', badLines: [2, 5],
  good: 'FROM fedora:40\nRUN dnf install -y httpd && dnf clean all\nRUN dnf --assumeyes upgrade\nRUN microdnf install -y git\n',
});

export const dnfUnpinned = pinned({
  id: 'VGL-DOCKER-030', manager: 'dnf', label: 'dnf', form: 'name-version',
  fix: 'RUN dnf install -y httpd-2.4.57 && dnf clean all',
  bad: 'FROM fedora:40\nRUN dnf -y update && dnf -y install httpd && dnf clean all\nRUN ["dnf", "install", "java-17-openjdk"]\n', badLines: [2, 3],
  good: 'FROM fedora:40\nRUN dnf -y install httpd-2.4.57 openssl-libs-1:3.2.2-9.fc40 ./local.rpm @development-tools && dnf clean all\n',
});

export const dnfCacheLeft = cacheLeft({
  id: 'VGL-DOCKER-031', manager: 'dnf', label: 'dnf', clean: 'Run dnf clean all',
  fix: 'RUN dnf install -y httpd-2.4.57 && dnf clean all',
  bad: 'FROM fedora:40\nRUN set -uex && \\\n    dnf install -vy docker-ce\n', badLines: [2],
  good: 'FROM fedora:40 AS build\nRUN dnf install -y gcc\n\nFROM fedora:40\nRUN dnf install -y httpd && dnf clean all\nRUN microdnf install -y git && microdnf clean all\n',
});

export const yumNonInteractive = nonInteractive({
  id: 'VGL-DOCKER-032', manager: 'yum', label: 'yum', flag: '-y',
  fix: 'RUN yum install -y httpd-2.4.6 && yum clean all',
  bad: 'FROM centos:7\nRUN yum install httpd && yum clean all\n', badLines: [2],
  good: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\nRUN yum -y groupinstall "Development Tools"\n',
});

export const yumUnpinned = pinned({
  id: 'VGL-DOCKER-033', manager: 'yum', label: 'yum', form: 'name-version',
  fix: 'RUN yum install -y httpd-2.4.6 && yum clean all',
  bad: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\nRUN ["yum", "install", "httpd"]\n', badLines: [2, 3],
  good: 'FROM centos:7\nENV PKG_VERSION=2.4.0\nRUN yum install -y httpd-2.4.6 rethinkdb-$PKG_VERSION && yum clean all\n',
});

export const yumCacheLeft = cacheLeft({
  id: 'VGL-DOCKER-034', manager: 'yum', label: 'yum', clean: 'Run yum clean all',
  fix: 'RUN yum install -y httpd-2.4.6 && yum clean all',
  bad: 'FROM centos:7\nRUN yum install -y httpd\n', badLines: [2],
  good: 'FROM centos:7\nRUN yum install -y httpd && yum clean all\nRUN yum install -y git && rm -rf /var/cache/yum\n',
});

export const zypperNonInteractive = nonInteractive({
  id: 'VGL-DOCKER-035', manager: 'zypper', label: 'zypper', flag: '--non-interactive (-n) or -y',
  fix: 'RUN zypper --non-interactive install httpd=2.4.58 && zypper clean --all',
  bad: 'FROM opensuse/leap:15.6\nRUN zypper install httpd && zypper clean\n', badLines: [2],
  good: 'FROM opensuse/leap:15.6\nRUN zypper install -y httpd && zypper clean\nRUN zypper -n in git && zypper clean\nRUN zypper refresh\n',
});

export const zypperUnpinned = pinned({
  id: 'VGL-DOCKER-036', manager: 'zypper', label: 'zypper', form: 'name=version',
  fix: 'RUN zypper --non-interactive install httpd=2.4.58 && zypper clean --all',
  bad: 'FROM opensuse/leap:15.6\nRUN zypper install -y httpd && zypper clean\n', badLines: [2],
  good: 'FROM opensuse/leap:15.6\nRUN zypper install -y httpd=2.4.58 "git>=2.43" && zypper clean\n',
});

export const zypperCacheLeft = cacheLeft({
  id: 'VGL-DOCKER-037', manager: 'zypper', label: 'zypper', clean: 'Run zypper clean --all',
  fix: 'RUN zypper --non-interactive install httpd=2.4.58 && zypper clean --all',
  bad: 'FROM opensuse/leap:15.6\nRUN zypper -n install httpd=2.4.58\n', badLines: [2],
  good: 'FROM opensuse/leap:15.6\nRUN zypper -n install httpd=2.4.58 && zypper clean --all\n',
});

export const apkUnpinned = pinned({
  id: 'VGL-DOCKER-038', manager: 'apk', label: 'apk', form: 'name=version',
  fix: 'RUN apk add --no-cache curl=8.5.0-r0',
  bad: 'FROM alpine:3.19\nRUN apk add --no-cache curl\nRUN apk add --no-cache --virtual .build-deps gcc=13.2.1_git20231014-r0 musl-dev\n', badLines: [2, 3],
  good: 'FROM alpine:3.19\nRUN apk add --no-cache curl=8.5.0-r0 --virtual .build-deps "git~2.43"\n',
});

export const apkCacheLeft = cacheLeft({
  id: 'VGL-DOCKER-039', manager: 'apk', label: 'apk', clean: 'Use apk add --no-cache (or remove /var/cache/apk/*)',
  fix: 'RUN apk add --no-cache curl=8.5.0-r0',
  bad: 'FROM alpine:3.19\nRUN apk update && apk add curl=8.5.0-r0\n', badLines: [2],
  good: 'FROM alpine:3.19\nRUN apk add --no-cache curl=8.5.0-r0\nRUN apk add git=2.43.0-r0 && rm -rf /var/cache/apk/*\nRUN --mount=type=cache,target=/var/cache/apk apk add vim=9.0.2127-r0\n',
});

export const packageRules: readonly Rule[] = [
  aptNonInteractive, aptUnpinned, aptRecommends, aptListsLeft,
  dnfNonInteractive, dnfUnpinned, dnfCacheLeft,
  yumNonInteractive, yumUnpinned, yumCacheLeft,
  zypperNonInteractive, zypperUnpinned, zypperCacheLeft,
  apkUnpinned, apkCacheLeft,
];
