/**
 * Test helper: a local fake of the AWS HTTP APIs (node:http on 127.0.0.1, random port) that
 * answers the real AWS SDK v3 clients with recorded placebo responses, in each service's wire
 * protocol (wire.ts): restXml (S3, S3 Control), awsQuery (IAM, STS, RDS, SNS), ec2Query (EC2),
 * awsJson1_1 (KMS, CloudTrail, Logs, Config), awsJson1_0 (CloudWatch), restJson1 (GuardDuty,
 * Access Analyzer, Security Hub, Account). The operation is found the way AWS finds it: the
 * SigV4 credential scope names the service; then X-Amz-Target, the `Action` form field, or the
 * operation's HTTP route. Recordings are served with the offline API's placebo semantics.
 *
 * Modes: `pageSize` splits a recorded list into pages with the protocol's own token
 * (Marker/IsTruncated, NextToken, ContinuationToken, nextMarker/Truncated); `throttle` answers
 * the first N requests with the protocol's throttling error; `deny` answers chosen operations
 * with AccessDenied.
 */
import { Agent, createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadModule } from '../api/live.js';
import { createOfflineApi } from '../api/offline.js';
import type { AwsResult } from '../api/types.js';
import { OPERATION_IDS, OPERATIONS, operationSpec } from '../operations.js';
import type { AwsOperationId, AwsService } from '../operations.js';
import type { OperationTuple, Protocol, WireResponse } from './wire.js';
import { errorResponse, httpTrait, inputWireName, PROTOCOLS, successResponse } from './wire.js';

export interface FakeAwsOptions {
  readonly dir: string;
  readonly pageSize?: number;
  readonly throttle?: number;
  /** An error code to answer an operation with (403), e.g. AccessDenied or InvalidClientTokenId; undefined serves the recording. */
  readonly deny?: (id: AwsOperationId) => string | undefined;
}

export interface FakeRequest {
  readonly id: string;
  readonly status: number;
  /** The access key id and region the request was signed with. */
  readonly accessKeyId: string;
  readonly region: string;
}

/** An sts:AssumeRole the fake answered. */
export interface FakeAssumeRole {
  readonly roleArn: string;
  readonly externalId: string | undefined;
  readonly accessKeyId: string;
}

export interface FakeAws {
  readonly url: string;
  readonly requests: FakeRequest[];
  readonly assumed: FakeAssumeRole[];
  close(): Promise<void>;
}

const SIGNING: Readonly<Record<string, AwsService>> = {
  s3: 's3',
  iam: 'iam',
  sts: 'sts',
  ec2: 'ec2',
  rds: 'rds',
  cloudtrail: 'cloudtrail',
  kms: 'kms',
  logs: 'logs',
  monitoring: 'monitoring',
  sns: 'sns',
  config: 'config',
  guardduty: 'guardduty',
  'access-analyzer': 'access-analyzer',
  securityhub: 'securityhub',
  account: 'account',
};

const THROTTLE: Readonly<Record<Protocol, [number, string]>> = {
  awsQuery: [400, 'Throttling'],
  ec2Query: [503, 'RequestLimitExceeded'],
  awsJson1_0: [400, 'ThrottlingException'],
  awsJson1_1: [400, 'ThrottlingException'],
  restJson1: [429, 'TooManyRequestsException'],
  restXml: [503, 'SlowDown'],
};

const DENY: Readonly<Record<Protocol, string>> = {
  awsQuery: 'AccessDenied',
  ec2Query: 'UnauthorizedOperation',
  awsJson1_0: 'AccessDeniedException',
  awsJson1_1: 'AccessDeniedException',
  restJson1: 'AccessDeniedException',
  restXml: 'AccessDenied',
};

