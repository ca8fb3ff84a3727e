import type { CvssVersion } from '../core/advisory.js';

/**
 * The shape of a CVSS vector as the feeds' own schemas define it (CVE JSON 5 `vectorString`
 * patterns): the version prefix and known `metric:value` tokens. This is a gate at ingestion,
 * not a scorer: src/risk/cvss scores later and keeps vectors that do not score as unscored.
 * Like the schema, v2/v3 tokens may come in any order and need not be complete; v4 needs the
 * eleven base metrics in order. Unlike the schema, a metric given twice is refused.
 */
type Grammar = { readonly prefix: string; readonly metrics: Readonly<Record<string, RegExp>>; readonly ordered: boolean };

const V2: Grammar['metrics'] = {
  AV: /^[NAL]$/, AC: /^[LMH]$/, Au: /^[MSN]$/, C: /^[NPC]$/, I: /^[NPC]$/, A: /^[NPC]$/,
  E: /^(U|POC|F|H|ND)$/, RL: /^(OF|TF|W|U|ND)$/, RC: /^(UC|UR|C|ND)$/,
  CDP: /^(N|L|LM|MH|H|ND)$/, TD: /^(N|L|M|H|ND)$/, CR: /^(L|M|H|ND)$/, IR: /^(L|M|H|ND)$/, AR: /^(L|M|H|ND)$/,
};

const v3 = (pr: RegExp, mpr: RegExp): Grammar['metrics'] => ({
  AV: /^[NALP]$/, AC: /^[LH]$/, PR: pr, UI: /^[NR]$/, S: /^[UC]$/, C: /^[NLH]$/, I: /^[NLH]$/, A: /^[NLH]$/,
  E: /^[XUPFH]$/, RL: /^[XOTWU]$/, RC: /^[XURC]$/, CR: /^[XLMH]$/, IR: /^[XLMH]$/, AR: /^[XLMH]$/,
  MAV: /^[XNALP]$/, MAC: /^[XLH]$/, MPR: mpr, MUI: /^[XNR]$/, MS: /^[XUC]$/, MC: /^[XNLH]$/, MI: /^[XNLH]$/, MA: /^[XNLH]$/,
});

const V4: Grammar['metrics'] = {
  AV: /^[NALP]$/, AC: /^[LH]$/, AT: /^[NP]$/, PR: /^[NLH]$/, UI: /^[NPA]$/,
  VC: /^[HLN]$/, VI: /^[HLN]$/, VA: /^[HLN]$/, SC: /^[HLN]$/, SI: /^[HLN]$/, SA: /^[HLN]$/,
  E: /^[XAPU]$/, CR: /^[XHML]$/, IR: /^[XHML]$/, AR: /^[XHML]$/,
  MAV: /^[XNALP]$/, MAC: /^[XLH]$/, MAT: /^[XNP]$/, MPR: /^[XNLH]$/, MUI: /^[XNPA]$/,
  MVC: /^[XNLH]$/, MVI: /^[XNLH]$/, MVA: /^[XNLH]$/, MSC: /^[XNLH]$/, MSI: /^[XNLHS]$/, MSA: /^[XNLHS]$/,
  S: /^[XNP]$/, AU: /^[XNY]$/, R: /^[XAUI]$/, V: /^[XDC]$/, RE: /^[XLMH]$/, U: /^(X|Clear|Green|Amber|Red)$/,
};
const V4_BASE = 11;

const GRAMMARS: Readonly<Record<CvssVersion, Grammar>> = {
  '2.0': { prefix: '', metrics: V2, ordered: false },
  // The 3.0 schema allows PR:U, a known quirk of the upstream pattern; kept for parity.
  '3.0': { prefix: 'CVSS:3.0/', metrics: v3(/^[UNLH]$/, /^[XUNLH]$/), ordered: false },
  '3.1': { prefix: 'CVSS:3.1/', metrics: v3(/^[NLH]$/, /^[XNLH]$/), ordered: false },
  '4.0': { prefix: 'CVSS:4.0/', metrics: V4, ordered: true },
};

/** Longest vector accepted (the longest legal v4 vector is about 300 characters). */
const MAX_LENGTH = 512;

/** Does `vector` have the shape of a CVSS `version` vector? */
export function isCvssVector(version: CvssVersion, vector: string): boolean {
  const g = GRAMMARS[version];
  if (vector.length > MAX_LENGTH || !vector.startsWith(g.prefix)) return false;
  const body = vector.slice(g.prefix.length);
  if (body === '') return false;
  const order = Object.keys(g.metrics);
  const seen = new Set<string>();
  let last = -1;
  for (const token of body.split('/')) {
    const colon = token.indexOf(':');
    if (colon <= 0) return false;
    const key = token.slice(0, colon);
    const allowed = Object.hasOwn(g.metrics, key) ? g.metrics[key] : undefined;
    if (!allowed || !allowed.test(token.slice(colon + 1)) || seen.has(key)) return false;
    seen.add(key);
    if (g.ordered) {
      const at = order.indexOf(key);
      // v4: the base metrics come first, each in its place; the rest only in the spec's order.
      if (at <= last || (seen.size <= V4_BASE && at !== seen.size - 1)) return false;
      last = at;
    }
  }
  return !g.ordered || seen.size >= V4_BASE;
}
