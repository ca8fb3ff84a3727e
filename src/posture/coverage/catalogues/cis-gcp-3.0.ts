/**
 * CIS Google Cloud Platform Foundation Benchmark v3.0.0: every recommendation id (automated
 * and manual), written from the benchmark's table of contents.
 * 1 IAM (1.1–1.17); 2 Logging and monitoring (2.1–2.16); 3 Networking (3.1–3.10); 4 Virtual
 * machines (4.1–4.12); 5 Storage (5.1–5.2); 6 Cloud SQL: 6.1 MySQL (6.1.1–6.1.3),
 * 6.2 PostgreSQL (6.2.1–6.2.8), 6.3 SQL Server (6.3.1–6.3.7), 6.4–6.7; 7 BigQuery (7.1–7.4);
 * 8 Dataproc (8.1).
 * No reference mapping of this edition is in ../shared/data (Prowler ships CIS GCP 4.0, whose
 * numbering of these sections is the same), so these ids are not cross-checked by a test.
 */
import { seq, type Catalogue } from '../catalogue.js';

export const CIS_GCP_3_0: Catalogue = {
  framework: 'cis-gcp-3.0',
  edition: 'CIS Google Cloud Platform Foundation Benchmark v3.0.0',
  level: 'recommendations (the numbered leaves), automated and manual',
  requirements: [
    ...seq('1.', 1, 17),
    ...seq('2.', 1, 16),
    ...seq('3.', 1, 10),
    ...seq('4.', 1, 12),
    ...seq('5.', 1, 2),
    ...seq('6.1.', 1, 3),
    ...seq('6.2.', 1, 8),
    ...seq('6.3.', 1, 7),
    ...seq('6.', 4, 7),
    ...seq('7.', 1, 4),
    '8.1',
  ],
};
