/**
 * The vector grammar of each CVSS version: metrics, their allowed values and the spec order.
 *
 * Written by hand because ae-cvss-calculator does not validate: it accepts full metric names
 * ("Attack Vector"), strips any `CVSS:x.y` it finds, lets a later duplicate win, scores a
 * vector with missing base metrics as 0, and offers "Not Defined" as a value of base metrics.
 * These tables are the spec's (v2 guide table 13, v3.0/v3.1 table 15, v4.0 table 23);
 * metrics.test.ts checks that the library knows every metric and value listed here.
 */
import type { CvssVersion } from './types.js';

export type MetricGroup = 'base' | 'temporal' | 'environmental' | 'threat' | 'supplemental';

export interface MetricSpec {
  /** Abbreviation as written in vectors (case-sensitive). */
  readonly id: string;
  readonly name: string;
  readonly group: MetricGroup;
  /** Allowed value abbreviations (case-sensitive). Base metrics have no "Not Defined". */
  readonly values: readonly string[];
}

export interface VersionSpec {
  readonly version: CvssVersion;
  /** `CVSS:3.1/` and so on; empty for v2, whose canonical form has no prefix. */
  readonly prefix: string;
  /**
   * Whether metrics must appear in spec order. v2 guide §2.4: "the vector lists these metrics
   * in a predetermined order"; v4.0 §7: "every other ordering is invalid". v3.x §6: "programs
   * reading CVSS v3.x vector strings must accept metrics in any order".
   */
  readonly ordered: boolean;
  /** In spec order. */
  readonly metrics: readonly MetricSpec[];
}

const m = (id: string, name: string, group: MetricGroup, values: string): MetricSpec => ({
  id,
  name,
  group,
  values: values.split(' '),
});

const V2_METRICS: readonly MetricSpec[] = [
  m('AV', 'Access Vector', 'base', 'L A N'),
  m('AC', 'Access Complexity', 'base', 'H M L'),
  m('Au', 'Authentication', 'base', 'M S N'),
  m('C', 'Confidentiality Impact', 'base', 'N P C'),
  m('I', 'Integrity Impact', 'base', 'N P C'),
  m('A', 'Availability Impact', 'base', 'N P C'),
  m('E', 'Exploitability', 'temporal', 'U POC F H ND'),
  m('RL', 'Remediation Level', 'temporal', 'OF TF W U ND'),
  m('RC', 'Report Confidence', 'temporal', 'UC UR C ND'),
  m('CDP', 'Collateral Damage Potential', 'environmental', 'N L LM MH H ND'),
  m('TD', 'Target Distribution', 'environmental', 'N L M H ND'),
  m('CR', 'Confidentiality Requirement', 'environmental', 'L M H ND'),
  m('IR', 'Integrity Requirement', 'environmental', 'L M H ND'),
  m('AR', 'Availability Requirement', 'environmental', 'L M H ND'),
];

/** v3.0 and v3.1 share one grammar; they differ only in the equations. */
const V3_METRICS: readonly MetricSpec[] = [
  m('AV', 'Attack Vector', 'base', 'N A L P'),
  m('AC', 'Attack Complexity', 'base', 'L H'),
  m('PR', 'Privileges Required', 'base', 'N L H'),
  m('UI', 'User Interaction', 'base', 'N R'),
  m('S', 'Scope', 'base', 'U C'),
  m('C', 'Confidentiality', 'base', 'H L N'),
  m('I', 'Integrity', 'base', 'H L N'),
  m('A', 'Availability', 'base', 'H L N'),
  m('E', 'Exploit Code Maturity', 'temporal', 'X H F P U'),
  m('RL', 'Remediation Level', 'temporal', 'X U W T O'),
  m('RC', 'Report Confidence', 'temporal', 'X C R U'),
  m('CR', 'Confidentiality Requirement', 'environmental', 'X H M L'),
  m('IR', 'Integrity Requirement', 'environmental', 'X H M L'),
  m('AR', 'Availability Requirement', 'environmental', 'X H M L'),
  m('MAV', 'Modified Attack Vector', 'environmental', 'X N A L P'),
  m('MAC', 'Modified Attack Complexity', 'environmental', 'X L H'),
  m('MPR', 'Modified Privileges Required', 'environmental', 'X N L H'),
  m('MUI', 'Modified User Interaction', 'environmental', 'X N R'),
  m('MS', 'Modified Scope', 'environmental', 'X U C'),
  m('MC', 'Modified Confidentiality', 'environmental', 'X H L N'),
  m('MI', 'Modified Integrity', 'environmental', 'X H L N'),
  m('MA', 'Modified Availability', 'environmental', 'X H L N'),
];

