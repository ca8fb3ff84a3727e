/**
 * PCI DSS v4.0 (March 2022; unchanged numbering in v4.0.1): the defined requirements of
 * Requirements 1–12 at the x.y.z level, which is the level Vigil's rules map to. Deeper
 * bullets (x.y.z.w, e.g. 3.5.1.1, 8.3.10.1, 10.2.1.2) are not listed: a rule control naming
 * one counts for its x.y.z parent (see coverage.ts). Appendices A1–A3 (multi-tenant providers,
 * SSL/early TLS for POI terminals, designated entities) are left out.
 */
import { seq, type Catalogue } from '../catalogue.js';

/** Requirement r: for each x.y section, how many x.y.z requirements it has. */
function req(r: number, sections: readonly number[]): string[] {
  return sections.flatMap((count, i) => seq(`${r}.${i + 1}.`, 1, count));
}

export const PCI_DSS_4_0: Catalogue = {
  framework: 'pci-dss-4.0',
  edition: 'PCI DSS v4.0 (v4.0.1 numbering is the same)',
  level: 'defined requirements x.y.z of Requirements 1–12; x.y.z.w bullets count for their parent; Appendix A left out',
  requirements: [
    ...req(1, [2, 8, 3, 5, 1]),
    ...req(2, [2, 7, 2]),
    ...req(3, [2, 1, 3, 2, 1, 1, 9]),
    ...req(4, [2, 2]),
    ...req(5, [2, 3, 5, 1]),
    ...req(6, [2, 4, 3, 3, 6]),
    ...req(7, [2, 6, 3]),
    ...req(8, [2, 8, 11, 3, 1, 3]),
    ...req(9, [2, 4, 4, 7, 1]),
    ...req(10, [2, 2, 4, 3, 1, 3, 3]),
    ...req(11, [2, 2, 2, 7, 2, 1]),
    ...req(12, [4, 1, 4, 2, 3, 3, 1, 5, 2, 7]),
  ],
};
