/**
 * NIST SP 800-53 Rev. 5 (September 2020, with the 5.1.1 errata): scoped to what a cloud /
 * Kubernetes configuration scanner can give evidence for.
 * Scope: every base control of the families AC, AU, CA, CM, CP, IA, IR, RA, SC, SI and SR,
 * withdrawn controls left out (AC-13, AC-15, AU-15, CA-4, CP-5, IR-10, RA-4, SC-9, SC-14,
 * SC-19, SC-33, SI-9), plus the control enhancements below whose evidence is system
 * configuration (MFA, account disabling, least privilege, boundary protection, encryption in
 * transit and at rest, integrity checks…). Other enhancements are not listed: a rule control
 * naming one counts for its base control (coverage.ts). The families AT, MA, MP, PE, PL, PM,
 * PS, PT and SA (training, maintenance, media, physical, planning, programme management,
 * personnel, PII processing, acquisition) are organisational and left out.
 */
import { seqExcept, type Catalogue } from '../catalogue.js';

const enh = (control: string, numbers: readonly number[]): string[] => numbers.map((n) => `${control}(${n})`);

export const NIST_800_53_R5: Catalogue = {
  framework: 'nist-800-53-r5',
  edition: 'NIST SP 800-53 Rev. 5 (5.1.1)',
  level: 'base controls of AC, AU, CA, CM, CP, IA, IR, RA, SC, SI, SR (withdrawn left out) and selected technical enhancements',
  requirements: [
    ...seqExcept('AC-', 1, 25, [13, 15]),
    ...enh('AC-2', [1, 3, 4, 7, 9, 12]),
    ...enh('AC-3', [7]),
    ...enh('AC-4', [21]),
    ...enh('AC-6', [1, 2, 3, 5, 7, 9, 10]),
    ...enh('AC-17', [1, 2, 3]),
    ...seqExcept('AU-', 1, 16, [15]),
    ...enh('AU-6', [1, 3]),
    ...enh('AU-9', [2, 4]),
    ...enh('AU-12', [1]),
    ...seqExcept('CA-', 1, 9, [4]),
    ...seqExcept('CM-', 1, 14, []),
    ...enh('CM-2', [2]),
    ...enh('CM-6', [1]),
    ...enh('CM-7', [1, 2, 5]),
    ...enh('CM-8', [1, 3]),
    ...seqExcept('CP-', 1, 13, [5]),
    ...enh('CP-9', [8]),
    ...enh('CP-10', [2]),
    ...seqExcept('IA-', 1, 12, []),
    ...enh('IA-2', [1, 2, 8]),
    ...enh('IA-5', [1, 2, 6, 7]),
    ...seqExcept('IR-', 1, 10, [10]),
    ...seqExcept('RA-', 1, 10, [4]),
    ...enh('RA-5', [2, 5]),
    ...seqExcept('SC-', 1, 51, [9, 14, 19, 33]),
    ...enh('SC-7', [3, 4, 5, 21]),
    ...enh('SC-8', [1]),
    ...enh('SC-28', [1]),
    ...seqExcept('SI-', 1, 23, [9]),
    ...enh('SI-2', [2]),
    ...enh('SI-4', [2, 4, 5]),
    ...enh('SI-7', [1, 6]),
    ...seqExcept('SR-', 1, 12, []),
  ],
};
