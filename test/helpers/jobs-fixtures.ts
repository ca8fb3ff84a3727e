/**
 * Small hand-written inputs for the job tests (test/integration/jobs-start.test.ts and
 * test/e2e/jobs.test.ts): a one-entry CISA KEV catalogue a local feed server serves, and a
 * cluster dump (a namespace and a privileged pod) a posture scan reads from a snapshot folder.
 */
export const KEV_DOCUMENT = JSON.stringify({
  title: 'CISA Catalog of Known Exploited Vulnerabilities',
  catalogVersion: '2025.08.25',
  dateReleased: '2025-08-25T17:00:50.6574Z',
  count: 1,
  vulnerabilities: [{ cveID: 'CVE-2024-1111', vendorProject: 'Example', product: 'Widget', vulnerabilityName: 'Widget bug', dateAdded: '2025-01-10', shortDescription: 'x', requiredAction: 'Patch', dueDate: '2025-01-31', knownRansomwareCampaignUse: 'Unknown', notes: '', cwes: [] }],
});

export const CLUSTER_DUMP = {
  apiVersion: 'v1',
  kind: 'List',
  items: [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'prod', uid: 'ns-prod' } },
    { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'prod', uid: 'pod-web' }, spec: { containers: [{ name: 'web', image: 'nginx:1.25', securityContext: { privileged: true } }] } },
  ],
};
