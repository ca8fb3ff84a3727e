/**
 * CIS Microsoft Azure Foundations Benchmark v2.1.0: every recommendation id (automated and
 * manual), written from the benchmark's table of contents.
 * 1 Identity: 1.1 security defaults (1.1.1–1.1.4), 1.2 conditional access (1.2.1–1.2.6),
 * 1.3–1.25; 2 Microsoft Defender: 2.1 Defender for Cloud (2.1.1–2.1.22), 2.2 Defender for IoT
 * (2.2.1); 3 Storage accounts (3.1–3.17); 4 Database services: 4.1 SQL server (4.1.1–4.1.6),
 * 4.2 SQL Defender (4.2.1–4.2.5), 4.3 PostgreSQL (4.3.1–4.3.8), 4.4 MySQL (4.4.1–4.4.4),
 * 4.5 Cosmos DB (4.5.1–4.5.3); 5 Logging and monitoring: 5.1 diagnostic settings (5.1.1–5.1.7),
 * 5.2 activity log alerts (5.2.1–5.2.10), 5.3 Application Insights (5.3.1), 5.4, 5.5;
 * 6 Networking (6.1–6.7); 7 Virtual machines (7.1–7.10); 8 Key Vault (8.1–8.8); 9 App Service
 * (9.1–9.11); 10 Miscellaneous (10.1).
 * No reference mapping of this edition is in ../shared/data (Prowler ships CIS Azure 4.0), so
 * these ids are not cross-checked.
 */
import { seq, type Catalogue } from '../catalogue.js';

export const CIS_AZURE_2_1: Catalogue = {
  framework: 'cis-azure-2.1',
  edition: 'CIS Microsoft Azure Foundations Benchmark v2.1.0',
  level: 'recommendations (the numbered leaves), automated and manual',
  requirements: [
    ...seq('1.1.', 1, 4),
    ...seq('1.2.', 1, 6),
    ...seq('1.', 3, 25),
    ...seq('2.1.', 1, 22),
    '2.2.1',
    ...seq('3.', 1, 17),
    ...seq('4.1.', 1, 6),
    ...seq('4.2.', 1, 5),
    ...seq('4.3.', 1, 8),
    ...seq('4.4.', 1, 4),
    ...seq('4.5.', 1, 3),
    ...seq('5.1.', 1, 7),
    ...seq('5.2.', 1, 10),
    '5.3.1',
    '5.4',
    '5.5',
    ...seq('6.', 1, 7),
    ...seq('7.', 1, 10),
    ...seq('8.', 1, 8),
    ...seq('9.', 1, 11),
    '10.1',
  ],
};
