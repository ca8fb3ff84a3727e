/**
 * Language package installs without a pinned version: pip (VGL-DOCKER-040), npm
 * (VGL-DOCKER-041) and gem (VGL-DOCKER-042). Requirement and lock files, constraint files,
 * local paths, URLs and VCS references are not judged; words holding a variable are unknown.
 */
import type { Resource, Violation } from '../../model.js';
import { violation, type Rule } from '../../rule.js';
import { BEST_PRACTICES, csf, dockerRule, nist, soc2 } from './lib/define.js';
import { runCommands, type Command } from './lib/run.js';
import { isDynamic } from './lib/shell.js';
import { instructionPath, stageOf } from './lib/stage.js';

/** Operands of `args` (options and the values of `valued` options skipped), and the options seen. */
function split(args: readonly string[], valued: ReadonlySet<string>): { operands: string[]; options: string[] } {
  const operands: string[] = [];
  const options: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('-') && a.length > 1) {
      options.push(a);
      if (valued.has(a)) options.push(args[++i] ?? '');
    } else operands.push(a);
  }
  return { operands, options };
}

const isLocalOrUrl = (p: string): boolean => p.includes('://') || p.startsWith('.') || p.startsWith('/') || p.startsWith('~') || /\.(whl|tar\.gz|tgz|zip|gem)$/.test(p);

const PIP_VALUED = new Set(['-r', '--requirement', '-c', '--constraint', '-e', '--editable', '-i', '--index-url', '--extra-index-url', '-f', '--find-links',
  '-t', '--target', '--prefix', '--root', '--src', '--upgrade-strategy', '--platform', '--python-version', '--implementation', '--abi', '--progress-bar',
  '--log', '--cache-dir', '--trusted-host', '--proxy', '--timeout', '--retries', '--exists-action', '--cert', '--client-cert', '--no-binary',
  '--only-binary', '--global-option', '--install-option', '-C', '--config-settings', '--report', '--python']);

/** The pip arguments of `pip install …`, `pip3.12 install …`, `python3 -m pip install …`, `uv pip install …`. */
function pipArgs(c: Command): readonly string[] | undefined {
  if (/^pip[0-9.]*$/.test(c.name)) return c.args;
  if (/^python[0-9.]*$/.test(c.name) && c.args[0] === '-m' && c.args[1] === 'pip') return c.args.slice(2);
  if (c.name === 'uv' && c.args[0] === 'pip') return c.args.slice(1);
  return undefined;
}

/** `name==1.0`, `name~=1.0`, `name===1.0` (and `name=1.0`, which pip rejects, so nothing unpinned gets installed). */
const pipPinned = (p: string): boolean => p.includes('==') || p.includes('~=') || /[A-Za-z0-9\]_.-]=(?!=)/.test(p);

export function pipUnpinnedOf(c: Command): string[] {
  const args = pipArgs(c);
  if (args === undefined) return [];
  const { operands, options } = split(args, PIP_VALUED);
  if (operands[0] !== 'install' || options.includes('-c') || options.includes('--constraint')) return [];
  return operands.slice(1).filter((p) => !isDynamic(p) && !isLocalOrUrl(p) && !p.startsWith('git+') && !pipPinned(p));
}

const NPM_VALUED = new Set(['--prefix', '--registry', '--cache', '--tag', '-w', '--workspace', '--omit', '--include', '--loglevel', '--userconfig', '--globalconfig', '--before', '--install-strategy']);
const NPM_INSTALL = new Set(['install', 'i', 'in', 'add', 'isntall']);

/** An npm spec with a version or range (`sax@1.2.3`, `@scope/pkg@^2`); `@latest`, dist-tags and bare names are not. */
function npmPinned(p: string): boolean {
  const at = p.indexOf('@', p.startsWith('@') ? 1 : 0);
  return at > 0 && /^[0-9=~^<>v]/.test(p.slice(at + 1));
}

export function npmUnpinnedOf(c: Command): string[] {
  if (c.name !== 'npm') return [];
  const { operands } = split(c.args, NPM_VALUED);
  if (!NPM_INSTALL.has(operands[0] ?? '')) return [];
  return operands.slice(1).filter((p) => {
    if (isDynamic(p) || isLocalOrUrl(p) || p.includes(':')) return false;
    if (p.includes('/') && !/^@[^/]+\/[^/]+$/.test(p)) return false;
    return !npmPinned(p);
  });
}

const GEM_VALUED = new Set(['-i', '--install-dir', '-n', '--bindir', '-s', '--source', '-P', '--trust-policy', '--platform', '-g', '--file', '--document']);

