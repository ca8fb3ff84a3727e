/**
 * The contract of the posture collectors (issue 7): the half of posture that reads running
 * infrastructure (AWS, Azure, GCP accounts and Kubernetes clusters) live through the providers'
 * SDKs, or offline from recorded API responses / `kubectl get -o json` dumps, and adapts what it
 * reads to the same typed resource model as the file inputs (src/posture/model.ts), so the same
 * engine and, where the concern is the same, the same rules run on it.
 *
 * One folder per provider under src/posture/collectors/, each exporting a `Collector`. The API
 * layer of a provider is the only part doing network I/O; adapting responses to resources is
 * pure. A collector never throws for what the provider answers: bad credentials, denied
 * permissions, a service not enabled in a region or throttling that outlasted the retries
 * become `CollectionGap`s, which the engine turns into "not-assessed" findings for every rule
 * that needed the missing data (never a crash, never a silent pass).
 *
 * Resource conventions for collected resources:
 * - `kind`: `aws:<CloudFormation type>` (`aws:AWS::S3::Bucket`, `aws:AWS::IAM::User`; account
 *   level settings with no CloudFormation type get a Vigil name in the same style:
 *   `aws:AWS::IAM::AccountPasswordPolicy`), `azure:<ARM type>`
 *   (`azure:Microsoft.Storage/storageAccounts`), `gcp:<Cloud Asset Inventory type>`
 *   (`gcp:storage.googleapis.com/Bucket`), and for clusters the same `k8s:<Kind>` kinds as
 *   manifests (so every Kubernetes rule runs on a live cluster unchanged).
 * - `type`: the part after the family prefix.
 * - `attrs`: the provider's own response shape (AWS SDK v3 / botocore PascalCase, ARM and GCP
 *   REST JSON as returned, Kubernetes objects as the API returns them), with the results of
 *   per-resource sub-calls merged under documented keys (e.g. an S3 bucket's `Acl`,
 *   `PublicAccessBlock`, `Encryption`). A sub-call whose answer is "not configured" (S3's
 *   NoSuchPublicAccessBlockConfiguration) gives `null`; a sub-call that failed leaves the key
 *   out and records the reason in `meta.gaps[key]` (see `SubCallGap`).
 * - `file`: a stable location for people: the ARN / ARM id / GCP full resource name /
 *   `cluster/<name>/<namespace>/<Kind>/<name>`; `line` and `endLine` are 0 and `lineOf` always
 *   answers undefined (there is no source file). Output formats show the `file` as the location.
 * - `account`, `region`, `namespace` set where the provider has them; `name` the resource name.
 */
import type { Provider, Resource, ResourceKind } from '../model.js';

export const COLLECTOR_PROVIDERS = ['aws', 'azure', 'gcp', 'kubernetes'] as const;
export type CollectorProvider = (typeof COLLECTOR_PROVIDERS)[number] & Provider;

/** Why something could not be read. */
export const GAP_REASONS = ['bad-credentials', 'access-denied', 'throttled', 'not-enabled', 'unavailable', 'invalid-response', 'error'] as const;
export type GapReason = (typeof GAP_REASONS)[number];

/**
 * Data that could not be collected. `kinds` names the resource kinds this leaves unknown (a
 * failed `s3:ListBuckets` leaves every `aws:AWS::S3::Bucket` unknown); rules on those kinds
 * report "not-assessed" for the target (account, region) with `message`.
 */
export interface CollectionGap {
  readonly provider: CollectorProvider;
  /** Account id, subscription id, project id or cluster name. */
  readonly target: string;
  readonly region?: string | undefined;
  /** Provider service (`s3`, `iam`, `Microsoft.Storage`, `storage`, `rbac.authorization.k8s.io`). */
  readonly service: string;
  /** The API call that failed (`ListBuckets`, `GET /subscriptions/…/storageAccounts`, `list pods`). */
  readonly operation: string;
  readonly reason: GapReason;
  /** What the provider said (error code and message), never a credential. */
  readonly message: string;
  readonly kinds: readonly ResourceKind[];
}

/** A per-resource sub-call that failed: stored in `resource.meta.gaps[attrKey]`. */
export interface SubCallGap {
  readonly operation: string;
  readonly reason: GapReason;
  readonly message: string;
}

/** Facts about what was scanned, recorded in the registry (issue 7, section 3). */
export interface TargetFacts {
  readonly provider: CollectorProvider;
  /** Account id, subscription id, project id, or the cluster's name (context name by default). */
  readonly id: string;
  readonly name: string;
  /** Regions or locations scanned. */
  readonly regions?: readonly string[] | undefined;
  /** Kubernetes server version (`v1.31.2`). */
  readonly version?: string | undefined;
  /** Kubernetes distribution detected: `eks`, `gke`, `aks`, `openshift`, `other`. */
  readonly platform?: string | undefined;
  readonly nodeCount?: number | undefined;
}

export interface CollectResult {
  readonly target: TargetFacts;
  readonly resources: Resource[];
  readonly gaps: CollectionGap[];
  /** Wall time of the collection and API calls made, for progress and metrics. */
  readonly stats: { readonly ms: number; readonly calls: number; readonly retries: number };
}

export interface CollectProgress {
  /** Called as services / regions complete: `done` of `total` units, with a label. */
  (event: { readonly done: number; readonly total: number; readonly label: string }): void;
}

export interface Collector<Options> {
  readonly provider: CollectorProvider;
  /** One result per target (AWS accounts assumed into, Azure subscriptions, GCP projects, one cluster). */
  collect(options: Options, progress?: CollectProgress): Promise<CollectResult[]>;
}

/** `resource.meta.gaps`, typed. */
export function subCallGaps(resource: Resource): Readonly<Record<string, SubCallGap>> {
  const gaps = resource.meta?.['gaps'];
  return gaps !== null && typeof gaps === 'object' ? (gaps as Record<string, SubCallGap>) : {};
}
