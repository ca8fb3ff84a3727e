/**
 * Live AWS through the AWS SDK v3. SDK packages are loaded with `await import()` on first use
 * of a service, so neither `vigil` start-up nor offline scans pay for them. One client per
 * service and region, built with the SDK's own retry strategy (`adaptive` by default:
 * exponential backoff with jitter plus client-side rate limiting when throttled) and
 * `maxAttempts`; an `endpoint` override (one URL for every service, or per service) serves air-
 * gapped / VPC endpoints and the local fake used in tests. A semaphore bounds the calls in
 * flight. SDK errors become typed `AwsCallError`s, never throws.
 */
import { isObject } from '../../../attrs.js';
import { operationSpec } from '../operations.js';
import type { AwsOperationId, AwsService } from '../operations.js';
import { callError } from './errors.js';
import { limiter } from './limit.js';
import { normalise, NormaliseError } from './normalise.js';
import type { AwsApi, AwsResult } from './types.js';

export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  readonly expiration?: Date | undefined;
}
export type AwsCredentialProvider = () => Promise<AwsCredentialIdentity>;
export type AwsCredentials = AwsCredentialIdentity | AwsCredentialProvider;

export interface LiveApiOptions {
  readonly credentials: AwsCredentials;
  /** One endpoint URL for every service, or one per service. */
  readonly endpoint?: string | Readonly<Partial<Record<AwsService, string>>> | undefined;
  readonly maxAttempts?: number | undefined;
  readonly retryMode?: 'adaptive' | 'standard' | undefined;
  /** API calls in flight at once (default 16). */
  readonly maxInFlight?: number | undefined;
  /** Further SDK client settings (a request handler, a retry strategy in tests). */
  readonly clientConfig?: Readonly<Record<string, unknown>> | undefined;
}

type ClientLike = { send(command: unknown): Promise<unknown>; destroy?(): void };
type Ctor = new (arg: unknown) => unknown;
type SdkModule = Readonly<Record<string, unknown>>;

/** Lazy loaders and client class names; literal import paths keep bundlers and types working. */
export async function loadModule(service: AwsService): Promise<{ mod: SdkModule; client: string }> {
  switch (service) {
    case 'sts':
      return { mod: await import('@aws-sdk/client-sts'), client: 'STSClient' };
    case 'account':
      return { mod: await import('@aws-sdk/client-account'), client: 'AccountClient' };
    case 'iam':
      return { mod: await import('@aws-sdk/client-iam'), client: 'IAMClient' };
    case 's3':
      return { mod: await import('@aws-sdk/client-s3'), client: 'S3Client' };
    case 's3-control':
      return { mod: await import('@aws-sdk/client-s3-control'), client: 'S3ControlClient' };
    case 'ec2':
      return { mod: await import('@aws-sdk/client-ec2'), client: 'EC2Client' };
    case 'rds':
      return { mod: await import('@aws-sdk/client-rds'), client: 'RDSClient' };
    case 'cloudtrail':
      return { mod: await import('@aws-sdk/client-cloudtrail'), client: 'CloudTrailClient' };
    case 'kms':
      return { mod: await import('@aws-sdk/client-kms'), client: 'KMSClient' };
    case 'logs':
      return { mod: await import('@aws-sdk/client-cloudwatch-logs'), client: 'CloudWatchLogsClient' };
    case 'monitoring':
      return { mod: await import('@aws-sdk/client-cloudwatch'), client: 'CloudWatchClient' };
    case 'sns':
      return { mod: await import('@aws-sdk/client-sns'), client: 'SNSClient' };
    case 'config':
      return { mod: await import('@aws-sdk/client-config-service'), client: 'ConfigServiceClient' };
    case 'guardduty':
      return { mod: await import('@aws-sdk/client-guardduty'), client: 'GuardDutyClient' };
    case 'access-analyzer':
      return { mod: await import('@aws-sdk/client-accessanalyzer'), client: 'AccessAnalyzerClient' };
    case 'securityhub':
      return { mod: await import('@aws-sdk/client-securityhub'), client: 'SecurityHubClient' };
  }
}

