import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../app/context.js';
import { accountsRoutes } from './accounts.js';
import { advisoriesRoutes } from './advisories.js';
import { apiKeysRoutes } from './apiKeys.js';
import { auditRoutes } from './audit.js';
import { authRoutes } from './auth.js';
import { clustersRoutes } from './clusters.js';
import { complianceRoutes } from './compliance.js';
import { findingsRoutes } from './findings.js';
import { jobsRoutes } from './jobs.js';
import { postureRoutes } from './posture.js';
import { projectsRoutes } from './projects.js';
import { scansRoutes } from './scans.js';
import { tenantRoutes } from './tenant.js';
import { usersRoutes } from './users.js';

/** Every route module under /api/v1: add a module here and nowhere else. */
export const API_ROUTES: readonly FastifyPluginAsyncZod<{ ctx: AppContext }>[] = [
  authRoutes,
  tenantRoutes,
  usersRoutes,
  apiKeysRoutes,
  auditRoutes,
  advisoriesRoutes,
  jobsRoutes,
  projectsRoutes,
  findingsRoutes,
  postureRoutes,
  clustersRoutes,
  accountsRoutes,
  complianceRoutes,
  scansRoutes,
];
