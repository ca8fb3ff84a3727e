/**
 * VGL-DOCKER-005: the image has no HEALTHCHECK. Looks at the final stage and the stages it is
 * built FROM (a HEALTHCHECK there is inherited); `HEALTHCHECK NONE` is a deliberate choice and
 * passes.
 */
import { violation } from '../../rule.js';
import { cis, dockerRule, nist, soc2 } from './lib/define.js';
import { lineage, stageOf } from './lib/stage.js';

export const healthcheckMissing = dockerRule({
  id: 'VGL-DOCKER-005',
  title: 'Image has no HEALTHCHECK',
  description:
    'The final image defines no HEALTHCHECK, so Docker and orchestrators that read it cannot tell a running but broken container from a healthy one and will not restart or stop routing to it.',
  severity: 'low',
  service: 'image',
  frameworks: [cis('4.6'), nist('CM-6'), soc2('CC7.2')],
  remediation: 'Add a HEALTHCHECK that exercises the service (or HEALTHCHECK NONE when health is checked elsewhere, such as Kubernetes probes).',
  fix: 'HEALTHCHECK --interval=30s --timeout=3s CMD wget -q --spider http://localhost:8080/health || exit 1',
  references: ['https://docs.docker.com/reference/dockerfile/#healthcheck'],
  check(r, ctx) {
    if (!stageOf(r).meta.final) return [];
    if (lineage(r, ctx).some((s) => stageOf(s).healthcheck !== null)) return [];
    return [violation(['healthcheck'], 'no HEALTHCHECK instruction in the final image')];
  },
  bad: [
    { text: 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nCMD ["node", "server.js"]\n', lines: [1] },
    { text: 'FROM golang:1.22 AS build\nHEALTHCHECK CMD true\n\nFROM alpine:3.19\nCOPY --from=build /app /app\n', lines: [4] },
  ],
  good: [
    'FROM node:20-alpine\nCOPY . .\nHEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1\nCMD ["node", "server.js"]\n',
    'FROM node:20-alpine AS base\nHEALTHCHECK CMD wget -q --spider http://localhost:3000/ || exit 1\n\nFROM base\nCMD ["node", "server.js"]\n',
    'FROM node:20-alpine\nHEALTHCHECK NONE\n',
  ],
});
