/** VGL-DOCKER-012: the deprecated MAINTAINER instruction. */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { dockerRule, nist } from './lib/define.js';
import { instructionPath, stageOf } from './lib/stage.js';

export const maintainerDeprecated = dockerRule({
  id: 'VGL-DOCKER-012',
  title: 'Deprecated MAINTAINER instruction',
  description: 'MAINTAINER is deprecated; the author belongs in a label (org.opencontainers.image.authors), which tools can read and which LABEL can set with the rest of the image metadata.',
  severity: 'info',
  frameworks: [nist('CM-6')],
  remediation: 'Replace MAINTAINER with LABEL org.opencontainers.image.authors="…".',
  fix: 'LABEL org.opencontainers.image.authors="team@example.com"',
  references: ['https://docs.docker.com/reference/dockerfile/#maintainer-deprecated'],
  check(r) {
    const out: Violation[] = [];
    stageOf(r).instructions.forEach((ins, i) => {
      if (ins.keyword === 'MAINTAINER') out.push(violation(instructionPath(i), 'MAINTAINER is deprecated: use a LABEL'));
    });
    return out;
  },
  bad: [{ text: 'FROM alpine:3.19\nMAINTAINER "dev@example.com"\n', lines: [2] }],
  good: ['FROM alpine:3.19\nLABEL org.opencontainers.image.authors="dev@example.com"\n'],
});
