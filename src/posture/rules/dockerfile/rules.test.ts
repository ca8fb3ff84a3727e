/**
 * Dockerfile rules beyond their metadata examples (checked by ../registry.test.ts): multi-stage
 * inheritance, every RUN form, the shapes each check must cover, suppressions, and hostile
 * input. Table-driven: a Dockerfile, a rule, the lines it must fail at.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyse } from '../../analyse.js';
import { evaluate } from '../../engine.js';
import { parseDockerfile } from '../../inputs/dockerfile/index.js';
import { dockerfileRules } from './index.js';

const RULES = new Map(dockerfileRules.map((r) => [r.id, r]));

async function lines(id: string, text: string): Promise<number[]> {
  const rule = RULES.get(id);
  assert.ok(rule !== undefined, `rule ${id}`);
  const a = await analyse([{ path: 'Dockerfile', text }], [rule]);
  assert.deepEqual(a.findings.filter((f) => f.status === 'not-assessed'), [], 'no rule errors');
  return [...new Set(a.findings.filter((f) => f.status === 'fail').map((f) => f.location.line))].sort((x, y) => x - y);
}

type Case = readonly [name: string, id: string, text: string, lines: readonly number[]];

const CASES: readonly Case[] = [
  // VGL-DOCKER-001 root user
  ['USER set in a stage the final stage is built from', 'VGL-DOCKER-001', 'FROM debian:12 AS base\nUSER app\nFROM base AS mid\nRUN true\nFROM mid\nCMD ["x"]\n', []],
  ['USER only in a stage copied from', 'VGL-DOCKER-001', 'FROM debian:12 AS build\nUSER app\nFROM debian:12\nCOPY --from=build /a /a\n', [3]],
  ['final stage switches back to root', 'VGL-DOCKER-001', 'FROM debian:12 AS base\nUSER app\nFROM base\nUSER root\n', [4]],
  ['root by uid with group', 'VGL-DOCKER-001', 'FROM debian:12\nUSER 0:1000\n', [2]],
  ['root then a user', 'VGL-DOCKER-001', 'FROM debian:12\nUSER root\nRUN make\nUSER 1000\n', []],
  ['a FROM scratch final image still runs as uid 0', 'VGL-DOCKER-001', 'FROM scratch\nCOPY app /app\n', [1]],
  ['stage names are case-insensitive', 'VGL-DOCKER-001', 'FROM debian:12 AS Base\nUSER app\nFROM base\n', []],
  // VGL-DOCKER-002 base image
  ['platform flag and no tag', 'VGL-DOCKER-002', 'FROM --platform=$BUILDPLATFORM golang AS build\nFROM build\n', [1]],
  ['registry with a port is not a tag', 'VGL-DOCKER-002', 'FROM registry.example.com:5000/team/app\n', [1]],
  ['registry with a port and a tag', 'VGL-DOCKER-002', 'FROM registry.example.com:5000/team/app:1.2\n', []],
  ['LATEST in capitals', 'VGL-DOCKER-002', 'FROM alpine:LATEST\n', [1]],
  ['tag from a global ARG default', 'VGL-DOCKER-002', 'ARG TAG=latest\nFROM alpine:${TAG}\n', [2]],
  // VGL-DOCKER-003 / 007 ADD
  ['ADD of a git repository', 'VGL-DOCKER-003', 'FROM alpine:3.19\nADD https://github.com/moby/buildkit.git#v0.14.1 /src\n', [2]],
  ['ADD of a local archive is fine for COPY rule', 'VGL-DOCKER-007', 'FROM alpine:3.19\nADD app.tar.gz /opt/\nADD ["a.txt", "/a.txt"]\n', [3]],
  ['ADD here-document', 'VGL-DOCKER-007', 'FROM alpine:3.19\nADD <<EOF /etc/motd\nhello\nEOF\n', []],
  // VGL-DOCKER-004 secrets
  ['secret names, word-wise', 'VGL-DOCKER-004', 'FROM alpine:3.19\nENV MYSQL_ROOT_PASSWORD=x\nENV PASSWORDLESS=1\nENV AWS_SECRET_ACCESS_KEY=y\nENV KEYBOARD=us\nENV PWD=/app\nENV DB_PWD=z\n', [2, 4, 7]],
  ['secret-looking names that point at a secret', 'VGL-DOCKER-004', 'FROM alpine:3.19\nENV API_TOKEN_FILE=/run/secrets/t\nENV TOKEN_URL=https://x\nENV JWT_PUBLIC_KEY=abc\nARG SECRET_NAME=db\n', []],
  ['private key in a value whatever the name', 'VGL-DOCKER-004', 'FROM alpine:3.19\nENV CERT="-----BEGIN RSA PRIVATE KEY-----\\nMIIE"\n', [2]],
  ['global ARG', 'VGL-DOCKER-004', 'ARG NPM_TOKEN\nFROM node:20\n', [1]],
  ['URL credentials only from a literal password', 'VGL-DOCKER-004', 'FROM alpine:3.19\nENV REPO=https://user:$PASS@example.com/\nENV REPO2=https://user@example.com/\n', []],
  // VGL-DOCKER-005 healthcheck
  ['healthcheck only in a stage copied from', 'VGL-DOCKER-005', 'FROM alpine:3.19 AS a\nHEALTHCHECK CMD true\nFROM alpine:3.19\nCOPY --from=a /x /x\n', [3]],
  // VGL-DOCKER-006 pipe to shell
  ['python here-document is not shell', 'VGL-DOCKER-006', 'FROM python:3.12\nRUN <<EOF\n#!/usr/bin/env python3\nimport os  # curl x | sh\nEOF\n', []],
  ['bash here-document is shell', 'VGL-DOCKER-006', 'FROM debian:12\nRUN bash <<EOF\nwget -qO- https://x | sh\nEOF\n', [2]],
  ['exec-form shell script', 'VGL-DOCKER-006', 'FROM debian:12\nRUN ["/bin/bash", "-c", "curl -s https://x | bash"]\n', [2]],
  ['eval and source of a download', 'VGL-DOCKER-006', 'FROM debian:12\nRUN eval "$(curl -s https://x)"\nRUN . <(curl -s https://x)\n', [2, 3]],
  ['download piped to python reading a file', 'VGL-DOCKER-006', 'FROM debian:12\nRUN curl -s https://x | python3 - && echo\nRUN curl -s https://x | python3 parse.py\n', [2]],
  ['echo of a downloaded value', 'VGL-DOCKER-006', 'FROM debian:12\nRUN sh -c "echo $(curl -s https://x/version)"\n', []],
  // VGL-DOCKER-008 / 009 / 019
  ['chown to numeric root', 'VGL-DOCKER-008', 'FROM alpine:3.19\nCOPY --chown=0:0 a /a\nCOPY --chown=1000 b /b\n', [3]],
  ['several sources, variable destination', 'VGL-DOCKER-009', 'FROM alpine:3.19\nARG DEST=/app/\nCOPY a b $DEST\nCOPY --from=build a b /x\n', [4]],
  ['numeric --from on ADD', 'VGL-DOCKER-019', 'FROM alpine:3.19\nFROM alpine:3.19\nADD --from=0 /a /a\nCOPY --from=base /a /a\n', [3]],
  // VGL-DOCKER-010 / 011 ports
  ['port range including 22', 'VGL-DOCKER-010', 'FROM alpine:3.19\nEXPOSE 20-30\nEXPOSE 22/udp\n', [2]],
  ['reversed range', 'VGL-DOCKER-011', 'FROM alpine:3.19\nEXPOSE 90-80\nEXPOSE 70000-80000/udp\n', [2, 3]],
  // VGL-DOCKER-013 / 014 directories
  ['cd inside sh -c and a subshell', 'VGL-DOCKER-014', 'FROM alpine:3.19\nRUN sh -c "cd src && make"\nRUN (cd /opt/x && make)\nRUN cd -P ./build\n', [2, 4]],
  // VGL-DOCKER-015 .. 017 CMD / ENTRYPOINT
  ['CMD duplicates in a stage the final stage is built from', 'VGL-DOCKER-015', 'FROM alpine:3.19 AS base\nCMD ["a"]\nCMD ["b"]\nFROM base\n', [2]],
  ['three CMDs are one finding', 'VGL-DOCKER-015', 'FROM alpine:3.19\nCMD ["a"]\nCMD ["b"]\nCMD ["c"]\n', [2]],
  ['HEALTHCHECK CMD shell form is not CMD', 'VGL-DOCKER-017', 'FROM alpine:3.19\nHEALTHCHECK CMD wget -q localhost || exit 1\nCMD ["a"]\n', []],
  // VGL-DOCKER-018 platform
  ['TARGETPLATFORM variable', 'VGL-DOCKER-018', 'FROM --platform=${TARGETPLATFORM} alpine:3.19\n', []],
  // VGL-DOCKER-020 .. 022 shell
  ['sudo in exec form', 'VGL-DOCKER-020', 'FROM debian:12\nRUN ["sudo", "make", "install"]\n', [2]],
  ['pipefail from a SHELL set in the parent stage', 'VGL-DOCKER-021', 'FROM debian:12 AS base\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nFROM base\nRUN a | b\n', []],
  ['SHELL set after the RUN does not count', 'VGL-DOCKER-021', 'FROM debian:12\nRUN a | b\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN c | d\n', [2]],
  ['set -o pipefail after the pipe does not count', 'VGL-DOCKER-021', 'FROM debian:12\nSHELL ["/bin/bash", "-c"]\nRUN a | b; set -o pipefail\n', [3]],
  ['here-document bodies run by the SHELL', 'VGL-DOCKER-021', 'FROM debian:12\nRUN <<EOF\nset -euo pipefail\na | b\nEOF\nRUN <<EOF\nc | d\nEOF\n', [6]],
  ['pipes inside quotes and substitutions are not pipelines', 'VGL-DOCKER-021', 'FROM debian:12\nRUN echo "a | b" && V=$(c | d) true\n', []],
  ['update-alternatives for sh', 'VGL-DOCKER-022', 'FROM debian:12\nRUN update-alternatives --install /bin/sh sh /bin/bash 100\n', [2]],
  // VGL-DOCKER-023 layers
  ['RUN with different mounts are not merged', 'VGL-DOCKER-023', 'FROM debian:12\nRUN --mount=type=cache,target=/a make\nRUN make install\nCOPY a /x/\nCOPY --chmod=755 b /x/\n', []],
  // VGL-DOCKER-024 update alone
  ['update in one stage, install in another', 'VGL-DOCKER-024', 'FROM debian:12\nRUN apt-get update\nFROM debian:12\nRUN apt-get install -y curl\n', []],
  ['apt and apk are separate indexes', 'VGL-DOCKER-024', 'FROM debian:12\nRUN apk update\nRUN apt-get update && apt-get install -y x\nRUN apk add y\n', [4]],
  ['yum makecache then install', 'VGL-DOCKER-024', 'FROM centos:7\nRUN yum makecache\nRUN yum install -y httpd\n', [3]],
  // package managers
  ['apt-get options with values before the packages', 'VGL-DOCKER-026', 'FROM debian:12\nRUN apt-get -o Dpkg::Options::=--force-confold install -y -t stable curl=1 git\n', [2]],
  ['apt-get packages from a variable', 'VGL-DOCKER-026', 'FROM debian:12\nARG PKGS\nRUN apt-get install -y $PKGS "${EXTRA}"\n', []],
  ['apt-get -y in an env-prefixed sudo call', 'VGL-DOCKER-025', 'FROM debian:12\nRUN DEBIAN_FRONTEND=noninteractive sudo -E apt-get install curl\nRUN apt-get -qqy install git\n', [2]],
  ['apt lists removed in a later RUN still ship', 'VGL-DOCKER-028', 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN rm -rf /var/lib/apt/lists/*\n', [2]],
  ['apt lists in a build stage', 'VGL-DOCKER-028', 'FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM build\nRUN make\n', [2]],
  ['rpm versions and names with digits', 'VGL-DOCKER-030', 'FROM fedora:40\nRUN dnf install -y java-17-openjdk python3-pip xorg-x11-fonts-misc-7.5 zlib-1.2.11-18.el8_5.x86_64\n', [2]],
  ['dnf group install is not pinned', 'VGL-DOCKER-030', 'FROM fedora:40\nRUN dnf group install -y "Development Tools"\n', []],
  ['dnf group install prompts', 'VGL-DOCKER-029', 'FROM fedora:40\nRUN dnf group install "Development Tools"\nRUN dnf group list\n', [2]],
  ['dnf cache mount', 'VGL-DOCKER-031', 'FROM fedora:40\nRUN --mount=type=cache,target=/var/cache/dnf dnf install -y httpd-2.4.57\n', []],
  ['zypper global non-interactive switch', 'VGL-DOCKER-035', 'FROM opensuse/leap:15.6\nRUN zypper --non-interactive install httpd\nRUN zypper -q install git\n', [3]],
  ['apk virtual package name is not a package', 'VGL-DOCKER-038', 'FROM alpine:3.19\nRUN apk add --no-cache -t .deps gcc=13.2.1-r0\n', []],
  ['pip through python -m and uv', 'VGL-DOCKER-040', 'FROM python:3.12\nRUN python3.12 -m pip install flask\nRUN uv pip install --system django==5.0.6\nRUN pip install "git+https://github.com/a/b@v1" -e .\n', [2]],
  ['npm scoped packages and dist-tags', 'VGL-DOCKER-041', 'FROM node:20\nRUN npm install @types/node@20.14.2 typescript@next\nRUN npm ci --omit dev\n', [2]],
  ['gem with --version=', 'VGL-DOCKER-042', 'FROM ruby:3.3\nRUN gem install rails --version=7.1.3\nRUN gem install puma -N\n', [3]],
];

describe('Dockerfile rules', () => {
  for (const [name, id, text, want] of CASES) {
    test(`${id}: ${name}`, async () => {
      assert.deepEqual(await lines(id, text), want);
    });
  }

  test('inline suppressions mark findings as suppressed', async () => {
    const a = await analyse([{ path: 'Dockerfile', text: 'FROM alpine:latest\n# vigil:ignore=VGL-DOCKER-002 pinned by the build system\nRUN true\n' }], [RULES.get('VGL-DOCKER-002')!]);
    assert.deepEqual(a.findings.map((f) => [f.status, f.suppression?.reason]), [['suppressed', 'pinned by the build system']]);
  });

  test('every rule reads empty and odd stages without errors', async () => {
    const texts = ['FROM scratch\n', 'FROM\n', 'ARG X\nFROM ${X}\nRUN\nCOPY\nEXPOSE\nUSER\nWORKDIR\nSHELL not-json\nHEALTHCHECK\n', 'FROM a AS b\nFROM b AS a\n'];
    for (const text of texts) {
      const a = await analyse([{ path: 'Dockerfile', text }], dockerfileRules);
      assert.deepEqual(a.findings.filter((f) => f.message.startsWith('rule error')), [], text);
    }
  });

  test('hostile Dockerfiles: thousands of stages and long RUN steps stay fast', () => {
    const stages = Array.from({ length: 2000 }, (_, i) => `FROM ${i === 0 ? 'alpine:3.19' : `s${i - 1}`} AS s${i}\nRUN apt-get update | tee x\nSHELL ["/bin/sh", "-c"]\n`).join('');
    const longRun = `FROM debian:12\nRUN ${'apt-get install -y a && curl x | sh && \\\n'.repeat(5000)}true\n`;
    const nested = `FROM debian:12\nRUN echo ${'"$('.repeat(3000)}curl x${')"'.repeat(3000)}\n`;
    for (const text of [stages, longRun, nested]) {
      const { resources, problems } = parseDockerfile({ path: 'Dockerfile', text });
      assert.deepEqual(problems, []);
      const start = performance.now();
      const findings = evaluate(resources, dockerfileRules);
      assert.deepEqual(findings.filter((f) => f.message.startsWith('rule error')), []);
      assert.ok(performance.now() - start < 5_000, `took ${Math.round(performance.now() - start)} ms`);
    }
  });
});
