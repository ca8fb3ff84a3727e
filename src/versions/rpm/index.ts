/**
 * `rpm`: RPM package versions, `[epoch:]version[-release]` (Red Hat, AlmaLinux, Rocky Linux,
 * SUSE, openSUSE, Mageia, openEuler, Azure Linux), ordered by rpm's `rpmvercmp` (rpmio/rpmvercmp.c)
 * for each part. Written by hand: no maintained JavaScript library.
 *  - epoch: the digits before a `:` (none: 0; `a:1` has no epoch, its `:` is a separator);
 *    release: after the last `-`;
 *  - `rpmvercmp`: characters other than ASCII letters, digits, `~` and `^` only separate
 *    segments; `~` sorts before everything, even the end (`1.0~rc1` < `1.0`); `^` sorts after
 *    the end but before anything else (`1.0` < `1.0^git1` < `1.0.1`); digit segments compare
 *    as numbers of any size and beat letter segments; letter segments compare as text; the
 *    side with segments left wins;
 *  - a version without a release sorts before the same version with one (`1` < `1-0`), as in
 *    OSV tooling; rpm itself skips the release when one side has none.
 * Any characters but spaces and control characters are allowed, as rpm allows them.
 */
import type { VersionScheme } from '../scheme.js';
import { compareDigits, compareText, hasNoSpaceOrControl, isAlnumCode, isDigitCode, isLetterCode, MAX_VERSION_LENGTH } from '../common.js';

export interface RpmVersion {
  readonly epoch: string;
  readonly version: string;
  readonly release: string | undefined;
}

export function parseRpmVersion(v: string): RpmVersion | undefined {
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_VERSION_LENGTH || !hasNoSpaceOrControl(v)) return undefined;
  let i = 0;
  while (i < v.length && isDigitCode(v.charCodeAt(i))) i++;
  const hasEpoch = v.charCodeAt(i) === 58;
  const epoch = hasEpoch && i > 0 ? v.slice(0, i) : '0';
  const rest = hasEpoch ? v.slice(i + 1) : v;
  const hyphen = rest.lastIndexOf('-');
  const version = hyphen < 0 ? rest : rest.slice(0, hyphen);
  if (version === '') return undefined;
  return { epoch, version, release: hyphen < 0 ? undefined : rest.slice(hyphen + 1) };
}

const TILDE = 126;
const CARET = 94;
const isSegmentCode = (c: number): boolean => isAlnumCode(c) || c === TILDE || c === CARET;

/** rpm's `rpmvercmp`, with digit segments compared as numbers of any size. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isSegmentCode(a.charCodeAt(i))) i++;
    while (j < b.length && !isSegmentCode(b.charCodeAt(j))) j++;
    const ca = i < a.length ? a.charCodeAt(i) : -1;
    const cb = j < b.length ? b.charCodeAt(j) : -1;
    if (ca === TILDE || cb === TILDE) {
      if (ca !== TILDE) return 1;
      if (cb !== TILDE) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === CARET || cb === CARET) {
      if (ca === -1) return -1;
      if (cb === -1) return 1;
      if (ca !== CARET) return 1;
      if (cb !== CARET) return -1;
      i++;
      j++;
      continue;
    }
    if (ca === -1 || cb === -1) break;
    const digits = isDigitCode(ca);
    const same = (c: number): boolean => (digits ? isDigitCode(c) : isLetterCode(c));
    const si = i;
    const sj = j;
    while (i < a.length && same(a.charCodeAt(i))) i++;
    while (j < b.length && same(b.charCodeAt(j))) j++;
    // b's segment is of the other kind: a number beats letters, letters lose to a number.
    if (sj === j) return digits ? 1 : -1;
    const d = digits ? compareDigits(a.slice(si, i), b.slice(sj, j)) : compareText(a.slice(si, i), b.slice(sj, j));
    if (d !== 0) return d;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export function compareRpmVersions(a: RpmVersion, b: RpmVersion): number {
  const d = compareDigits(a.epoch, b.epoch) || rpmvercmp(a.version, b.version);
  if (d !== 0) return d;
  if (a.release === undefined || b.release === undefined) return a.release === b.release ? 0 : a.release === undefined ? -1 : 1;
  return rpmvercmp(a.release, b.release);
}

export const scheme: VersionScheme<RpmVersion> = {
  id: 'rpm',
  title: 'RPM (rpmvercmp)',
  parse: parseRpmVersion,
  compare: compareRpmVersions,
};
