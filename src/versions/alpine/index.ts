/**
 * `alpine`: apk package versions (Alpine, Wolfi, Chainguard, MinimOS, Alpaquita), ordered as
 * apk-tools orders them and valid as apk (and osv.dev's Alpine converter) accept them. Written
 * by hand, see ./version.ts. Strings apk rejects (`1.18.-r2`, `57-1-r2`, `2.19.10.4_y8`) do not
 * parse; `compareApkStrings` still orders them as `apk version -t` would, for callers that
 * must compare raw strings.
 */
import type { VersionScheme } from '../scheme.js';
import { acceptableAscii } from '../common.js';
import { apkTokens, compareApkTokens, isValidApkTokens, type ApkVersion } from './version.js';

export { compareApkStrings, type ApkVersion } from './version.js';

export function parseApkVersion(v: string): ApkVersion | undefined {
  if (!acceptableAscii(v)) return undefined;
  const tokens = apkTokens(v);
  return isValidApkTokens(tokens) ? { tokens } : undefined;
}

export const scheme: VersionScheme<ApkVersion> = {
  id: 'alpine',
  title: 'Alpine apk (apk-tools)',
  parse: parseApkVersion,
  compare: (a, b) => compareApkTokens(a.tokens, b.tokens),
};
