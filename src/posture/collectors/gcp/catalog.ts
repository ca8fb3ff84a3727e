/**
 * What the GCP collector reads: the REST list calls per project, the per-resource sub-calls
 * merged into attrs, and the IAM permission each call needs. Pure data and small path builders;
 * docs/collectors/gcp.md is generated from it (docs.ts), so the documented permissions are the
 * calls made.
 *
 * API versions follow Cloud Custodian's (and so its recordings): Cloud SQL Admin `v1beta4` and
 * Cloud DNS `v1beta2`, both served alongside `v1` with the same resource shapes.
 */
import type { ResourceKind } from '../../model.js';

export type GcpKind = ResourceKind & `gcp:${string}`;
export type GcpObject = Record<string, unknown>;

const kind = (t: string): GcpKind => `gcp:${t}`;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** One URL path segment: percent-encoded (so a name cannot add segments or a query). */
export const seg = (s: string): string => encodeURIComponent(s);

/** A relative resource name from a response (`projects/p/locations/l/keyRings/k`), or undefined when unsafe. */
export function rel(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 1024) return undefined;
  if (!/^[A-Za-z0-9._~@-]+(\/[A-Za-z0-9._~@-]+)*$/.test(name)) return undefined;
  return name.split('/').some((s) => s === '.' || s === '..') ? undefined : name;
}

/** Last path segment of a URL or name (`zones/us-east1-b` → `us-east1-b`). */
export const lastSegment = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v.split('/').filter(Boolean).pop() : undefined);

const lower = (v: unknown): string | undefined => str(v)?.toLowerCase();

/** A zone (`us-east4-c`) gives its region (`us-east4`); a region or multi-region stays as it is. */
export function regionOf(location: unknown): string | undefined {
  const l = lower(lastSegment(location));
  if (!l) return undefined;
  const m = /^([a-z]+-[a-z]+\d+)-[a-z]$/.exec(l);
  return m?.[1] ?? l;
}

/** `https://www.googleapis.com/compute/v1/projects/p/...` → `//compute.googleapis.com/projects/p/...` */
function computeName(item: GcpObject): string | undefined {
  const link = str(item['selfLink']);
  const m = link ? /\/compute\/(?:v1|beta|alpha)\/(projects\/.+)$/.exec(link) : null;
  return m?.[1] ? `//compute.googleapis.com/${m[1]}` : undefined;
}

export interface GcpSubCall {
  /** The attrs key the answer is merged under. */
  readonly key: string;
  readonly method: 'GET' | 'POST';
  readonly host: string;
  /** Path for this item; undefined when the item lacks what it needs (then a sub-call gap). */
  readonly path: (item: GcpObject, project: string) => string | undefined;
  readonly query?: Readonly<Record<string, string>>;
  readonly body?: unknown;
  /** A list: follow pages and merge the array under this key of the answer. */
  readonly itemsKey?: string;
  /** The call as documented, e.g. `POST /v1/projects/{project}:getIamPolicy`. */
  readonly call: string;
  readonly permission: string;
  readonly doc: string;
}

export interface GcpChildList {
  readonly kind: GcpKind;
  readonly host: string;
  readonly path: (parent: GcpObject) => string | undefined;
  readonly itemsKey: string;
  readonly call: string;
  readonly permission: string;
  readonly doc: string;
  readonly fullName: (item: GcpObject, project: string) => string | undefined;
  readonly region: (item: GcpObject) => string | undefined;
  readonly subCalls: readonly GcpSubCall[];
}

export interface GcpType {
  readonly kind: GcpKind;
  /** API service name, the `service` of a gap (`storage`, `compute`, `cloudkms`). */
  readonly service: string;
  readonly host: string;
  readonly path: (project: string) => string;
  readonly query?: (project: string) => Readonly<Record<string, string>>;
  readonly itemsKey: string;
  /** Compute `aggregated/` lists: `items` is a map of scopes, each holding `itemsKey`. */
  readonly aggregated?: boolean;
  /** Listed per parent (KMS key rings per location): the parents' list and each child list path. */
  readonly parents?: {
    readonly path: (project: string) => string;
    readonly itemsKey: string;
    readonly call: string;
    readonly permission: string;
    readonly childPath: (parent: GcpObject) => string | undefined;
  };
  /** The list gives references only: GET each item's full form (BigQuery datasets). */
  readonly detail?: { readonly path: (item: GcpObject, project: string) => string | undefined; readonly call: string; readonly permission: string };
  readonly call: string;
  readonly permission: string;
  readonly doc: string;
  readonly fullName: (item: GcpObject, project: string) => string | undefined;
  readonly region: (item: GcpObject) => string | undefined;
  readonly subCalls: readonly GcpSubCall[];
  readonly children?: readonly GcpChildList[];
}

