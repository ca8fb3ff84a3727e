/**
 * EXPOSE: the SSH port (VGL-DOCKER-010) and port numbers outside 0–65535 (VGL-DOCKER-011).
 * Ports may be written `22`, `22/tcp` or as a range `20-30/tcp`; values holding a variable are
 * unknown and pass.
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { dockerRule, nist, pci, soc2 } from './lib/define.js';
import { isDynamic } from './lib/shell.js';
import { stageOf } from './lib/stage.js';

export interface ExposedPort {
  readonly from: number;
  readonly to: number;
  readonly protocol: string;
}

/** `8080`, `53/udp`, `8000-8010/tcp` → numbers and protocol; undefined for a variable or a malformed value. */
export function parsePort(value: string): ExposedPort | undefined {
  if (isDynamic(value)) return undefined;
  const m = /^(\d{1,10})(?:-(\d{1,10}))?(?:\/([A-Za-z]+))?$/.exec(value.trim());
  if (m === null) return undefined;
  const from = Number(m[1]);
  return { from, to: m[2] === undefined ? from : Number(m[2]), protocol: (m[3] ?? 'tcp').toLowerCase() };
}

function eachPort(expose: readonly string[], fn: (p: ExposedPort, raw: string) => string | undefined): Violation[] {
  const out: Violation[] = [];
  expose.forEach((raw, k) => {
    const p = parsePort(raw);
    const message = p === undefined ? undefined : fn(p, raw);
    if (message !== undefined) out.push(violation(['expose', k], message));
  });
  return out;
}

export const exposeSsh = dockerRule({
  id: 'VGL-DOCKER-010',
  title: 'Image exposes the SSH port 22',
  description: 'EXPOSE 22 suggests an SSH server runs in the container: another way in to secure, patch and monitor, and a habit of managing containers like servers. Use docker exec (or kubectl exec) instead.',
  severity: 'medium',
  service: 'network',
  frameworks: [nist('CM-7'), nist('SC-7'), pci('2.2.4'), soc2('CC6.6')],
  remediation: 'Remove port 22 from EXPOSE and the SSH server from the image; expose only the ports the application serves.',
  fix: 'EXPOSE 8080',
  references: ['https://docs.docker.com/reference/dockerfile/#expose'],
  check: (r) => eachPort(stageOf(r).expose, (p, raw) => (p.protocol === 'tcp' && p.from <= 22 && 22 <= p.to ? `EXPOSE ${raw} exposes the SSH port 22` : undefined)),
  bad: [{ text: 'FROM alpine:3.19\nRUN apk add --no-cache openssh\nEXPOSE 3000 80 443 22\n', lines: [3] }],
  good: ['FROM nginx:1.27\nEXPOSE 80 443/tcp 22/udp 2222\n'],
});

export const exposePortRange = dockerRule({
  id: 'VGL-DOCKER-011',
  title: 'EXPOSE names a port outside 0-65535',
  description: 'TCP and UDP ports are 16-bit numbers; a larger number (or a reversed range) is a typo that breaks the build or the documentation the instruction is meant to be.',
  severity: 'info',
  service: 'network',
  frameworks: [nist('CM-6')],
  remediation: 'Use a port number between 0 and 65535.',
  fix: 'EXPOSE 8080/tcp',
  references: ['https://docs.docker.com/reference/dockerfile/#expose'],
  check: (r) => eachPort(stageOf(r).expose, (p, raw) => (p.from > 65535 || p.to > 65535 || p.from > p.to ? `EXPOSE ${raw} is not a valid port` : undefined)),
  bad: [{ text: 'FROM nginx:1.27\nEXPOSE 80\nEXPOSE 65536/tcp 443\n', lines: [3] }],
  good: ['FROM nginx:1.27\nARG PORT=8080\nEXPOSE 80 443 65535 8000-8010/tcp $PORT\n'],
});
