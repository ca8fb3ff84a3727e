/**
 * VGL-DOCKER-002: a base image pulled by the `latest` tag or with no tag (which means
 * `latest`). Not for `scratch`, an earlier build stage, a digest-pinned reference or a
 * reference still holding an unresolved build argument.
 */
import { violation } from '../../rule.js';
import { BEST_PRACTICES, cis, csf, dockerRule, iso, nist, soc2 } from './lib/define.js';
import { stageOf } from './lib/stage.js';

export const baseImageLatest = dockerRule({
  id: 'VGL-DOCKER-002',
  title: 'Base image uses the latest tag or no tag',
  description:
    'FROM names an image by the moving `latest` tag (or no tag, which is the same). Each build may get a different base with different packages and vulnerabilities; builds are not reproducible and a compromised or broken upstream push flows straight in.',
  severity: 'medium',
  service: 'image',
  frameworks: [cis('4.2'), nist('CM-2'), nist('SI-7'), csf('PR.PS-01'), iso('A.8.9'), soc2('CC8.1')],
  remediation: 'Name a specific version tag, and preferably pin the digest as well (image:tag@sha256:…), updating it deliberately (e.g. with Renovate or Dependabot).',
  fix: 'FROM python:3.12.4-slim@sha256:<digest>',
  references: [`${BEST_PRACTICES}#pin-base-image-versions`, 'https://docs.docker.com/reference/dockerfile/#from'],
  check(r) {
    const f = stageOf(r).from;
    if (f.stage !== null || f.unresolved || f.image === null || f.digest !== null) return [];
    if (f.image.toLowerCase() === 'scratch') return [];
    if (f.tag === null) return [violation(['from'], `base image "${f.raw}" has no tag (it means latest)`)];
    if (f.tag.toLowerCase() === 'latest') return [violation(['from'], `base image "${f.raw}" uses the latest tag`)];
    return [];
  },
  bad: [
    { text: 'FROM alpine:latest\nRUN apk add --no-cache curl\n', lines: [1] },
    { text: 'FROM ubuntu AS build\nRUN make\n\nFROM nginx:1.27\nCOPY --from=build /out /usr/share/nginx/html\n', lines: [1] },
    { text: 'ARG BASE=python\nFROM ${BASE}\n', lines: [2] },
  ],
  good: [
    'FROM alpine:3.19\n',
    'FROM python@sha256:0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9\n',
    'FROM golang:1.22 AS build\nRUN go build -o /app .\n\nFROM build AS test\nRUN go test ./...\n\nFROM scratch\nCOPY --from=build /app /app\n',
    'ARG BASE\nFROM ${BASE}\n',
  ],
});
