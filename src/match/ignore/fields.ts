/** Checks shared by the line and YAML forms of the ignore file. Pure. */

const ID = /^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/;

/** Why an advisory id is not acceptable, or undefined. */
export function badId(id: string): string | undefined {
  return ID.test(id) ? undefined : `${JSON.stringify(id.slice(0, 80))} is not an advisory id (letters, digits and . _ : + - only, e.g. CVE-2024-1234 or GHSA-xxxx-xxxx-xxxx)`;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Why an expiry is not a real calendar date `YYYY-MM-DD`, or undefined. */
export function badDate(text: string): string | undefined {
  const m = DATE.exec(text);
  const bad = `expiry ${JSON.stringify(text.slice(0, 40))} is not a date: write YYYY-MM-DD (e.g. expires=2027-01-31)`;
  if (!m) return bad;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d ? undefined : bad;
}

/** Why a package pattern is not acceptable, or undefined. */
export function badPackage(text: string): string | undefined {
  if (text.length > 2000) return 'the package is longer than 2000 characters';
  if (/\s/.test(text)) return 'the package must not contain spaces';
  return undefined;
}

export const REASON_REQUIRED = 'a reason is required: say why the finding does not matter, e.g. CVE-2024-1234 "only used in tests"';
