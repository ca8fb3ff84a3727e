/**
 * docs/collectors/gcp.md, generated from the catalog so the documented calls, permissions,
 * kinds and attrs keys are the ones the collector uses (docs.test.ts keeps the file current:
 * `VIGIL_UPDATE_DOCS=1 node --import tsx --test src/posture/collectors/gcp/docs.test.ts`).
 */
import { GCP_TYPES, PROJECT, type GcpSubCall } from './catalog.js';

export interface GcpCall {
  readonly kind: string;
  readonly host: string;
  readonly call: string;
  readonly permission: string;
}

/** Every call the collector makes, with the IAM permission it needs. */
export function gcpCalls(): GcpCall[] {
  const out: GcpCall[] = [
    { kind: PROJECT.kind, host: PROJECT.host, call: `${PROJECT.listCall}?filter=lifecycleState:ACTIVE`, permission: PROJECT.permission },
    { kind: PROJECT.kind, host: PROJECT.host, call: PROJECT.getCall, permission: PROJECT.permission },
  ];
  const subs = (kind: string, calls: readonly GcpSubCall[]): void => {
    for (const c of calls) out.push({ kind, host: c.host, call: c.call, permission: c.permission });
  };
  subs(PROJECT.kind, PROJECT.subCalls);
  for (const t of GCP_TYPES) {
    if (t.parents) out.push({ kind: t.kind, host: t.host, call: t.parents.call, permission: t.parents.permission });
    out.push({ kind: t.kind, host: t.host, call: t.call, permission: t.permission });
    if (t.detail) out.push({ kind: t.kind, host: t.host, call: t.detail.call, permission: t.detail.permission });
    subs(t.kind, t.subCalls);
    for (const c of t.children ?? []) {
      out.push({ kind: c.kind, host: c.host, call: c.call, permission: c.permission });
      subs(c.kind, c.subCalls);
    }
  }
  return out;
}

/** The distinct IAM permissions, sorted: the least-privilege custom role. */
export function gcpPermissions(): string[] {
  return [...new Set(gcpCalls().map((c) => c.permission))].sort();
}

function kindSection(kind: string, doc: string, calls: readonly GcpSubCall[], extra: string[] = []): string[] {
  const lines = [`### \`${kind}\``, '', doc, ''];
  if (calls.length > 0 || extra.length > 0) {
    lines.push('| attrs key | from | holds |', '|---|---|---|');
    for (const c of calls) lines.push(`| \`${c.key}\` | \`${c.call}\` | ${c.doc} |`);
    lines.push(...extra);
    lines.push('');
  }
  return lines;
}

