/**
 * GDPR (Regulation (EU) 2016/679): the articles a configuration scanner can give evidence for,
 * as "Art.N". The rest (lawful basis, consent, data-subject rights, supervisory authorities…)
 * are about processing decisions and organisation, not system configuration, and are left out.
 */
import type { Catalogue } from '../catalogue.js';

export const GDPR: Catalogue = {
  framework: 'gdpr',
  edition: 'Regulation (EU) 2016/679 (GDPR)',
  level: 'articles with a technical side (9 of 99): principles of integrity and confidentiality, controller and processor duties, records, security, breach notification, impact assessment',
  requirements: ['Art.5', 'Art.24', 'Art.25', 'Art.28', 'Art.30', 'Art.32', 'Art.33', 'Art.34', 'Art.35'],
  titles: {
    'Art.5': 'Principles, including integrity and confidentiality (5(1)(f))',
    'Art.24': 'Responsibility of the controller: appropriate technical measures',
    'Art.25': 'Data protection by design and by default',
    'Art.28': 'Processors: sufficient guarantees of technical measures',
    'Art.30': 'Records of processing activities',
    'Art.32': 'Security of processing: encryption, resilience, restore, testing',
    'Art.33': 'Notifying a personal data breach to the supervisory authority',
    'Art.34': 'Communicating a personal data breach to the data subject',
    'Art.35': 'Data protection impact assessment',
  },
};