const CRM = 'cloudresourcemanager.googleapis.com';
const IAM = 'iam.googleapis.com';
const STORAGE = 'storage.googleapis.com';
const COMPUTE = 'compute.googleapis.com';
const KMS = 'cloudkms.googleapis.com';
const POLICY_V3 = { options: { requestedPolicyVersion: 3 } };

const kmsIam = (what: string): GcpSubCall => ({
  key: 'iamPolicy',
  method: 'GET',
  host: KMS,
  path: (item) => {
    const name = rel(item['name']);
    return name ? `/v1/${name}:getIamPolicy` : undefined;
  },
  query: { 'options.requestedPolicyVersion': '3' },
  call: `GET /v1/{${what}}:getIamPolicy`,
  permission: what === 'keyRing' ? 'cloudkms.keyRings.getIamPolicy' : 'cloudkms.cryptoKeys.getIamPolicy',
  doc: `IAM policy of the ${what === 'keyRing' ? 'key ring' : 'key'} (\`bindings[].role\`, \`members\`: \`allUsers\`/\`allAuthenticatedUsers\` make it public).`,
});

/** The project itself: from the project list, or read one by one when projects are given. */
export const PROJECT = {
  kind: kind('cloudresourcemanager.googleapis.com/Project'),
  service: 'cloudresourcemanager',
  host: CRM,
  listCall: 'GET /v1/projects',
  getCall: 'GET /v1/projects/{project}',
  permission: 'resourcemanager.projects.get',
  doc: 'The project (`projectId`, `projectNumber`, `lifecycleState`, `parent`), the anchor for project-level checks.',
  subCalls: [
    {
      key: 'iamPolicy',
      method: 'POST',
      host: CRM,
      path: (_item: GcpObject, project: string) => `/v1/projects/${seg(project)}:getIamPolicy`,
      body: POLICY_V3,
      call: 'POST /v1/projects/{project}:getIamPolicy',
      permission: 'resourcemanager.projects.getIamPolicy',
      doc: 'Project IAM policy, version 3 (`bindings[].role`/`members`/`condition`; `auditConfigs[]` with `service` and `auditLogConfigs[].logType`/`exemptedMembers`: Data Access audit logging).',
    },
    {
      key: 'computeProject',
      method: 'GET',
      host: COMPUTE,
      path: (_item: GcpObject, project: string) => `/compute/v1/projects/${seg(project)}`,
      call: 'GET /compute/v1/projects/{project}',
      permission: 'compute.projects.get',
      doc: 'Compute Engine project settings (`commonInstanceMetadata.items[]`: `enable-oslogin`, `block-project-ssh-keys`; `xpnProjectStatus`).',
    },
    {
      key: 'essentialContacts',
      method: 'GET',
      host: 'essentialcontacts.googleapis.com',
      path: (_item: GcpObject, project: string) => `/v1/projects/${seg(project)}/contacts`,
      itemsKey: 'contacts',
      call: 'GET /v1/projects/{project}/contacts',
      permission: 'essentialcontacts.contacts.list',
      doc: 'Essential Contacts (`email`, `notificationCategorySubscriptions`).',
    },
  ] satisfies GcpSubCall[],
} as const;

