import { z } from 'zod';
import type { CpeConfiguration, CpeMatch, CpeNode } from '../core/advisory.js';

/**
 * CPE names and CPE applicability statements as NVD (API 2.0 `configurations`) and CVE 5.1+
 * (`cpeApplicability`, forked from NVD's) give them: validated, then kept exactly.
 */

// CPE 2.3 formatted string (NISTIR 7695 §6.2), the grammar of the CVE 5 `cpe23` pattern but
// anchored: a component is `*`, `-`, or characters with optional leading/trailing wildcards.
const COMPONENT = String.raw`(?:[*\-]|(?:\?*|\*?)(?:[a-zA-Z0-9\-._]|\\[\\*?!"#$%&'()+,/:;<=>@\[\]^` + '`' + String.raw`{|}~])+(?:\?*|\*?))`;
const LANGUAGE = String.raw`(?:[a-zA-Z]{2,3}(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?|[*\-])`;
const CPE23 = new RegExp(String.raw`^cpe:2\.3:[aho*\-](?::${COMPONENT}){5}:${LANGUAGE}(?::${COMPONENT}){4}$`);
// CPE 2.2 URI binding, as in the CVE 5 `cpe22and23` pattern (anchored).
const CPE22 = /^[cC][pP][eE]:\/[AHOaho]?(?::[A-Za-z0-9._\-~%]*){0,6}$/;
const MAX_CPE = 2048;

/** A CPE 2.3 formatted string, checked against the full grammar. */
export function isCpe23Name(s: string): boolean {
  return s.length <= MAX_CPE && CPE23.test(s);
}

/** A CPE 2.2 URI or a CPE 2.3 formatted string (CVE 5 `affected[].cpes`). */
export function isCpeName(s: string): boolean {
  return s.length <= MAX_CPE && (CPE22.test(s) || CPE23.test(s));
}

/**
 * Only the structure of a CPE 2.3 string: the prefix, a part letter and thirteen
 * colon-separated fields (escaped colons do not split). Used where the source's own schema
 * does not constrain the name (NVD), so that an unusual character does not cost a record.
 */
export function isCpe23Structure(s: string): boolean {
  if (s.length > MAX_CPE || !s.startsWith('cpe:2.3:')) return false;
  let fields = 1;
  let empty = false;
  let len = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      len++;
    } else if (c === ':') {
      if (len === 0) empty = true;
      fields++;
      len = 0;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      return false;
    } else {
      len++;
    }
  }
  return fields === 13 && len > 0 && !empty && /^[aho*-]$/.test(s.slice(8, 9)) && s[9] === ':';
}

const operator = z.enum(['AND', 'OR']);
const version = z.string().min(1);

/** zod for one applicability statement; `criteria` decides which CPE strings are acceptable. */
export function cpeApplicabilitySchema(criteria: (s: string) => boolean) {
  const match = z.looseObject({
    vulnerable: z.boolean(),
    criteria: z.string().refine(criteria, { message: 'not a CPE 2.3 formatted string' }),
    matchCriteriaId: z.string().min(1).optional(),
    versionStartIncluding: version.optional(),
    versionStartExcluding: version.optional(),
    versionEndIncluding: version.optional(),
    versionEndExcluding: version.optional(),
  });
  const node = z.looseObject({ operator, negate: z.boolean().optional(), cpeMatch: z.array(match) });
  return z.looseObject({ operator: operator.optional(), negate: z.boolean().optional(), nodes: z.array(node) });
}

export type CpeApplicabilityInput = z.infer<ReturnType<typeof cpeApplicabilitySchema>>;

function toMatch(m: CpeApplicabilityInput['nodes'][number]['cpeMatch'][number]): CpeMatch {
  return {
    vulnerable: m.vulnerable,
    criteria: m.criteria,
    ...(m.matchCriteriaId !== undefined && { matchCriteriaId: m.matchCriteriaId }),
    ...(m.versionStartIncluding !== undefined && { versionStartIncluding: m.versionStartIncluding }),
    ...(m.versionStartExcluding !== undefined && { versionStartExcluding: m.versionStartExcluding }),
    ...(m.versionEndIncluding !== undefined && { versionEndIncluding: m.versionEndIncluding }),
    ...(m.versionEndExcluding !== undefined && { versionEndExcluding: m.versionEndExcluding }),
  };
}

/** The model's configuration, exactly as given (absent `negate` is false, absent keys stay absent). */
export function toCpeConfiguration(c: CpeApplicabilityInput, source: string): CpeConfiguration {
  const nodes = c.nodes.map((n): CpeNode => ({ operator: n.operator, negate: n.negate ?? false, cpeMatch: n.cpeMatch.map(toMatch) }));
  return { ...(c.operator !== undefined && { operator: c.operator }), negate: c.negate ?? false, nodes, source };
}
