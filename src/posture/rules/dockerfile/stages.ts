/**
 * Build stages: a hard-coded FROM --platform (VGL-DOCKER-018) and COPY --from naming a stage
 * by its position (VGL-DOCKER-019). A stage name used twice is an input problem (the build
 * rejects it), reported by the Dockerfile input itself.
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { dockerRule, nist } from './lib/define.js';
import { instructionPath, stageOf } from './lib/stage.js';

export const fromPlatform = dockerRule({
  id: 'VGL-DOCKER-018',
  title: 'FROM pins a platform',
  description: 'FROM --platform with a fixed value forces that architecture whatever the build targets, which breaks multi-platform builds or silently runs the image under emulation. Only the automatic $BUILDPLATFORM / $TARGETPLATFORM arguments keep builds portable.',
  severity: 'info',
  frameworks: [nist('CM-6')],
  remediation: 'Remove --platform, or use --platform=$BUILDPLATFORM for cross-compiling build stages; choose the target with docker build --platform.',
  fix: 'FROM --platform=$BUILDPLATFORM golang:1.22 AS build',
  references: ['https://docs.docker.com/reference/dockerfile/#from', 'https://docs.docker.com/build/building/multi-platform/'],
  check(r) {
    const p = stageOf(r).from.platform;
    return p === null || p.includes('$') ? [] : [violation(['from'], `FROM --platform=${p} fixes the platform`)];
  },
  bad: [{ text: 'FROM alpine:3.19\nRUN apk add --no-cache curl\nFROM --platform=linux/arm64 debian:12 AS build\n', lines: [3] }],
  good: ['FROM --platform=$BUILDPLATFORM golang:1.22 AS build\nRUN go build .\nFROM alpine:3.19\n'],
});

export const copyFromIndex = dockerRule({
  id: 'VGL-DOCKER-019',
  title: 'COPY --from refers to a stage by number',
  description: 'COPY --from=<n> names a build stage by its position: inserting or reordering stages silently copies from the wrong one. Named stages keep the reference stable and readable.',
  severity: 'low',
  frameworks: [nist('CM-6')],
  remediation: 'Name the stage (FROM image AS build) and copy with --from=build.',
  fix: 'FROM golang:1.22 AS build\n…\nCOPY --from=build /out/app /app',
  references: ['https://docs.docker.com/build/building/multi-stage/#name-your-build-stages'],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      const from = ins.keyword === 'COPY' || ins.keyword === 'ADD' ? ins.flags['from'] : undefined;
      if (typeof from === 'string' && /^\d+$/.test(from)) out.push(violation(instructionPath(i), `${ins.keyword} --from=${from} refers to a stage by number`));
    });
    return out;
  },
  bad: [{ text: 'FROM golang:1.22\nRUN go build -o /app .\n\nFROM alpine:3.19\nCOPY --from=0 /app /app\n', lines: [5] }],
  good: ['FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM alpine:3.19\nCOPY --from=build /app /app\nCOPY --from=nginx:1.27 /etc/nginx/nginx.conf /etc/\n'],
});