export const GCP_TYPES: readonly GcpType[] = [
  {
    kind: kind('iam.googleapis.com/ServiceAccount'),
    service: 'iam',
    host: IAM,
    path: (p) => `/v1/projects/${seg(p)}/serviceAccounts`,
    itemsKey: 'accounts',
    call: 'GET /v1/projects/{project}/serviceAccounts',
    permission: 'iam.serviceAccounts.list',
    doc: 'Service accounts (`email`, `uniqueId`, `disabled`, `displayName`).',
    fullName: (item) => (rel(item['name']) ? `//iam.googleapis.com/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [
      {
        key: 'keys',
        method: 'GET',
        host: IAM,
        path: (item, p) => (str(item['email']) ? `/v1/projects/${seg(p)}/serviceAccounts/${seg(String(item['email']))}/keys` : undefined),
        itemsKey: 'keys',
        call: 'GET /v1/projects/{project}/serviceAccounts/{email}/keys',
        permission: 'iam.serviceAccountKeys.list',
        doc: 'Keys of the account, never key material (`keyType`: `USER_MANAGED`/`SYSTEM_MANAGED`, `validAfterTime`, `validBeforeTime`, `disabled`).',
      },
      {
        key: 'iamPolicy',
        method: 'POST',
        host: IAM,
        path: (item, p) => (str(item['email']) ? `/v1/projects/${seg(p)}/serviceAccounts/${seg(String(item['email']))}:getIamPolicy` : undefined),
        call: 'POST /v1/projects/{project}/serviceAccounts/{email}:getIamPolicy',
        permission: 'iam.serviceAccounts.getIamPolicy',
        doc: 'Who may act as the account (`bindings[].role` such as `roles/iam.serviceAccountUser`, `roles/iam.serviceAccountTokenCreator`).',
      },
    ],
  },
  {
    kind: kind('storage.googleapis.com/Bucket'),
    service: 'storage',
    host: STORAGE,
    path: () => '/storage/v1/b',
    query: (p) => ({ project: p, projection: 'full' }),
    itemsKey: 'items',
    call: 'GET /storage/v1/b?project={project}&projection=full',
    permission: 'storage.buckets.list',
    doc: 'Cloud Storage buckets, full projection (`iamConfiguration.uniformBucketLevelAccess.enabled`, `iamConfiguration.publicAccessPrevention`, `acl`, `defaultObjectAcl`, `retentionPolicy`, `logging`, `encryption.defaultKmsKeyName`, `versioning`).',
    fullName: (item) => (str(item['name']) ? `//storage.googleapis.com/projects/_/buckets/${String(item['name'])}` : undefined),
    region: (item) => lower(item['location']),
    subCalls: [
      {
        key: 'iamPolicy',
        method: 'GET',
        host: STORAGE,
        path: (item) => (str(item['name']) ? `/storage/v1/b/${seg(String(item['name']))}/iam` : undefined),
        query: { optionsRequestedPolicyVersion: '3' },
        call: 'GET /storage/v1/b/{bucket}/iam',
        permission: 'storage.buckets.getIamPolicy',
        doc: 'Bucket IAM policy (`bindings[].role`/`members`: `allUsers`/`allAuthenticatedUsers` make it public).',
      },
    ],
  },
  {
    kind: kind('compute.googleapis.com/Firewall'),
    service: 'compute',
    host: COMPUTE,
    path: (p) => `/compute/v1/projects/${seg(p)}/global/firewalls`,
    itemsKey: 'items',
    call: 'GET /compute/v1/projects/{project}/global/firewalls',
    permission: 'compute.firewalls.list',
    doc: 'VPC firewall rules (`direction`, `sourceRanges`, `allowed[].IPProtocol`/`ports`, `disabled`, `logConfig.enable`, `network`).',
    fullName: computeName,
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('compute.googleapis.com/Network'),
    service: 'compute',
    host: COMPUTE,
    path: (p) => `/compute/v1/projects/${seg(p)}/global/networks`,
    itemsKey: 'items',
    call: 'GET /compute/v1/projects/{project}/global/networks',
    permission: 'compute.networks.list',
    doc: 'VPC networks (`name` such as `default`, `autoCreateSubnetworks`, `IPv4Range` for legacy networks, `subnetworks`).',
    fullName: computeName,
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('compute.googleapis.com/Subnetwork'),
    service: 'compute',
    host: COMPUTE,
    path: (p) => `/compute/v1/projects/${seg(p)}/aggregated/subnetworks`,
    itemsKey: 'subnetworks',
    aggregated: true,
    call: 'GET /compute/v1/projects/{project}/aggregated/subnetworks',
    permission: 'compute.subnetworks.list',
    doc: 'Subnetworks in every region (`logConfig.enable`: VPC flow logs, `privateIpGoogleAccess`, `purpose`).',
    fullName: computeName,
    region: (item) => lastSegment(item['region']),
    subCalls: [],
  },
  {
    kind: kind('compute.googleapis.com/Instance'),
    service: 'compute',
    host: COMPUTE,
    path: (p) => `/compute/v1/projects/${seg(p)}/aggregated/instances`,
    itemsKey: 'instances',
    aggregated: true,
    call: 'GET /compute/v1/projects/{project}/aggregated/instances',
    permission: 'compute.instances.list',
    doc: 'VM instances in every zone (`serviceAccounts[].email`/`scopes`, `metadata.items[]`, `networkInterfaces[].accessConfigs`, `canIpForward`, `shieldedInstanceConfig`, `confidentialInstanceConfig`).',
    fullName: computeName,
    region: (item) => regionOf(item['zone']),
    subCalls: [],
  },
  {
    kind: kind('sqladmin.googleapis.com/Instance'),
    service: 'sqladmin',
    host: 'sqladmin.googleapis.com',
    path: (p) => `/sql/v1beta4/projects/${seg(p)}/instances`,
    itemsKey: 'items',
    call: 'GET /sql/v1beta4/projects/{project}/instances',
    permission: 'cloudsql.instances.list',
    doc: 'Cloud SQL instances (`databaseVersion`, `settings.ipConfiguration.authorizedNetworks`/`ipv4Enabled`/`requireSsl`/`sslMode`, `settings.databaseFlags[]`, `settings.backupConfiguration.enabled`).',
    fullName: (item, p) => (str(item['name']) ? `//cloudsql.googleapis.com/projects/${p}/instances/${String(item['name'])}` : undefined),
    region: (item) => lower(item['region']),
    subCalls: [],
  },
  {
    kind: kind('cloudkms.googleapis.com/KeyRing'),
    service: 'cloudkms',
    host: KMS,
    parents: {
      path: (p) => `/v1/projects/${seg(p)}/locations`,
      itemsKey: 'locations',
      call: 'GET /v1/projects/{project}/locations',
      permission: 'cloudkms.locations.list',
      childPath: (loc) => {
        const name = rel(loc['name']);
        return name ? `/v1/${name}/keyRings` : undefined;
      },
    },
    path: (p) => `/v1/projects/${seg(p)}/locations/{location}/keyRings`,
    itemsKey: 'keyRings',
    call: 'GET /v1/projects/{project}/locations/{location}/keyRings',
    permission: 'cloudkms.keyRings.list',
    doc: 'KMS key rings in every location (`name`, `createTime`).',
    fullName: (item) => (rel(item['name']) ? `//cloudkms.googleapis.com/${String(item['name'])}` : undefined),
    region: (item) => /\/locations\/([^/]+)/.exec(String(item['name']))?.[1],
    subCalls: [kmsIam('keyRing')],
    children: [
      {
        kind: kind('cloudkms.googleapis.com/CryptoKey'),
        host: KMS,
        path: (ring) => {
          const name = rel(ring['name']);
          return name ? `/v1/${name}/cryptoKeys` : undefined;
        },
        itemsKey: 'cryptoKeys',
        call: 'GET /v1/{keyRing}/cryptoKeys',
        permission: 'cloudkms.cryptoKeys.list',
        doc: 'KMS keys (`purpose`, `rotationPeriod`, `nextRotationTime`, `primary.state`, `versionTemplate.protectionLevel`).',
        fullName: (item) => (rel(item['name']) ? `//cloudkms.googleapis.com/${String(item['name'])}` : undefined),
        region: (item) => /\/locations\/([^/]+)/.exec(String(item['name']))?.[1],
        subCalls: [kmsIam('cryptoKey')],
      },
    ],
  },
  {
    kind: kind('logging.googleapis.com/LogSink'),
    service: 'logging',
    host: 'logging.googleapis.com',
    path: (p) => `/v2/projects/${seg(p)}/sinks`,
    itemsKey: 'sinks',
    call: 'GET /v2/projects/{project}/sinks',
    permission: 'logging.sinks.list',
    doc: 'Log sinks (`filter` — empty exports all entries —, `destination`, `disabled`, `writerIdentity`).',
    fullName: (item, p) => (str(item['name']) ? `//logging.googleapis.com/projects/${p}/sinks/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('logging.googleapis.com/LogMetric'),
    service: 'logging',
    host: 'logging.googleapis.com',
    path: (p) => `/v2/projects/${seg(p)}/metrics`,
    itemsKey: 'metrics',
    call: 'GET /v2/projects/{project}/metrics',
    permission: 'logging.logMetrics.list',
    doc: 'Log-based metrics (`filter`, e.g. on `protoPayload.methodName="SetIamPolicy"`; `disabled`).',
    fullName: (item, p) => (str(item['name']) ? `//logging.googleapis.com/projects/${p}/metrics/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('monitoring.googleapis.com/AlertPolicy'),
    service: 'monitoring',
    host: 'monitoring.googleapis.com',
    path: (p) => `/v3/projects/${seg(p)}/alertPolicies`,
    itemsKey: 'alertPolicies',
    call: 'GET /v3/projects/{project}/alertPolicies',
    permission: 'monitoring.alertPolicies.list',
    doc: 'Alerting policies (`enabled`, `conditions[].conditionThreshold.filter` naming `logging.googleapis.com/user/<metric>`, `notificationChannels`).',
    fullName: (item) => (rel(item['name']) ? `//monitoring.googleapis.com/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('dns.googleapis.com/ManagedZone'),
    service: 'dns',
    host: 'dns.googleapis.com',
    path: (p) => `/dns/v1beta2/projects/${seg(p)}/managedZones`,
    itemsKey: 'managedZones',
    call: 'GET /dns/v1beta2/projects/{project}/managedZones',
    permission: 'dns.managedZones.list',
    doc: 'Cloud DNS zones (`visibility`, `dnssecConfig.state`, `dnssecConfig.defaultKeySpecs[].algorithm`/`keyType`).',
    fullName: (item, p) => (str(item['name']) ? `//dns.googleapis.com/projects/${p}/managedZones/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('dns.googleapis.com/Policy'),
    service: 'dns',
    host: 'dns.googleapis.com',
    path: (p) => `/dns/v1beta2/projects/${seg(p)}/policies`,
    itemsKey: 'policies',
    call: 'GET /dns/v1beta2/projects/{project}/policies',
    permission: 'dns.policies.list',
    doc: 'DNS server policies (`enableLogging`, `networks[].networkUrl`).',
    fullName: (item, p) => (str(item['name']) ? `//dns.googleapis.com/projects/${p}/policies/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [],
  },
  {
    kind: kind('container.googleapis.com/Cluster'),
    service: 'container',
    host: 'container.googleapis.com',
    path: (p) => `/v1/projects/${seg(p)}/locations/-/clusters`,
    itemsKey: 'clusters',
    call: 'GET /v1/projects/{project}/locations/-/clusters',
    permission: 'container.clusters.list',
    doc: 'GKE clusters in every location (`legacyAbac`, `masterAuthorizedNetworksConfig`, `privateClusterConfig`, `networkPolicy`, `shieldedNodes`, `workloadIdentityConfig`, `nodePools[].config`, `releaseChannel`, `currentMasterVersion`).',
    fullName: (item, p) => (str(item['name']) && str(item['location']) ? `//container.googleapis.com/projects/${p}/locations/${String(item['location'])}/clusters/${String(item['name'])}` : undefined),
    region: (item) => regionOf(item['location']),
    subCalls: [],
  },
  {
    kind: kind('bigquery.googleapis.com/Dataset'),
    service: 'bigquery',
    host: 'bigquery.googleapis.com',
    path: (p) => `/bigquery/v2/projects/${seg(p)}/datasets`,
    itemsKey: 'datasets',
    detail: {
      path: (item, p) => {
        const id = str((item['datasetReference'] as GcpObject | undefined)?.['datasetId']);
        return id ? `/bigquery/v2/projects/${seg(p)}/datasets/${seg(id)}` : undefined;
      },
      call: 'GET /bigquery/v2/projects/{project}/datasets/{dataset}',
      permission: 'bigquery.datasets.get',
    },
    call: 'GET /bigquery/v2/projects/{project}/datasets',
    permission: 'bigquery.datasets.get',
    doc: 'BigQuery datasets, each read in full (`access[]` with `role` and `specialGroup`/`iamMember` such as `allUsers`, `defaultEncryptionConfiguration.kmsKeyName`, `location`).',
    fullName: (item, p) => {
      const id = str((item['datasetReference'] as GcpObject | undefined)?.['datasetId']);
      return id ? `//bigquery.googleapis.com/projects/${p}/datasets/${id}` : undefined;
    },
    region: (item) => lower(item['location']),
    subCalls: [],
  },
  {
    kind: kind('apikeys.googleapis.com/Key'),
    service: 'apikeys',
    host: 'apikeys.googleapis.com',
    path: (p) => `/v2/projects/${seg(p)}/locations/global/keys`,
    itemsKey: 'keys',
    call: 'GET /v2/projects/{project}/locations/global/keys',
    permission: 'apikeys.keys.list',
    doc: 'API keys, never the key string (`restrictions.apiTargets`, `browserKeyRestrictions`, `serverKeyRestrictions`, `createTime`).',
    fullName: (item) => (rel(item['name']) ? `//apikeys.googleapis.com/${String(item['name'])}` : undefined),
    region: () => 'global',
    subCalls: [],
  },
];

/** Every kind the collector can produce, in catalog order. */
export function gcpKinds(): GcpKind[] {
  const out: GcpKind[] = [PROJECT.kind];
  for (const t of GCP_TYPES) {
    out.push(t.kind);
    for (const c of t.children ?? []) out.push(c.kind);
  }
  return out;
}
