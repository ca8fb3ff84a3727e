/**
 * VGL-DOCKER-024: a package index updated in a RUN step of its own (`RUN apt-get update`) and
 * packages installed from it in a later step. The update layer is cached, so later builds
 * install from a stale index (old versions, or failures when they are gone). Also an install
 * that runs before the update in the same step. Reported at the installing RUN.
 */
import type { Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { BEST_PRACTICES, cis, dockerRule, nist } from './lib/define.js';
import { runCommands, type Command } from './lib/run.js';
import { instructionPath, stageOf } from './lib/stage.js';

type Family = 'apt' | 'apk' | 'yum' | 'dnf' | 'zypper' | 'pacman';

interface Use {
  readonly family: Family;
  readonly updates: boolean;
  readonly installs: boolean;
}

const FAMILY: Readonly<Record<string, Family>> = { 'apt-get': 'apt', apt: 'apt', apk: 'apk', yum: 'yum', dnf: 'dnf', microdnf: 'dnf', zypper: 'zypper', pacman: 'pacman' };
const VALUED = new Set(['-o', '-c', '-t', '-X', '-p', '-R', '--root', '--repository', '--virtual', '--setopt', '--enablerepo', '--disablerepo', '--releasever', '--installroot']);
const UPDATE: Readonly<Record<Family, ReadonlySet<string>>> = {
  apt: new Set(['update']), apk: new Set(['update']), yum: new Set(['update', 'makecache']), dnf: new Set(['update', 'makecache']), zypper: new Set(['refresh', 'ref']), pacman: new Set(),
};
const INSTALL: Readonly<Record<Family, ReadonlySet<string>>> = {
  apt: new Set(['install', 'reinstall', 'source-install']), apk: new Set(['add']), yum: new Set(['install']), dnf: new Set(['install']), zypper: new Set(['install', 'in']), pacman: new Set(),
};

function use(c: Command): Use | undefined {
  const family = FAMILY[c.name];
  if (family === undefined) return undefined;
  const options: string[] = [];
  const operands: string[] = [];
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i]!;
    if (a.startsWith('-')) {
      options.push(a);
      if (VALUED.has(a)) i++;
    } else operands.push(a);
  }
  if (family === 'pacman') {
    const sync = options.find((o) => /^-[A-Za-z]*S[A-Za-z]*$/.test(o));
    return sync === undefined ? undefined : { family, updates: sync.includes('y'), installs: operands.length > 0 };
  }
  const sub = operands[0] ?? '';
  const refreshFlag = family === 'apk' && options.some((o) => o === '-U' || o === '--update' || o === '--update-cache' || o === '--no-cache');
  return { family, updates: UPDATE[family].has(sub) || refreshFlag, installs: INSTALL[family].has(sub) };
}

export const updateAlone = dockerRule({
  id: 'VGL-DOCKER-024',
  title: 'Package index updated in a separate RUN step',
  description:
    'The package index is refreshed in a RUN step of its own and packages are installed from it in a later step. Docker caches the update layer, so later builds reuse the old index and install outdated versions (or fail when they have been removed).',
  severity: 'low',
  service: 'packages',
  frameworks: [cis('4.7'), nist('SI-2')],
  remediation: 'Update the index and install in the same RUN step (apt-get update && apt-get install …; apk add --no-cache …).',
  fix: 'RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5 && rm -rf /var/lib/apt/lists/*',
  references: [`${BEST_PRACTICES}#apt-get`],
  check(r) {
    const out: Violation[] = [];
    const updatedAt = new Map<Family, number>();
    stageOf(r).instructions.forEach((ins, i) => {
      if (ins.keyword !== 'RUN') return;
      const uses = runCommands(ins).flatMap((c) => use(c) ?? []);
      const updated = new Set<Family>();
      let message: string | undefined;
      for (const [k, u] of uses.entries()) {
        if (u.installs && !u.updates && !updated.has(u.family) && message === undefined) {
          const earlier = updatedAt.get(u.family);
          if (earlier !== undefined) message = `installs with ${u.family} from the index updated by the RUN at line ${r.lineOf(instructionPath(earlier)) ?? '?'}`;
          else if (uses.slice(k + 1).some((v) => v.family === u.family && v.updates)) message = `installs with ${u.family} before updating the index`;
        }
        if (u.updates) updated.add(u.family);
      }
      if (message !== undefined) out.push(violation(instructionPath(i), message));
      for (const f of updated) {
        if (!uses.some((u) => u.family === f && u.installs)) updatedAt.set(f, i);
      }
    });
    return out;
  },
  bad: [
    { text: 'FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl\n', lines: [3] },
    { text: 'FROM archlinux:base\nRUN pacman -Syu --noconfirm\nRUN pacman -S --noconfirm nginx\nRUN apk add git && apk update\n', lines: [3, 4] },
  ],
  good: [
    'FROM debian:12\nRUN apt-get update && apt-get install -y curl\nRUN apk update\nRUN apk --update add nginx\nRUN apk add --no-cache git\n',
  ],
});
