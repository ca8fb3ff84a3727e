/**
 * NIST Cybersecurity Framework 2.0 (NIST CSWP 29, February 2024): its 106 subcategories.
 * Numbers withdrawn or moved between CSF 1.1 and 2.0 are skipped, as in the Core (e.g. ID.AM-06,
 * PR.DS-03…09, DE.CM-04/05/07/08, DE.AE-01/05, RS.AN-01/02/04/05, RC.CO-01/02).
 */
import { seq, type Catalogue } from '../catalogue.js';

const sub = (category: string, numbers: readonly number[]): string[] => numbers.map((n) => `${category}-${String(n).padStart(2, '0')}`);
const upTo = (n: number): number[] => seq('', 1, n).map(Number);

export const NIST_CSF_2_0: Catalogue = {
  framework: 'nist-csf-2.0',
  edition: 'NIST Cybersecurity Framework 2.0 (CSWP 29, 2024)',
  level: 'subcategories (106)',
  requirements: [
    // GOVERN
    ...sub('GV.OC', upTo(5)),
    ...sub('GV.RM', upTo(7)),
    ...sub('GV.RR', upTo(4)),
    ...sub('GV.PO', upTo(2)),
    ...sub('GV.OV', upTo(3)),
    ...sub('GV.SC', upTo(10)),
    // IDENTIFY
    ...sub('ID.AM', [1, 2, 3, 4, 5, 7, 8]),
    ...sub('ID.RA', upTo(10)),
    ...sub('ID.IM', upTo(4)),
    // PROTECT
    ...sub('PR.AA', upTo(6)),
    ...sub('PR.AT', upTo(2)),
    ...sub('PR.DS', [1, 2, 10, 11]),
    ...sub('PR.PS', upTo(6)),
    ...sub('PR.IR', upTo(4)),
    // DETECT
    ...sub('DE.CM', [1, 2, 3, 6, 9]),
    ...sub('DE.AE', [2, 3, 4, 6, 7, 8]),
    // RESPOND
    ...sub('RS.MA', upTo(5)),
    ...sub('RS.AN', [3, 6, 7, 8]),
    ...sub('RS.CO', [2, 3]),
    ...sub('RS.MI', [1, 2]),
    // RECOVER
    ...sub('RC.RP', upTo(6)),
    ...sub('RC.CO', [3, 4]),
  ],
};
