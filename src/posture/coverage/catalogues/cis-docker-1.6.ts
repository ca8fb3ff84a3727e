/**
 * CIS Docker Benchmark v1.6.0: every recommendation id (automated and manual), written from
 * the benchmark's table of contents.
 * 1 Host configuration: 1.1 Linux hosts (1.1.1–1.1.18), 1.2 general (1.2.1–1.2.2); 2 Docker
 * daemon configuration (2.1–2.18); 3 daemon configuration files (3.1–3.24); 4 Container images
 * and build files (4.1–4.12); 5 Container runtime (5.1–5.32); 6 Security operations (6.1–6.2);
 * 7 Swarm configuration (7.1–7.9).
 * Vigil reads Dockerfiles, so only section 4 is within its reach.
 */
import { seq, type Catalogue } from '../catalogue.js';

export const CIS_DOCKER_1_6: Catalogue = {
  framework: 'cis-docker-1.6',
  edition: 'CIS Docker Benchmark v1.6.0',
  level: 'recommendations (the numbered leaves), automated and manual',
  requirements: [
    ...seq('1.1.', 1, 18),
    ...seq('1.2.', 1, 2),
    ...seq('2.', 1, 18),
    ...seq('3.', 1, 24),
    ...seq('4.', 1, 12),
    ...seq('5.', 1, 32),
    ...seq('6.', 1, 2),
    ...seq('7.', 1, 9),
  ],
};
