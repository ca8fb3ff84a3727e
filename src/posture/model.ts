/**
 * The posture domain: one typed resource model that every input (Kubernetes manifests,
 * Terraform HCL and plan JSON, CloudFormation, Dockerfiles; later live cloud and cluster
 * collectors) is adapted to before rules run, and the findings rules produce.
 *
 * A resource keeps its attributes as plain JSON-like data (`attrs`) plus a way to find the
 * source line of any attribute (`lineOf`), so a rule names *which* attribute is wrong (a path)
 * and the engine turns that into file + line. Pure types and helpers, no I/O.
 */

export const POSTURE_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type PostureSeverity = (typeof POSTURE_SEVERITIES)[number];

/** Where a resource was read from. */
export const INPUT_TYPES = [
  'kubernetes',
  'terraform',
  'terraform-plan',
  'cloudformation',
  'dockerfile',
  // Collected from running infrastructure (src/posture/collectors), live or from recordings.
  'aws',
  'azure',
  'gcp',
  'kubernetes-cluster',
] as const;
export type InputType = (typeof INPUT_TYPES)[number];

/**
 * The family prefix of a resource kind: `k8s:Pod`, `tf:aws_s3_bucket`, `cfn:AWS::S3::Bucket`,
 * `docker:stage`. Terraform HCL and plan JSON share the `tf` family so one rule checks both and
 * gives the same finding (same rule, same resource address).
 */
export const KIND_FAMILIES = ['k8s', 'tf', 'cfn', 'docker', 'aws', 'azure', 'gcp'] as const;
export type KindFamily = (typeof KIND_FAMILIES)[number];
export type ResourceKind = `${KindFamily}:${string}`;

export const PROVIDERS = ['kubernetes', 'aws', 'azure', 'gcp', 'docker', 'other'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A path into `Resource.attrs`: object keys and array indexes. */
export type AttrPath = readonly (string | number)[];

/** An inline suppression found in the source (`# vigil:ignore=ID reason`, or an annotation). */
export interface InlineSuppression {
  readonly ruleId: string;
  readonly reason: string;
  readonly line: number;
}

export interface Resource {
  /** `family:type`, e.g. `k8s:Deployment`, `tf:aws_s3_bucket`, `cfn:AWS::S3::Bucket`. */
  readonly kind: ResourceKind;
  readonly input: InputType;
  readonly provider: Provider;
  /** The provider's own type name: `Deployment`, `aws_s3_bucket`, `AWS::S3::Bucket`, `stage`. */
  readonly type: string;
  /**
   * Stable identity within a scan: a Terraform address (`module.net.aws_vpc.main[0]`), a
   * CloudFormation logical id, `Kind/namespace/name` for Kubernetes, `Dockerfile:stage`.
   */
  readonly id: string;
  readonly name: string;
  readonly namespace?: string | undefined;
  readonly account?: string | undefined;
  readonly region?: string | undefined;
  /** File path relative to the scanned root, `/`-separated. */
  readonly file: string;
  /** First and last line of the resource's block or document (1-based). */
  readonly line: number;
  readonly endLine: number;
  readonly attrs: Readonly<Record<string, unknown>>;
  /** Line of the key at `path` when the source has it; undefined when absent. */
  lineOf(path: AttrPath): number | undefined;
  /** Ids of other resources this one refers to (Terraform references, CloudFormation Ref/GetAtt). */
  readonly refs: readonly string[];
  readonly suppressions: readonly InlineSuppression[];
  /** Input-specific facts rules may use (e.g. the Kubernetes pod spec path, a Dockerfile stage index). */
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
}

/** What a rule reports: the offending attribute (or the nearest present ancestor is used). */
export interface Violation {
  readonly path: AttrPath;
  readonly message: string;
  /** A rule that cannot decide (an unresolved variable, a value it cannot read) says so. */
  readonly notAssessed?: boolean;
  /** When the violation belongs to another resource than the one checked (scan-scoped rules). */
  readonly resource?: Resource;
}

export type FindingStatus = 'fail' | 'suppressed' | 'not-assessed';

export interface ControlRef {
  readonly framework: string;
  readonly control: string;
}

export interface PostureFinding {
  readonly ruleId: string;
  readonly severity: PostureSeverity;
  readonly title: string;
  readonly status: FindingStatus;
  readonly message: string;
  readonly resource: {
    readonly kind: string;
    readonly id: string;
    readonly name: string;
    readonly provider: Provider;
    readonly account: string | null;
    readonly region: string | null;
    readonly namespace: string | null;
  };
  readonly location: { readonly file: string; readonly line: number };
  readonly frameworks: readonly ControlRef[];
  readonly remediation: string;
  readonly fix: string | null;
  readonly suppression: { readonly reason: string; readonly source: string; readonly expires: string | null } | null;
}

/** A file or document that could not be read: always reported, never dropped. */
export interface InputProblem {
  readonly path: string;
  readonly line?: number | undefined;
  readonly reason: string;
}

/**
 * Location of `path` in `resource`: the line of the deepest present key on the path; when none
 * is present, the line the input gives for the attributes themselves (`lineOf([])`: a
 * CloudFormation resource's `Properties`), else the resource's first line.
 */
export function locate(resource: Resource, path: AttrPath): number {
  for (let n = path.length; n > 0; n--) {
    const line = resource.lineOf(path.slice(0, n));
    if (line !== undefined) return line;
  }
  return resource.lineOf([]) ?? resource.line;
}
