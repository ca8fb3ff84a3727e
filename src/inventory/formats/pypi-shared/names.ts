/**
 * Python package names: PEP 503 normalisation and the PEP 508 name at the start of a
 * requirement string. Hand-written linear scans (no regexes that can backtrack).
 */

const isNameChar = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2d || c === 0x2e || c === 0x5f;

const isSeparator = (c: number): boolean => c === 0x2d || c === 0x2e || c === 0x5f;

/** Whether the name is already PEP 503-normal: lower-case letters, digits, single `-` between them. */
function isNormal(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) continue;
    if (c === 0x2d && i > 0 && name.charCodeAt(i - 1) !== 0x2d) continue;
    return false;
  }
  return true;
}

/** PEP 503: lower case, every run of `-`, `_` and `.` becomes one `-` (`Zope.Interface` → `zope-interface`). */
export function normalizePypiName(name: string): string {
  if (isNormal(name)) return name; // the common case: no new string
  let out = '';
  let inRun = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (isSeparator(c)) {
      if (!inRun) out += '-';
      inRun = true;
    } else {
      out += name[i]!.toLowerCase();
      inRun = false;
    }
  }
  return out;
}

/** Whether the whole string is a PEP 508 distribution name (letters, digits, `-_.`, alphanumeric at both ends). */
export function isPypiName(name: string): boolean {
  if (name.length === 0 || name.length > 200) return false;
  for (let i = 0; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false;
  return !isSeparator(name.charCodeAt(0)) && !isSeparator(name.charCodeAt(name.length - 1));
}

/** Length of the name-character run at `from` in `text` (0 when none). */
export function nameLength(text: string, from = 0): number {
  let i = from;
  while (i < text.length && isNameChar(text.charCodeAt(i))) i++;
  return i - from;
}

/**
 * The distribution name at the start of a PEP 508 requirement string such as
 * `requests[socks]>=2; python_version > "3"` (pdm and Pipfile dependency lists), or undefined.
 */
export function requirementName(requirement: string): string | undefined {
  const text = requirement.trimStart();
  const n = nameLength(text);
  const name = text.slice(0, n);
  return isPypiName(name) ? name : undefined;
}
