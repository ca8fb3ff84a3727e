/**
 * Whose credentials each scanned account uses: the standard Node credential chain
 * (`fromNodeProviderChain`: environment, SSO, shared config and credentials files, web identity,
 * ECS / EC2 metadata), a named profile (`fromIni`), or credentials passed in; then, per role
 * ARN, temporary credentials from STS AssumeRole on top of them (`fromTemporaryCredentials`,
 * with an optional external id). Providers are lazy: nothing is resolved until the first call,
 * so a bad profile or a role that cannot be assumed becomes that target's gap.
 */
import type { AwsService } from '../operations.js';
import type { AwsCredentialIdentity, AwsCredentials } from './live.js';

/** Refresh this long before expiry. */
const REFRESH_MS = 5 * 60_000;

/**
 * One credential fetch shared by every client of a target (the SDK memoises per client, so
 * without this each service and region client would call sts:AssumeRole again), refreshed
 * shortly before the credentials expire; a failed fetch is retried on the next call.
 */
export function sharedCredentials(source: AwsCredentials, now: () => number = Date.now): AwsCredentials {
  if (typeof source !== 'function') return source;
  let current: Promise<AwsCredentialIdentity> | undefined;
  let expires = Number.POSITIVE_INFINITY;
  return async () => {
    if (!current || expires - now() < REFRESH_MS) {
      const p = source();
      current = p;
      try {
        const c = await p;
        expires = c.expiration ? c.expiration.getTime() : Number.POSITIVE_INFINITY;
      } catch (e) {
        if (current === p) current = undefined;
        throw e;
      }
    }
    return current;
  };
}

export interface AwsRoleTarget {
  readonly arn: string;
  readonly externalId?: string | undefined;
  readonly sessionName?: string | undefined;
}

export interface CredentialOptions {
  readonly profile?: string | undefined;
  readonly credentials?: AwsCredentials | undefined;
  readonly roles?: readonly AwsRoleTarget[] | undefined;
  /** Also scan the account of the base credentials when roles are given. */
  readonly includeBaseAccount?: boolean | undefined;
  readonly globalRegion: string;
  readonly endpoint?: string | Readonly<Partial<Record<AwsService, string>>> | undefined;
  readonly clientConfig?: Readonly<Record<string, unknown>> | undefined;
}

export interface CredentialTarget {
  /** What the target is called before its account id is known: the role ARN, the profile, `default`. */
  readonly label: string;
  readonly roleArn?: string | undefined;
  readonly credentials: AwsCredentials;
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

export function isRoleArn(arn: string): boolean {
  return ROLE_ARN.test(arn);
}

export async function credentialTargets(options: CredentialOptions): Promise<CredentialTarget[]> {
  const providers = await import('@aws-sdk/credential-providers');
  const base = sharedCredentials(options.credentials ?? (options.profile ? providers.fromIni({ profile: options.profile }) : providers.fromNodeProviderChain()));
  const baseLabel = options.profile ? `profile ${options.profile}` : 'default credentials';
  const roles = options.roles ?? [];
  const targets: CredentialTarget[] = [];
  if (roles.length === 0 || options.includeBaseAccount) targets.push({ label: baseLabel, credentials: base });
  const stsEndpoint = typeof options.endpoint === 'string' ? options.endpoint : options.endpoint?.sts;
  for (const role of roles) {
    const credentials = sharedCredentials(providers.fromTemporaryCredentials({
      masterCredentials: base,
      params: {
        RoleArn: role.arn,
        RoleSessionName: role.sessionName ?? 'vigil-posture',
        ...(role.externalId ? { ExternalId: role.externalId } : {}),
      },
      clientConfig: { region: options.globalRegion, ...(stsEndpoint ? { endpoint: stsEndpoint } : {}), ...options.clientConfig },
    }));
    targets.push({ label: role.arn, roleArn: role.arn, credentials });
  }
  return targets;
}