export function gemUnpinnedOf(c: Command): string[] {
  if (c.name !== 'gem') return [];
  const { operands, options } = split(c.args, GEM_VALUED);
  if (operands[0] !== 'install' || options.some((o) => o === '-v' || o === '--version' || o.startsWith('--version='))) return [];
  return operands.slice(1).filter((p) => !isDynamic(p) && !isLocalOrUrl(p) && !/:[0-9=~<>!]/.test(p));
}

function perRun(r: Resource, find: (c: Command) => string[], label: string): Violation[] {
  const out: Violation[] = [];
  stageOf(r).instructions.forEach((ins, i) => {
    if (ins.keyword !== 'RUN') return;
    const names = runCommands(ins).flatMap(find);
    if (names.length > 0) out.push(violation(instructionPath(i), `${label} installs ${names.join(', ')} without a pinned version`));
  });
  return out;
}

const FRAMEWORKS = [nist('CM-2'), nist('SI-7'), csf('PR.PS-01'), soc2('CC8.1')];

export const pipUnpinned = dockerRule({
  id: 'VGL-DOCKER-040',
  title: 'pip installs packages without a pinned version',
  description: 'pip install names packages without ==version: each build installs whatever PyPI serves that day, so builds are not reproducible and a hijacked or broken release is picked up automatically.',
  severity: 'medium',
  service: 'packages',
  frameworks: FRAMEWORKS,
  remediation: 'Pin versions (name==1.2.3), or install from a requirements or lock file with pinned versions and hashes (pip install --require-hashes -r requirements.txt).',
  fix: 'RUN pip install --no-cache-dir flask==3.0.3',
  references: [BEST_PRACTICES, 'https://pip.pypa.io/en/stable/topics/repeatable-installs/'],
  check: (r) => perRun(r, pipUnpinnedOf, 'pip'),
  bad: [{ text: 'FROM python:3.12-slim\nRUN pip install --user flask\nRUN ["pip", "install", "requests"]\nRUN python3 -m pip install "django>=5"\n', lines: [2, 3, 4] }],
  good: ['FROM python:3.12-slim\nRUN pip install --no-cache-dir -r requirements.txt\nRUN pip install flask==3.0.3 "requests[socks]~=2.32" .\nRUN pip install -c constraints.txt uvicorn\n'],
});

export const npmUnpinned = dockerRule({
  id: 'VGL-DOCKER-041',
  title: 'npm installs packages without a pinned version',
  description: 'npm install names packages without a version (or with @latest or another dist-tag): each build installs whatever the registry serves that day, so builds are not reproducible and a hijacked release is picked up automatically.',
  severity: 'medium',
  service: 'packages',
  frameworks: FRAMEWORKS,
  remediation: 'Pin versions (name@1.2.3), or install from package.json with a committed lock file (npm ci).',
  fix: 'RUN npm install -g typescript@5.4.5',
  references: [BEST_PRACTICES, 'https://docs.npmjs.com/cli/commands/npm-ci'],
  check: (r) => perRun(r, npmUnpinnedOf, 'npm'),
  bad: [{ text: 'FROM node:20\nRUN npm install sax\nRUN npm i -g @angular/cli\nRUN npm install sax@latest | grep fail\nRUN ["npm", "add", "left-pad"]\n', lines: [2, 3, 4, 5] }],
  good: ['FROM node:20\nRUN npm ci\nRUN npm install\nRUN npm install sax@1.4.1 @angular/cli@^18.0.0 git+https://github.com/npm/cli.git ./local\n'],
});

export const gemUnpinned = dockerRule({
  id: 'VGL-DOCKER-042',
  title: 'gem installs gems without a pinned version',
  description: 'gem install names gems without a version: each build installs the newest release, so builds are not reproducible and a hijacked release is picked up automatically.',
  severity: 'medium',
  service: 'packages',
  frameworks: FRAMEWORKS,
  remediation: 'Pin the version (gem install name -v 1.2.3 or name:1.2.3), or install from a Gemfile.lock with bundle install.',
  fix: 'RUN gem install bundler -v 2.5.11',
  references: [BEST_PRACTICES, 'https://guides.rubygems.org/command-reference/#gem-install'],
  check: (r) => perRun(r, gemUnpinnedOf, 'gem'),
  bad: [{ text: 'FROM ruby:3.3\nRUN gem install bundler\n', lines: [2] }],
  good: ['FROM ruby:3.3\nRUN gem install bundler -v 2.5.11 && gem install rake:13.2.1\nRUN bundle install\n'],
});

export const languagePackageRules: readonly Rule[] = [pipUnpinned, npmUnpinned, gemUnpinned];
