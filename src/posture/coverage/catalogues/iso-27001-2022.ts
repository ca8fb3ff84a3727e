/**
 * ISO/IEC 27001:2022 Annex A (the controls of ISO/IEC 27002:2022): all 93 controls.
 * A.5 organisational (A.5.1–A.5.37), A.6 people (A.6.1–A.6.8), A.7 physical (A.7.1–A.7.14),
 * A.8 technological (A.8.1–A.8.34). The management-system clauses 4–10 are not listed: a
 * configuration scanner cannot speak to them.
 */
import { seq, type Catalogue } from '../catalogue.js';

export const ISO_27001_2022: Catalogue = {
  framework: 'iso-27001-2022',
  edition: 'ISO/IEC 27001:2022 Annex A',
  level: 'Annex A controls (93); clauses 4–10 left out',
  requirements: [...seq('A.5.', 1, 37), ...seq('A.6.', 1, 8), ...seq('A.7.', 1, 14), ...seq('A.8.', 1, 34)],
};
