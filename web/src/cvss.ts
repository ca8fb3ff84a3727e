// CVSS vector explanation, metric by metric (names from the FIRST specifications of CVSS
// v2, v3.0/3.1 and v4.0). Written by hand: a table of labels, no scoring (the server scores).

type Table = Record<string, { name: string; values: Record<string, string> }>;

const CIA = { H: 'High', L: 'Low', N: 'None' };

const V3: Table = {
  AV: { name: 'Attack Vector', values: { N: 'Network', A: 'Adjacent network', L: 'Local', P: 'Physical' } },
  AC: { name: 'Attack Complexity', values: { L: 'Low', H: 'High' } },
  PR: { name: 'Privileges Required', values: { N: 'None', L: 'Low', H: 'High' } },
  UI: { name: 'User Interaction', values: { N: 'None', R: 'Required' } },
  S: { name: 'Scope', values: { U: 'Unchanged', C: 'Changed' } },
  C: { name: 'Confidentiality impact', values: CIA },
  I: { name: 'Integrity impact', values: CIA },
  A: { name: 'Availability impact', values: CIA },
  E: { name: 'Exploit Code Maturity', values: { X: 'Not defined', H: 'High', F: 'Functional', P: 'Proof of concept', U: 'Unproven' } },
  RL: { name: 'Remediation Level', values: { X: 'Not defined', U: 'Unavailable', W: 'Workaround', T: 'Temporary fix', O: 'Official fix' } },
  RC: { name: 'Report Confidence', values: { X: 'Not defined', C: 'Confirmed', R: 'Reasonable', U: 'Unknown' } },
};

const V4: Table = {
  AV: { name: 'Attack Vector', values: { N: 'Network', A: 'Adjacent', L: 'Local', P: 'Physical' } },
  AC: { name: 'Attack Complexity', values: { L: 'Low', H: 'High' } },
  AT: { name: 'Attack Requirements', values: { N: 'None', P: 'Present' } },
  PR: { name: 'Privileges Required', values: { N: 'None', L: 'Low', H: 'High' } },
  UI: { name: 'User Interaction', values: { N: 'None', P: 'Passive', A: 'Active' } },
  VC: { name: 'Vulnerable system Confidentiality', values: CIA },
  VI: { name: 'Vulnerable system Integrity', values: CIA },
  VA: { name: 'Vulnerable system Availability', values: CIA },
  SC: { name: 'Subsequent system Confidentiality', values: CIA },
  SI: { name: 'Subsequent system Integrity', values: CIA },
  SA: { name: 'Subsequent system Availability', values: CIA },
  E: { name: 'Exploit Maturity', values: { X: 'Not defined', A: 'Attacked', P: 'Proof of concept', U: 'Unreported' } },
};

const V2: Table = {
  AV: { name: 'Access Vector', values: { N: 'Network', A: 'Adjacent network', L: 'Local' } },
  AC: { name: 'Access Complexity', values: { L: 'Low', M: 'Medium', H: 'High' } },
  Au: { name: 'Authentication', values: { N: 'None', S: 'Single', M: 'Multiple' } },
  C: { name: 'Confidentiality impact', values: { N: 'None', P: 'Partial', C: 'Complete' } },
  I: { name: 'Integrity impact', values: { N: 'None', P: 'Partial', C: 'Complete' } },
  A: { name: 'Availability impact', values: { N: 'None', P: 'Partial', C: 'Complete' } },
};

/** What each metric measures, in one sentence (shared by the versions that have it). */
const ABOUT: Record<string, string> = {
  AV: 'How remote the attacker can be: Network is exploitable across the internet; Physical needs hands on the device.',
  AC: 'Conditions beyond the attacker’s control that must exist for the attack to work.',
  AT: 'Deployment or execution conditions of the vulnerable system the attack depends on.',
  PR: 'The privileges the attacker needs before the attack.',
  Au: 'How many times the attacker must authenticate.',
  UI: 'Whether a person other than the attacker must take part (open a file, click a link).',
  S: 'Whether a successful attack reaches components beyond the vulnerable one.',
  C: 'Loss of confidentiality: information disclosed to unauthorised parties.',
  I: 'Loss of integrity: data or behaviour the attacker can modify.',
  A: 'Loss of availability: service the attacker can deny.',
  VC: 'Loss of confidentiality on the vulnerable system.',
  VI: 'Loss of integrity on the vulnerable system.',
  VA: 'Loss of availability on the vulnerable system.',
  SC: 'Loss of confidentiality on systems downstream of the vulnerable one.',
  SI: 'Loss of integrity on systems downstream of the vulnerable one.',
  SA: 'Loss of availability on systems downstream of the vulnerable one.',
  E: 'How mature known exploit code or attacks are.',
  RL: 'What remediation is available.',
  RC: 'How confident the report of the vulnerability is.',
};

export interface MetricExplained {
  key: string;
  name: string;
  value: string;
  meaning: string;
  about: string;
}

/** Each metric of a vector with its name and the meaning of its value; unknown ones kept raw. */
export function explainVector(vector: string, version: string): MetricExplained[] {
  const table = version.startsWith('4') ? V4 : version.startsWith('3') ? V3 : V2;
  const out: MetricExplained[] = [];
  for (const part of vector.split('/').slice(0, 64)) {
    const [key = '', value = ''] = part.split(':', 2);
    if (key === 'CVSS' || key === '' || value === '') continue;
    const m = table[key];
    out.push({ key, name: m?.name ?? key, value, meaning: m?.values[value] ?? value, about: ABOUT[key] ?? '' });
  }
  return out;
}
