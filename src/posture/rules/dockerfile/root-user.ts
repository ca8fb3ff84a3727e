/**
 * VGL-DOCKER-001: the image runs as root. The final stage's last USER (or, when it sets none,
 * the USER of the stages it is built FROM) decides the user the container starts as; without
 * one the image's default applies, which for nearly every base image is root.
 */
import { violation } from '../../rule.js';
import { BEST_PRACTICES, cis, csf, dockerRule, iso, nist, soc2 } from './lib/define.js';
import { isDynamic } from './lib/shell.js';
import { lineage, stageOf } from './lib/stage.js';

/** `root`, `0`, `root:root`, `0:0` (the user part decides). */
export function isRootUser(user: string): boolean {
  const name = (user.trim().split(/\s+/)[0] ?? '').split(':')[0]!;
  return name === 'root' || /^0+$/.test(name);
}

export const rootUser = dockerRule({
  id: 'VGL-DOCKER-001',
  title: 'Image runs as root',
  description:
    'The final stage sets no USER, or its last USER is root (0). The container then starts as root unless the runtime overrides it, so a compromise of the process is a compromise of root in the container, one step from the host.',
  severity: 'high',
  service: 'image',
  frameworks: [cis('4.1'), nist('AC-6'), nist('CM-6'), csf('PR.AA-05'), iso('A.8.2'), soc2('CC6.1')],
  remediation: 'Create an unprivileged user in the image and switch to it with USER (a numeric UID works in images without /etc/passwd) after the steps that need root.',
  fix: 'RUN addgroup -S app && adduser -S -G app app\nUSER app',
  references: [`${BEST_PRACTICES}#user`, 'https://docs.docker.com/reference/dockerfile/#user'],
  check(r, ctx) {
    if (!stageOf(r).meta.final) return [];
    for (const [k, stage] of lineage(r, ctx).entries()) {
      const user = stageOf(stage).user;
      if (user === null) continue;
      if (isDynamic(user) || !isRootUser(user)) return [];
      return [
        k === 0
          ? violation(['user'], `the last USER is "${user}": the container runs as root`)
          : violation(['from'], `the image inherits USER "${user}" from stage "${stage.name}": the container runs as root`),
      ];
    }
    return [violation(['user'], 'no USER instruction in the final stage: the container runs as root')];
  },
  bad: [
    { text: 'FROM alpine:3.19\nUSER root\nRUN apk add --no-cache curl\n', lines: [2] },
    { text: 'FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.19\nCOPY --from=build /app /app\nCMD ["/app"]\n', lines: [4] },
    { text: 'FROM debian:12 AS base\nUSER 0:0\n\nFROM base\nCMD ["bash"]\n', lines: [4] },
  ],
  good: [
    'FROM alpine:3.19\nRUN adduser -S app\nUSER app\nCMD ["sh"]\n',
    'FROM debian:12 AS base\nRUN useradd app\nUSER app\n\nFROM base\nCMD ["bash"]\n',
    'FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=build /app /app\nUSER 65532:65532\n',
    'FROM alpine:3.19\nARG APP_UID\nUSER ${APP_UID}\n',
  ],
});
