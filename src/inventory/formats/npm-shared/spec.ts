import type { Hash } from '../../model.js';

/**
 * Small pure helpers every JavaScript lockfile reader needs: splitting `name@version`
 * identifiers (scoped names start with `@`), npm aliases, git commits hidden in resolution
 * URLs, SRI integrity strings, and URLs with credentials. All linear string scans: no
 * regular expression here can backtrack.
 */

/** `@scope/name@1.2.3` → [`@scope/name`, `1.2.3`]; no `@` after the name → [text, '']. */
export function splitNameAt(text: string): [name: string, rest: string] {
  const at = text.indexOf('@', 1);
  return at === -1 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/**
 * An npm alias specifier `npm:real-name@range` → [`real-name`, `range`] (range may be '');
 * anything else → undefined.
 */
export function parseNpmAlias(spec: string): [name: string, range: string] | undefined {
  if (!spec.startsWith('npm:')) return undefined;
  const [name, range] = splitNameAt(spec.slice(4));
  return name === '' ? undefined : [name, range];
}

/** `@scope/name` is a valid-looking npm package name (cheap sanity check, not the full npm rules). */
export function looksLikePackageName(name: string): boolean {
  if (name === '' || name.length > 214 || name.includes(' ')) return false;
  if (name.startsWith('@')) {
    const slash = name.indexOf('/');
    return slash > 1 && slash < name.length - 1 && name.indexOf('/', slash + 1) === -1;
  }
  return !name.includes('/');
}

const WORD = /^\w+$/;
const GIT_SCHEMES = ['git', 'git+ssh', 'git+https', 'ssh'];
const GIT_HOSTS = new Set(['github.com', 'gitlab.com', 'bitbucket.org']);
const SHORTCUTS = ['github:', 'gitlab:', 'bitbucket:'];
const CODELOAD = 'https://codeload.github.com/';

/**
 * The commit a resolution points at, when it is a git (or git host archive) reference:
 * `git+ssh://…#<sha>`, `https://…/repo.git#<sha>`, `https://codeload.github.com/o/r/tar.gz/<sha>`,
 * `…#commit=<sha>` (Berry), `github:o/r#<sha>`, or a github/gitlab/bitbucket URL with a
 * fragment or `?ref=`. Mirrors the rules osv-scanner applies, written as linear scans.
 */
export function tryExtractCommit(resolution: string): string {
  if (resolution === '') return '';
  const hash = resolution.lastIndexOf('#');
  const fragment = hash === -1 ? '' : resolution.slice(hash + 1);
  const before = hash === -1 ? resolution : resolution.slice(0, hash);
  if (fragment !== '' && WORD.test(fragment)) {
    for (const scheme of GIT_SCHEMES) {
      const prefix = `${scheme}://`;
      if ((before.startsWith(prefix) || before.includes(`@${prefix}`)) && before.length > before.indexOf(prefix) + prefix.length) return fragment;
    }
    const at = before.startsWith('https://') ? 0 : before.indexOf('@https://') + 1;
    if (at !== 0 || before.startsWith('https://')) {
      if (before.endsWith('.git') && before.length - 4 > at + 8) return fragment;
    }
  }
  if (resolution.startsWith(CODELOAD)) {
    const parts = resolution.slice(CODELOAD.length).split('/');
    if (parts.length === 4 && parts[2] === 'tar.gz' && WORD.test(parts[3]!) && parts[0] !== '' && parts[1] !== '') return parts[3]!;
  }
  if (hash > 0 && (fragment.startsWith('commit=') || fragment.startsWith('commit:'))) {
    const sha = fragment.slice(7);
    if (WORD.test(sha)) return sha;
  }
  if (fragment !== '' && WORD.test(fragment) && SHORTCUTS.some((s) => resolution.startsWith(s))) return fragment;
  return commitFromHostUrl(resolution);
}

/** Printable ASCII without `%`: a URL whose host cannot turn into another through percent-decoding or IDNA mapping. */
const PLAIN_ASCII = /^[\x21-\x24\x26-\x7e]*$/;

/** Whether the URL parser could find one of GIT_HOSTS in this text (a cheap test that skips parsing registry URLs). */
function mayNameGitHost(text: string): boolean {
  if (!PLAIN_ASCII.test(text)) return true;
  const lower = text.toLowerCase();
  return lower.includes('github.com') || lower.includes('gitlab.com') || lower.includes('bitbucket.org');
}

function commitFromHostUrl(resolution: string): string {
  if (!resolution.includes('://') || !mayNameGitHost(resolution)) return '';
  let url: URL;
  try {
    url = new URL(resolution);
  } catch {
    return '';
  }
  if (!GIT_HOSTS.has(url.host)) return '';
  const ref = url.searchParams.get('ref');
  if (ref !== null) return ref;
  return url.hash.startsWith('#') ? url.hash.slice(1) : '';
}

const SCRATCH = Buffer.alloc(128);

/** Base64 → hex, as `Buffer.from(b64, 'base64').toString('hex')` but through a reused buffer for the usual sizes. */
function base64ToHex(b64: string): string {
  if (b64.length > 160) return Buffer.from(b64, 'base64').toString('hex');
  const n = SCRATCH.write(b64, 'base64');
  return SCRATCH.toString('hex', 0, n);
}

const SRI_ALGS: Readonly<Record<string, string>> = { sha1: 'SHA-1', sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512', md5: 'MD5' };

/** An SRI integrity string (`sha512-<base64> sha1-<base64>`) → CycloneDX hashes with hex content. */
export function integrityHashes(integrity: unknown): Hash[] | undefined {
  if (typeof integrity !== 'string' || integrity === '') return undefined;
  const out: Hash[] = [];
  for (const part of integrity.split(/\s+/)) {
    const dash = part.indexOf('-');
    const alg = dash > 0 ? SRI_ALGS[part.slice(0, dash).toLowerCase()] : undefined;
    if (alg === undefined) continue;
    const content = base64ToHex(part.slice(dash + 1));
    if (content !== '') out.push({ alg, content });
  }
  return out.length > 0 ? out : undefined;
}

/** A hex checksum as a hash of the given algorithm (yarn Berry, bun), or undefined when it is not hex. */
export function hexHash(alg: string, content: unknown): Hash[] | undefined {
  return typeof content === 'string' && /^[0-9a-f]{32,128}$/i.test(content) ? [{ alg, content: content.toLowerCase() }] : undefined;
}

/**
 * A URL (or URL-like git reference) with any `user:password@` credentials removed, so tokens
 * in lockfiles (`https://TOKEN@github.com/…`) never reach a report or an SBOM.
 */
export function redactUrl(text: string): string {
  const scheme = text.indexOf('://');
  if (scheme === -1) return text;
  const hostStart = scheme + 3;
  let end = text.length;
  for (const stop of ['/', '?', '#']) {
    const i = text.indexOf(stop, hostStart);
    if (i !== -1 && i < end) end = i;
  }
  const at = text.lastIndexOf('@', end - 1);
  if (at < hostStart) return text;
  const user = text.slice(hostStart, at);
  // `git@host` (ssh user names) carry no secret; anything else (tokens, user:password) does.
  return user === 'git' ? text : `${text.slice(0, hostStart)}${text.slice(at + 1)}`;
}

/** Whether a version-ish string names a local path rather than a version (`file:`, `link:`, `./x`, `../x`, `/x`). */
export function isLocalReference(spec: string): boolean {
  return spec.startsWith('file:') || spec.startsWith('link:') || spec.startsWith('portal:') || spec.startsWith('./') || spec.startsWith('../') || spec.startsWith('/');
}

/** The directory part of a `/`-separated relative path ('' at the root). */
export function dirOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? '' : path.slice(0, slash);
}

/** Joins a directory and a relative path, resolving `.` and `..` segments (`/`-separated, no leading `/`). */
export function joinPath(dir: string, rel: string): string {
  const out: string[] = dir === '' ? [] : dir.split('/');
  for (const seg of rel.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else out.push('..');
    } else out.push(seg);
  }
  return out.join('/');
}
