/**
 * VGL-DOCKER-004: secrets in ENV or ARG. ENV values are stored in the image configuration and
 * ARG values in the build history and provenance, so both leak to anyone who can pull the
 * image. A variable is flagged when its name says it holds a secret (word-wise, like BuildKit's
 * SecretsUsedInArgOrEnv check, with an allow-list for names that point at a secret rather than
 * hold one: `*_FILE`, `*_PATH`, `*_URL`, public keys…) or when its value looks like one
 * (private key material, well-known token formats, credentials in a URL).
 */
import type { AttrPath, Violation } from '../../model.js';
import { violation } from '../../rule.js';
import { cis, csf, dockerRule, iso, nist, pci, soc2 } from './lib/define.js';
import { stageOf } from './lib/stage.js';

const SECRET_WORDS = new Set(['password', 'passwd', 'pword', 'pass', 'passphrase', 'secret', 'token', 'apikey', 'privatekey', 'secretkey', 'accesskey', 'credential', 'credentials', 'auth']);
/** `key` counts only with one of these before it (API_KEY, PRIVATE_KEY, SECRET_ACCESS_KEY…). */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'master', 'client', 'license', 'licence', 'ssh', 'auth', 'app', 'service', 'account']);
/** Names with one of these words point at a secret, describe it or are public. */
const ALLOW_ANYWHERE = new Set(['public', 'pub', 'gpg', 'pgp', 'fingerprint', 'checksum', 'sha', 'sha256', 'hash']);
const ALLOW_LAST = new Set([
  'file', 'files', 'path', 'dir', 'directory', 'url', 'uri', 'endpoint', 'host', 'port', 'name', 'id', 'type', 'length', 'len',
  'size', 'min', 'max', 'policy', 'enabled', 'enable', 'disabled', 'required', 'mode', 'version', 'header', 'method', 'format',
  'ttl', 'timeout', 'expiry', 'expires', 'expiration', 'rotation', 'server', 'realm', 'scope', 'scopes', 'location', 'arn', 'ref',
  'provider', 'plugin', 'backend', 'source', 'env', 'var', 'field', 'prefix', 'suffix', 'user', 'username', 'login',
]);

/** Words of a variable name: split on `_`, `-`, `.` and lower→upper case changes, lower-cased. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[_.-]+/)
    .filter((w) => w !== '');
}

export function isSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0 || words.some((w) => ALLOW_ANYWHERE.has(w)) || ALLOW_LAST.has(words[words.length - 1]!)) return false;
  return words.some(
    (w, i) =>
      SECRET_WORDS.has(w) ||
      (w === 'key' && i > 0 && KEY_QUALIFIERS.has(words[i - 1]!)) ||
      // `PWD` alone is the shell's working directory.
      (w === 'pwd' && words.length > 1),
  );
}

/** Value shapes that are secrets whatever the name: key material, common token formats, URL credentials. */
const SECRET_VALUES: readonly { readonly re: RegExp; readonly what: string }[] = [
  { re: /-----BEGIN [A-Z ]{0,30}PRIVATE KEY( BLOCK)?-----/, what: 'private key material' },
  { re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/, what: 'an AWS access key id' },
  { re: /\bgh[pousr]_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{22,}/, what: 'a GitHub token' },
  { re: /\bglpat-[A-Za-z0-9_-]{20}\b/, what: 'a GitLab token' },
  { re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/, what: 'a Slack token' },
  { re: /\bAIza[0-9A-Za-z_-]{35}\b/, what: 'a Google API key' },
  { re: /\b[sr]k_live_[0-9A-Za-z]{16,}/, what: 'a Stripe secret key' },
  { re: /\bnpm_[A-Za-z0-9]{36}\b/, what: 'an npm token' },
  { re: /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@$]+:[^/\s@$]+@/i, what: 'credentials in a URL' },
];

export function secretValue(value: string): string | undefined {
  return SECRET_VALUES.find((p) => p.re.test(value))?.what;
}

function scan(vars: Readonly<Record<string, string | null>>, field: string, what: 'ENV' | 'ARG'): Violation[] {
  const out: Violation[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const path: AttrPath = [field, name];
    const shape = value === null ? undefined : secretValue(value);
    if (shape !== undefined) out.push(violation(path, `${what} ${name} holds ${shape}`));
    else if (isSecretName(name) && (what === 'ARG' || (value !== null && value.trim() !== ''))) {
      out.push(violation(path, what === 'ENV' ? `ENV ${name} stores a secret in the image configuration` : `ARG ${name} passes a secret as a build argument (kept in the build history)`));
    }
  }
  return out;
}

export const secretsInEnvArg = dockerRule({
  id: 'VGL-DOCKER-004',
  title: 'Secret in ENV or ARG',
  description:
    'A password, token, key or other credential is set with ENV or passed with ARG. ENV values are saved in the image configuration and ARG values in the build history and provenance attestations: anyone who can pull the image can read them.',
  severity: 'high',
  service: 'secrets',
  frameworks: [cis('4.10'), nist('IA-5'), nist('SC-28'), csf('PR.AA-01'), csf('PR.DS-01'), iso('A.5.17'), soc2('CC6.1'), pci('8.6.2')],
  remediation: 'Pass build-time secrets with RUN --mount=type=secret (docker build --secret) and runtime secrets through the orchestrator (environment injected at run time, mounted files, a secrets manager); reference them with *_FILE variables where the image supports it.',
  fix: 'RUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci',
  references: ['https://docs.docker.com/build/building/secrets/', 'https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/'],
  check(r) {
    const s = stageOf(r);
    return [...scan(s.globalArgs, 'globalArgs', 'ARG'), ...scan(s.args, 'args', 'ARG'), ...scan(s.env, 'env', 'ENV')];
  },
  bad: [
    { text: 'FROM node:20\nARG NPM_TOKEN\nENV DB_PASSWORD=hunter2\nENV apiKey=abc123\nRUN npm ci\n', lines: [2, 3, 4] },
    { text: 'ARG GITHUB_TOKEN=ghp_0123456789abcdefghijABCDEFGHIJ012345\nFROM alpine:3.19\nENV PIP_INDEX_URL=https://build:s3cr3t@pypi.example.com/simple\n', lines: [1, 3] },
  ],
  good: [
    'FROM postgres:16\nENV POSTGRES_PASSWORD_FILE=/run/secrets/db_password\nENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\nENV AUTH_URL=https://auth.example.com\n',
    'FROM node:20\nENV DB_PASSWORD=""\nRUN --mount=type=secret,id=npm_token,env=NPM_TOKEN npm ci\n',
  ],
});