async function operationTuple(service: AwsService, operation: string): Promise<OperationTuple> {
  const { mod } = await loadModule(service);
  return mod[`${operation}$`] as OperationTuple;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1024 * 1024) reject(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function accessKeyOf(req: IncomingMessage): string {
  return /Credential=([^/]+)\//.exec(req.headers['authorization'] ?? '')?.[1] ?? '';
}

function regionOf(req: IncomingMessage): string {
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(req.headers['authorization'] ?? '')?.[1] ?? '';
}

function signingService(req: IncomingMessage, path: string): AwsService | undefined {
  const auth = req.headers['authorization'] ?? '';
  const m = /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\/aws4_request/.exec(auth);
  const svc = m ? SIGNING[m[1]!] : undefined;
  return svc === 's3' && path.startsWith('/v20180820/') ? 's3-control' : svc;
}

/** REST routing: S3 by its sub-resource query keys (path-style bucket first), others by method and path template. */
async function restOperation(service: AwsService, method: string, url: URL): Promise<string | undefined> {
  let best: { op: string; score: number } | undefined;
  for (const id of OPERATION_IDS) {
    const spec = OPERATIONS[id];
    if (spec.service !== service) continue;
    const http = httpTrait(await operationTuple(service, spec.operation));
    if (!http || http[0] !== method) continue;
    const [pathPart, queryPart = ''] = http[1].split('?');
    const literals = new URLSearchParams(queryPart);
    let ok = true;
    for (const [k, v] of literals) if (!url.searchParams.has(k) || (v !== '' && url.searchParams.get(k) !== v)) ok = false;
    if (!ok) continue;
    if (service === 's3') {
      const segments = url.pathname.split('/').filter(Boolean);
      if ((pathPart === '/' && segments.length > 1) || (pathPart === '/' && segments.length === 0 && !literals.has('x-id'))) continue;
    } else {
      const want = pathPart!.split('/').filter(Boolean);
      const got = url.pathname.split('/').filter(Boolean);
      if (want.length !== got.length || want.some((w, i) => !w.startsWith('{') && w !== got[i])) continue;
    }
    const score = [...literals.keys()].length;
    if (!best || score > best.score) best = { op: spec.operation, score };
  }
  return best?.op;
}

function send(res: ServerResponse, wire: WireResponse): void {
  res.writeHead(wire.status, { ...wire.headers, 'x-amzn-requestid': 'fake-request', 'x-amz-request-id': 'fake-request' });
  res.end(wire.body);
}

/** SDK client settings for talking to the fake: every host name resolves to 127.0.0.1. */
export function fakeAwsClientConfig(): Record<string, unknown> {
  type Cb = (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void;
  const lookup = (_host: string, opts: { all?: boolean } | undefined, cb: Cb): void => {
    if (opts?.all) cb(null, [{ address: '127.0.0.1', family: 4 }]);
    else cb(null, '127.0.0.1', 4);
  };
  return { requestHandler: { httpAgent: new Agent({ lookup }), connectionTimeout: 5000, requestTimeout: 20000 } };
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const offline = createOfflineApi(options.dir);
  const requests: FakeRequest[] = [];
  const pages = new Map<string, { data: Readonly<Record<string, unknown>>; items: unknown[] }>();
  let served = 0;
  let pageKeys = 0;

  const assumed: FakeAssumeRole[] = [];

  /** sts:AssumeRole hands out fresh keys; GetCallerIdentity signed with them names the role's account. */
  const stsAnswer = async (operation: string, form: URLSearchParams, key: string): Promise<WireResponse | undefined> => {
    const role = assumed.find((a) => a.accessKeyId === key);
    if (operation === 'GetCallerIdentity' && role) {
      const account = role.roleArn.split(':')[4] ?? '';
      return successResponse('awsQuery', await operationTuple('sts', operation), { Account: account, Arn: `arn:aws:sts::${account}:assumed-role/${role.roleArn.split('/').pop() ?? ''}/vigil`, UserId: 'AROAFAKE:vigil' });
    }
    if (operation !== 'AssumeRole') return undefined;
    const roleArn = form.get('RoleArn') ?? '';
    const accessKeyId = `ASIAFAKE${String(assumed.length + 1).padStart(12, '0')}`;
    assumed.push({ roleArn, externalId: form.get('ExternalId') ?? undefined, accessKeyId });
    const expires = new Date(Date.now() + 3600_000).toISOString();
    return successResponse('awsQuery', await operationTuple('sts', operation), {
      Credentials: { AccessKeyId: accessKeyId, SecretAccessKey: 'fake-secret', SessionToken: 'fake-session-token', Expiration: expires },
      AssumedRoleUser: { AssumedRoleId: 'AROAFAKE:vigil', Arn: `${roleArn}/vigil` },
    });
  };

  const answer = async (req: IncomingMessage): Promise<{ id: string; wire: WireResponse }> => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readBody(req);
    const service = signingService(req, url.pathname);
    if (!service) return { id: '?', wire: errorResponse('restJson1', 'account', 400, 'UnknownService', 'no SigV4 credential scope') };
    const protocol = PROTOCOLS[service];
    const form = new URLSearchParams(protocol === 'awsQuery' || protocol === 'ec2Query' ? body : '');
    let operation: string | undefined;
    if (protocol === 'awsJson1_0' || protocol === 'awsJson1_1') operation = String(req.headers['x-amz-target'] ?? '').split('.').pop();
    else if (protocol === 'awsQuery' || protocol === 'ec2Query') operation = form.get('Action') ?? undefined;
    else operation = await restOperation(service, req.method ?? 'GET', url);
    const id = `${service}.${operation ?? '?'}`;
    if (service === 'sts' && operation) {
      const sts = await stsAnswer(operation, form, accessKeyOf(req));
      if (sts) return { id, wire: sts };
    }
    if (!operation || !(id in OPERATIONS)) return { id, wire: errorResponse(protocol, service, 400, 'UnknownOperation', `the fake does not serve ${id}`) };
    const opId = id as AwsOperationId;
    if (served++ < (options.throttle ?? 0)) {
      const [status, code] = THROTTLE[protocol];
      return { id, wire: errorResponse(protocol, service, status, code, 'Rate exceeded') };
    }
    const denied = options.deny?.(opId);
    if (denied) {
      const code = denied === 'AccessDenied' ? DENY[protocol] : denied;
      return { id, wire: errorResponse(protocol, service, 403, code, `User is not authorized to perform ${operationSpec(opId).actions[0] ?? id}`) };
    }
    const op = await operationTuple(service, operation);
    const page = operationSpec(opId).page;
    const size = options.pageSize ?? 0;
    if (page && size > 0) {
      const token = wireInput(protocol, op, page.inputToken, url, form, body);
      const stored = token?.startsWith('fakepage:') ? pages.get(token.split(':')[1]!) : undefined;
      if (stored) return { id, wire: pageOf(protocol, op, page, stored, Number(token!.split(':')[2]), token!.split(':')[1]!, size) };
      const res = await offline.call(opId, regionOf(req));
      if (res.ok && Array.isArray(res.data[page.items]) && (res.data[page.items] as unknown[]).length > size && res.data[page.outputToken] === undefined) {
        const key = String(++pageKeys);
        const entry = { data: res.data, items: res.data[page.items] as unknown[] };
        pages.set(key, entry);
        return { id, wire: pageOf(protocol, op, page, entry, 0, key, size) };
      }
      return { id, wire: wireOf(protocol, service, op, res) };
    }
    return { id, wire: wireOf(protocol, service, op, await offline.call(opId, regionOf(req))) };
  };

  const server: Server = createServer((req, res) => {
    answer(req).then(
      ({ id, wire }) => {
        requests.push({ id, status: wire.status, accessKeyId: accessKeyOf(req), region: regionOf(req) });
        send(res, wire);
      },
      (e: unknown) => {
        requests.push({ id: '!', status: 500, accessKeyId: accessKeyOf(req), region: regionOf(req) });
        send(res, errorResponse('restJson1', 'account', 500, 'InternalError', e instanceof Error ? e.message : String(e)));
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // `localhost`, not 127.0.0.1: S3 Control puts the account id in front of the host
    // (`123456789012.localhost`), which an IP address cannot take; `fakeAwsClientConfig`
    // resolves every host to 127.0.0.1.
    url: `http://localhost:${port}`,
    requests,
    assumed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function wireInput(protocol: Protocol, op: OperationTuple, member: string, url: URL, form: URLSearchParams, body: string): string | undefined {
  const where = inputWireName(protocol, op, member);
  if (!where) return undefined;
  if (where.where === 'query') return url.searchParams.get(where.name) ?? undefined;
  if (where.where === 'form') return form.get(where.name) ?? undefined;
  try {
    const json = JSON.parse(body || '{}') as Record<string, unknown>;
    const v = json[where.name];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function pageOf(
  protocol: Protocol,
  op: OperationTuple,
  page: NonNullable<ReturnType<typeof operationSpec>['page']>,
  stored: { data: Readonly<Record<string, unknown>>; items: unknown[] },
  offset: number,
  key: string,
  size: number,
): WireResponse {
  const end = offset + size;
  const last = end >= stored.items.length;
  const data: Record<string, unknown> = { ...stored.data, [page.items]: stored.items.slice(offset, end) };
  delete data[page.outputToken];
  if (!last) data[page.outputToken] = `fakepage:${key}:${end}`;
  if (page.more) data[page.more] = !last;
  return successResponse(protocol, op, data);
}

function wireOf(protocol: Protocol, service: AwsService, op: OperationTuple, res: AwsResult): WireResponse {
  if (res.ok) return successResponse(protocol, op, res.data);
  const status = res.error.status ?? 400;
  return errorResponse(protocol, service, status >= 300 ? status : 400, res.error.code, res.error.message);
}
