/**
 * SOC 2: the AICPA 2017 Trust Services Criteria (revised points of focus, 2022): every
 * criterion. Common criteria CC1.1–CC9.2 (security), availability A1.1–A1.3, confidentiality
 * C1.1–C1.2, processing integrity PI1.1–PI1.5, privacy P1.1–P8.1. Points of focus are not
 * listed.
 */
import { seq, type Catalogue } from '../catalogue.js';

export const SOC2: Catalogue = {
  framework: 'soc2',
  edition: 'AICPA Trust Services Criteria 2017 (points of focus revised 2022)',
  level: 'criteria (61); points of focus left out',
  requirements: [
    ...seq('CC1.', 1, 5),
    ...seq('CC2.', 1, 3),
    ...seq('CC3.', 1, 4),
    ...seq('CC4.', 1, 2),
    ...seq('CC5.', 1, 3),
    ...seq('CC6.', 1, 8),
    ...seq('CC7.', 1, 5),
    'CC8.1',
    ...seq('CC9.', 1, 2),
    ...seq('A1.', 1, 3),
    ...seq('C1.', 1, 2),
    ...seq('PI1.', 1, 5),
    'P1.1',
    'P2.1',
    ...seq('P3.', 1, 2),
    ...seq('P4.', 1, 3),
    ...seq('P5.', 1, 2),
    ...seq('P6.', 1, 7),
    'P7.1',
    'P8.1',
  ],
  titles: {
    'CC6.1': 'Logical access security over protected information assets',
    'CC6.2': 'Registering and authorising users before access',
    'CC6.3': 'Role-based access, least privilege and segregation of duties',
    'CC6.6': 'Protection against threats from outside the system boundary',
    'CC6.7': 'Restricting and protecting data in transmission and movement',
    'CC6.8': 'Preventing or detecting unauthorised or malicious software',
    'CC7.1': 'Detecting configuration changes and new vulnerabilities',
    'CC7.2': 'Monitoring system components for anomalies',
    'CC8.1': 'Change management',
    'A1.2': 'Environmental protections, backup and recovery infrastructure',
  },
};