function endpointFor(options: LiveApiOptions, service: AwsService): string | undefined {
  const e = options.endpoint;
  if (e === undefined) return undefined;
  return typeof e === 'string' ? e : e[service];
}

/** The error code, HTTP status and attempts of whatever the SDK threw. */
export function sdkError(e: unknown): { code: string; message: string; status?: number | undefined; attempts: number } {
  if (!isObject(e) && !(e instanceof Error)) return { code: 'Error', message: String(e), attempts: 1 };
  const o = e as unknown as Record<string, unknown>;
  const meta = isObject(o['$metadata']) ? o['$metadata'] : {};
  const status = typeof meta['httpStatusCode'] === 'number' ? meta['httpStatusCode'] : undefined;
  const attempts = typeof meta['attempts'] === 'number' ? meta['attempts'] : 1;
  const message = typeof o['message'] === 'string' ? o['message'] : '';
  const name = typeof o['name'] === 'string' ? o['name'] : '';
  // Query protocols keep the wire code (`NoSuchEntity`) beside the modelled exception name
  // (`NoSuchEntityException`): prefer the wire code, which is what recordings hold too.
  const nested = isObject(o['Error']) && typeof o['Error']['Code'] === 'string' ? o['Error']['Code'] : '';
  const wire = typeof o['Code'] === 'string' ? o['Code'] : nested;
  const errCode = typeof o['code'] === 'string' ? o['code'] : '';
  let code = wire || (name && name !== 'Error' ? name : errCode || 'Error');
  if (/deserialization error/i.test(message) || name === 'SyntaxError') code = 'Deserialization';
  return { code, message, status, attempts };
}

export function createLiveApi(options: LiveApiOptions): AwsApi {
  const clients = new Map<string, Promise<{ client: ClientLike; mod: SdkModule }>>();
  const limit = limiter(options.maxInFlight ?? 16);
  let calls = 0;
  let retries = 0;

  const clientFor = (service: AwsService, region: string): Promise<{ client: ClientLike; mod: SdkModule }> => {
    const key = `${service}|${region}`;
    let p = clients.get(key);
    if (!p) {
      p = loadModule(service).then(({ mod, client }) => {
        const endpoint = endpointFor(options, service);
        const config: Record<string, unknown> = {
          region,
          credentials: options.credentials,
          maxAttempts: options.maxAttempts ?? 8,
          retryMode: options.retryMode ?? 'adaptive',
          ...(endpoint ? { endpoint } : {}),
          ...(service === 's3' ? { followRegionRedirects: true, ...(endpoint ? { forcePathStyle: true } : {}) } : {}),
          ...options.clientConfig,
        };
        const C = mod[client] as Ctor;
        return { client: new C(config) as ClientLike, mod };
      });
      clients.set(key, p);
    }
    return p;
  };

  return {
    mode: 'live',
    ordered: false,
    async call(id: AwsOperationId, region: string, input: Readonly<Record<string, unknown>> = {}): Promise<AwsResult> {
      const spec = operationSpec(id);
      return limit(async () => {
        calls++;
        let out: unknown;
        try {
          const { client, mod } = await clientFor(spec.service, region);
          const Command = mod[`${spec.operation}Command`] as Ctor | undefined;
          if (!Command) return { ok: false, error: callError('Error', `the SDK has no ${spec.operation}Command`) };
          out = await client.send(new Command({ ...input }));
        } catch (e) {
          const err = sdkError(e);
          retries += Math.max(0, err.attempts - 1);
          return { ok: false, error: callError(err.code, err.message, err.status) };
        }
        const meta = isObject(out) && isObject(out['$metadata']) ? out['$metadata'] : {};
        if (typeof meta['attempts'] === 'number') retries += Math.max(0, meta['attempts'] - 1);
        try {
          return { ok: true, data: normalise(out) };
        } catch (e) {
          if (e instanceof NormaliseError) return { ok: false, error: callError('InvalidResponse', e.message) };
          throw e;
        }
      });
    },
    stats: () => ({ calls, retries }),
    sleep: (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
    close: () => {
      for (const p of clients.values()) p.then(({ client }) => client.destroy?.(), () => {});
      clients.clear();
    },
  };
}