const V4_METRICS: readonly MetricSpec[] = [
  m('AV', 'Attack Vector', 'base', 'N A L P'),
  m('AC', 'Attack Complexity', 'base', 'L H'),
  m('AT', 'Attack Requirements', 'base', 'N P'),
  m('PR', 'Privileges Required', 'base', 'N L H'),
  m('UI', 'User Interaction', 'base', 'N P A'),
  m('VC', 'Vulnerable System Confidentiality', 'base', 'H L N'),
  m('VI', 'Vulnerable System Integrity', 'base', 'H L N'),
  m('VA', 'Vulnerable System Availability', 'base', 'H L N'),
  m('SC', 'Subsequent System Confidentiality', 'base', 'H L N'),
  m('SI', 'Subsequent System Integrity', 'base', 'H L N'),
  m('SA', 'Subsequent System Availability', 'base', 'H L N'),
  m('E', 'Exploit Maturity', 'threat', 'X A P U'),
  m('CR', 'Confidentiality Requirement', 'environmental', 'X H M L'),
  m('IR', 'Integrity Requirement', 'environmental', 'X H M L'),
  m('AR', 'Availability Requirement', 'environmental', 'X H M L'),
  m('MAV', 'Modified Attack Vector', 'environmental', 'X N A L P'),
  m('MAC', 'Modified Attack Complexity', 'environmental', 'X L H'),
  m('MAT', 'Modified Attack Requirements', 'environmental', 'X N P'),
  m('MPR', 'Modified Privileges Required', 'environmental', 'X N L H'),
  m('MUI', 'Modified User Interaction', 'environmental', 'X N P A'),
  m('MVC', 'Modified Vulnerable System Confidentiality', 'environmental', 'X H L N'),
  m('MVI', 'Modified Vulnerable System Integrity', 'environmental', 'X H L N'),
  m('MVA', 'Modified Vulnerable System Availability', 'environmental', 'X H L N'),
  m('MSC', 'Modified Subsequent System Confidentiality', 'environmental', 'X H L N'),
  m('MSI', 'Modified Subsequent System Integrity', 'environmental', 'X S H L N'),
  m('MSA', 'Modified Subsequent System Availability', 'environmental', 'X S H L N'),
  m('S', 'Safety', 'supplemental', 'X N P'),
  m('AU', 'Automatable', 'supplemental', 'X N Y'),
  m('R', 'Recovery', 'supplemental', 'X A U I'),
  m('V', 'Value Density', 'supplemental', 'X D C'),
  m('RE', 'Vulnerability Response Effort', 'supplemental', 'X L M H'),
  m('U', 'Provider Urgency', 'supplemental', 'X Clear Green Amber Red'),
];

/** Keyed by version; a `Record` so a new `CvssVersion` cannot be left without a table. */
export const VERSION_SPECS: Readonly<Record<CvssVersion, VersionSpec>> = {
  '2.0': { version: '2.0', prefix: '', ordered: true, metrics: V2_METRICS },
  '3.0': { version: '3.0', prefix: 'CVSS:3.0/', ordered: false, metrics: V3_METRICS },
  '3.1': { version: '3.1', prefix: 'CVSS:3.1/', ordered: false, metrics: V3_METRICS },
  '4.0': { version: '4.0', prefix: 'CVSS:4.0/', ordered: true, metrics: V4_METRICS },
};