export function renderGcpDoc(): string {
  const lines: string[] = [
    '# GCP collector',
    '',
    '<!-- Generated from src/posture/collectors/gcp/catalog.ts by docs.ts; do not edit by hand. -->',
    '',
    'Reads the Google Cloud REST APIs through google-auth-library\'s authorised `request()` (gaxios',
    'underneath: retries with exponential back-off on 429 and 5xx, here also honouring `Retry-After`;',
    '`getIamPolicy` POSTs, which only read, are retried too). Only reads are sent: `GET`, and `POST`',
    'for the `getIamPolicy` methods that are POSTs in their APIs.',
    '',
    '- **Live**: Application Default Credentials (`GOOGLE_APPLICATION_CREDENTIALS`, gcloud ADC, workload',
    '  identity, the metadata server), or a service account key file (`keyFile`), or any auth client',
    '  (`requester`). Scope `cloud-platform` by default (`scopes`); IAM roles bound what is read.',
    '  Projects: those given, else every ACTIVE project the credential can list. One result per project.',
    '- **Offline**: Cloud Custodian flight recordings (`recordings`: a flight directory of one recorded',
    '  session) served to gaxios as its `fetchImplementation`, under the same auth client (an OAuth2',
    '  client with a fixed token). A request maps to the file Custodian\'s recorder names',
    '  `<method>-<path>_<n>.json` (path `/` and `:` as `-`, query ignored; the host-qualified',
    '  `<method>-<host><path>_<n>.json` preferred when present): `_1` answers, and a request with a',
    '  `pageToken` gets the file after the page that returned that token. Projects: those given, else',
    '  the recorded project list, else `cloud-custodian`, the placeholder Custodian writes in recorded',
    '  paths. Calls whose path does not name the project (the bucket list names it in the query) answer',
    '  the same recording for every project collected. A request with no recording becomes a gap "not',
    '  in the recordings".',
    '- API versions follow Custodian\'s recordings: Cloud SQL Admin `v1beta4` and Cloud DNS `v1beta2`',
    '  (served alongside `v1`, same resource shapes).',
    '- Options: `concurrency` (requests in flight, default 8), `maxPages` (per list, default 500; a gap',
    '  when reached), `retry` (`maxRetries` 4, `retryDelayMs` 500, `maxRetryDelayMs` 60000), `timeoutMs`',
    '  (60000), `endpoint` (base URL per API host: private endpoints, tests).',
    '',
    '## Gaps',
    '',
    'A list call that fails gives a `CollectionGap` naming the call and the kinds it leaves unknown; a',
    'per-resource sub-call that fails leaves its attrs key out and records the reason in',
    '`meta.gaps[key]` (a BigQuery dataset that could be listed but not read has gaps under `access`',
    'and `defaultEncryptionConfiguration`). Reasons: 401, no credentials, or the token endpoint',
    'refusing them → `bad-credentials`; 403 → `access-denied`, unless the API is disabled',
    '(`accessNotConfigured`, `SERVICE_DISABLED`, "has not been used in project") → `not-enabled`, as is',
    'a 404 on a list; 429 after the retries → `throttled`; 5xx or no answer after the retries →',
    '`unavailable`; a body that is not the expected JSON → `invalid-response`. A sub-call answered 404',
    'gives `null`. Messages carry Google\'s status, reason and text; tokens and keys are scrubbed.',
    '',
    '## Least privilege',
    '',
    'Predefined roles on each project: **`roles/viewer`** (every list and get) plus',
    '**`roles/iam.securityReviewer`** (every `getIamPolicy`). The exact permissions, as a custom role:',
    '',
    '```yaml',
    'title: Vigil posture reader',
    'description: Read-only access for the Vigil GCP posture collector',
    'stage: GA',
    'includedPermissions:',
    ...gcpPermissions().map((p) => `  - ${p}`),
    '```',
    '',
    '## Calls',
    '',
    '| kind | host | call | permission |',
    '|---|---|---|---|',
    ...gcpCalls().map((c) => `| \`${c.kind}\` | ${c.host} | \`${c.call}\` | \`${c.permission}\` |`),
    '',
    '## Kinds and attrs',
    '',
    'Every resource: `kind` as below (the Cloud Asset Inventory type), `attrs` = the REST JSON as',
    'returned with the sub-call answers merged under the keys listed; `id` and `file` = the full',
    'resource name (`//storage.googleapis.com/projects/_/buckets/<name>`, `//compute.googleapis.com/',
    'projects/<p>/global/firewalls/<name>`, `//cloudsql.googleapis.com/projects/<p>/instances/<name>`,',
    '`//cloudresourcemanager.googleapis.com/projects/<project id>`, …); `account` = the project id;',
    '`name` = the email, project id, dataset id or last segment of `name`; `region` = the region',
    '(a zone\'s region for zonal resources, the zone itself stays in `attrs.zone` / `location`),',
    '`global` for global resources, none for the project.',
    '',
    ...kindSection(PROJECT.kind, PROJECT.doc, PROJECT.subCalls),
  ];
  for (const t of GCP_TYPES) {
    lines.push(...kindSection(t.kind, t.doc, t.subCalls));
    for (const c of t.children ?? []) lines.push(...kindSection(c.kind, c.doc, c.subCalls));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
