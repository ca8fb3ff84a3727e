/**
 * CIS Amazon Web Services Foundations Benchmark v3.0.0: every recommendation id (automated and
 * manual, Level 1 and 2), written from the benchmark's table of contents.
 * 1 IAM (1.1–1.22); 2 Storage: 2.1 S3 (2.1.1–2.1.4), 2.2 EC2/EBS (2.2.1), 2.3 RDS (2.3.1–2.3.3),
 * 2.4 EFS (2.4.1); 3 Logging (3.1–3.9); 4 Monitoring (4.1–4.16); 5 Networking (5.1–5.6).
 */
import { seq, type Catalogue } from '../catalogue.js';

export const CIS_AWS_3_0: Catalogue = {
  framework: 'cis-aws-3.0',
  edition: 'CIS Amazon Web Services Foundations Benchmark v3.0.0',
  level: 'recommendations (the numbered leaves), automated and manual',
  requirements: [
    ...seq('1.', 1, 22),
    ...seq('2.1.', 1, 4),
    '2.2.1',
    ...seq('2.3.', 1, 3),
    '2.4.1',
    ...seq('3.', 1, 9),
    ...seq('4.', 1, 16),
    ...seq('5.', 1, 6),
  ],
};
