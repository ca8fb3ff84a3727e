/**
 * Test helper: writing AWS responses in each service's wire protocol, driven by the AWS SDK's
 * own service models (the static schemas every @aws-sdk/client-* ships) and its own XML / JSON
 * shape serializers, so element names, list wrappers (`member`, `item`, flattened lists), XML
 * attributes, JSON names and HTTP bindings are exactly what the SDK's deserializers expect.
 * Only the fake AWS server (fake-aws.ts) uses this; it is not part of the build.
 */
import { JsonShapeSerializer, XmlShapeSerializer } from '@aws-sdk/core/protocols';
import { NormalizedSchema, translateTraits } from '@smithy/core/schema';
import type { AwsService } from '../operations.js';

export type Protocol = 'restXml' | 'awsQuery' | 'ec2Query' | 'awsJson1_0' | 'awsJson1_1' | 'restJson1';

export const PROTOCOLS: Readonly<Record<AwsService, Protocol>> = {
  s3: 'restXml',
  's3-control': 'restXml',
  iam: 'awsQuery',
  sts: 'awsQuery',
  rds: 'awsQuery',
  sns: 'awsQuery',
  ec2: 'ec2Query',
  cloudtrail: 'awsJson1_1',
  kms: 'awsJson1_1',
  logs: 'awsJson1_1',
  config: 'awsJson1_1',
  monitoring: 'awsJson1_0',
  guardduty: 'restJson1',
  'access-analyzer': 'restJson1',
  securityhub: 'restJson1',
  account: 'restJson1',
};

/** A static operation schema: `[9, namespace, name, traits, input, output]`. */
export type OperationTuple = readonly [number, string, string, unknown, unknown, unknown];

export function httpTrait(op: OperationTuple): readonly [string, string, number] | undefined {
  const traits = translateTraits(op[3] as never) as Record<string, unknown>;
  const http = traits['http'];
  return Array.isArray(http) ? (http as [string, string, number]) : undefined;
}

const encoder = new TextEncoder();

/** Text of a scalar (objects as JSON). */
function text(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return typeof v === 'object' ? JSON.stringify(v) : '';
}

/** Normalised data (ISO timestamps, text blobs) → the SDK's in-memory shapes (Date, Uint8Array), by the model. */
export function toSdkShape(schema: unknown, value: unknown): unknown {
  const ns = NormalizedSchema.of(schema as never);
  if (value === null || value === undefined) return undefined;
  if (ns.isStructSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [name, member] of ns.structIterator()) {
      const v = toSdkShape(member, (value as Record<string, unknown>)[name]);
      if (v !== undefined) out[name] = v;
    }
    return out;
  }
  if (ns.isListSchema()) return Array.isArray(value) ? value.map((x) => toSdkShape(ns.getValueSchema(), x)).filter((x) => x !== undefined) : undefined;
  if (ns.isMapSchema()) {
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toSdkShape(ns.getValueSchema(), v)]));
  }
  if (ns.isTimestampSchema()) {
    const d = typeof value === 'number' ? new Date(value * 1000) : new Date(text(value));
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  if (ns.isBlobSchema()) return typeof value === 'string' ? encoder.encode(value) : value;
  if (ns.isBooleanSchema()) return typeof value === 'boolean' ? value : value === 'true';
  if (ns.isNumericSchema()) return typeof value === 'number' ? value : Number(value);
  if (ns.isStringSchema()) return text(value);
  return value;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Uint8Array;
}

function xmlOf(schema: unknown, value: unknown, defaultTimestamp: number): string {
  const s = new XmlShapeSerializer({ timestampFormat: { useTrait: true, default: defaultTimestamp as never }, httpBindings: true } as never);
  s.write(schema as never, value);
  const out = s.flush();
  return typeof out === 'string' ? out : new TextDecoder().decode(out);
}

function jsonOf(schema: unknown, value: unknown, jsonName: boolean): string {
  const s = new JsonShapeSerializer({ timestampFormat: { useTrait: true, default: 7 }, jsonName });
  s.write(schema as never, value);
  return s.flush();
}

/** Inner XML of `<Root …>inner</Root>` (or nothing for `<Root/>`). */
function innerXml(xml: string): string {
  if (/^<[^>]*\/>$/.test(xml)) return '';
  const open = xml.indexOf('>');
  const close = xml.lastIndexOf('</');
  return open >= 0 && close > open ? xml.slice(open + 1, close) : '';
}

/** A successful response for `op` carrying `data` (normalised, as the offline API returns it). */
export function successResponse(protocol: Protocol, op: OperationTuple, data: Readonly<Record<string, unknown>>): WireResponse {
  const name = op[2];
  const output = NormalizedSchema.of(op[5] as never);
  const value = (toSdkShape(op[5], data) ?? {}) as Record<string, unknown>;
  switch (protocol) {
    case 'awsQuery': {
      const inner = output.isStructSchema() && !output.isUnitSchema() ? innerXml(xmlOf(op[5], value, 5)) : '';
      const body = `<${name}Response><${name}Result>${inner}</${name}Result><ResponseMetadata><RequestId>fake-request</RequestId></ResponseMetadata></${name}Response>`;
      return { status: 200, headers: { 'content-type': 'text/xml' }, body };
    }
    case 'ec2Query': {
      const inner = output.isStructSchema() && !output.isUnitSchema() ? innerXml(xmlOf(op[5], value, 5)) : '';
      return { status: 200, headers: { 'content-type': 'text/xml;charset=UTF-8' }, body: `<${name}Response><requestId>fake-request</requestId>${inner}</${name}Response>` };
    }
    case 'awsJson1_0':
    case 'awsJson1_1':
      return { status: 200, headers: { 'content-type': `application/x-amz-json-${protocol === 'awsJson1_0' ? '1.0' : '1.1'}` }, body: jsonOf(op[5], value, false) };
    case 'restXml':
    case 'restJson1':
      return restResponse(protocol, op, output, value);
  }
}

function restResponse(protocol: 'restXml' | 'restJson1', op: OperationTuple, output: NormalizedSchema, value: Record<string, unknown>): WireResponse {
  const headers: Record<string, string> = { 'content-type': protocol === 'restXml' ? 'application/xml' : 'application/json' };
  let status = httpTrait(op)?.[2] ?? 200;
  const bodyValue: Record<string, unknown> = {};
  let payload: WireResponse['body'] | undefined;
  for (const [member, ns] of output.structIterator()) {
    const v = value[member];
    const t = ns.getMergedTraits() as Record<string, unknown>;
    if (v === undefined) continue;
    if (typeof t['httpHeader'] === 'string') headers[t['httpHeader'].toLowerCase()] = v instanceof Date ? v.toUTCString() : text(v);
    else if (t['httpResponseCode']) status = Number(v);
    else if (t['httpPayload']) {
      if (ns.isStructSchema()) payload = protocol === 'restXml' ? xmlOf(ns, v, 5) : jsonOf(ns, v, true);
      else payload = v instanceof Uint8Array ? v : text(v);
    } else bodyValue[member] = v;
  }
  if (payload === undefined) {
    if (op[2] === 'GetBucketLocation') {
      // S3 answers `<LocationConstraint>region</LocationConstraint>` (empty for us-east-1).
      const lc = typeof bodyValue['LocationConstraint'] === 'string' ? bodyValue['LocationConstraint'] : '';
      payload = `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${lc}</LocationConstraint>`;
    } else if (output.isStructSchema()) {
      payload = protocol === 'restXml' ? xmlOf(op[5], bodyValue, 5) : jsonOf(op[5], bodyValue, true);
    } else payload = '';
  }
  return { status, headers, body: payload };
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An error answer in the protocol's own format. */
export function errorResponse(protocol: Protocol, service: AwsService, status: number, code: string, message: string): WireResponse {
  const c = xmlEscape(code);
  const m = xmlEscape(message);
  switch (protocol) {
    case 'awsQuery':
      return {
        status,
        headers: { 'content-type': 'text/xml' },
        body: `<ErrorResponse><Error><Type>Sender</Type><Code>${c}</Code><Message>${m}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>`,
      };
    case 'ec2Query':
      return { status, headers: { 'content-type': 'text/xml' }, body: `<Response><Errors><Error><Code>${c}</Code><Message>${m}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>` };
    case 'restXml':
      return service === 's3-control'
        ? { status, headers: { 'content-type': 'application/xml' }, body: `<ErrorResponse><Error><Code>${c}</Code><Message>${m}</Message></Error><RequestId>fake-request</RequestId></ErrorResponse>` }
        : { status, headers: { 'content-type': 'application/xml' }, body: `<Error><Code>${c}</Code><Message>${m}</Message><RequestId>fake-request</RequestId></Error>` };
    case 'awsJson1_0':
    case 'awsJson1_1':
      return {
        status,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': code, ...(service === 'monitoring' ? { 'x-amzn-query-error': `${code};Sender` } : {}) },
        body: JSON.stringify({ __type: code, message }),
      };
    case 'restJson1':
      return { status, headers: { 'content-type': 'application/json', 'x-amzn-errortype': code }, body: JSON.stringify({ message, Message: message }) };
  }
}

/** The wire names of an input member: its HTTP query parameter, form field or JSON key. */
export function inputWireName(protocol: Protocol, op: OperationTuple, member: string): { where: 'query' | 'form' | 'json'; name: string } | undefined {
  const input = NormalizedSchema.of(op[4] as never);
  if (!input.isStructSchema()) return undefined;
  for (const [name, ns] of input.structIterator()) {
    if (name !== member) continue;
    const t = ns.getMergedTraits() as Record<string, unknown>;
    if (typeof t['httpQuery'] === 'string') return { where: 'query', name: t['httpQuery'] };
    switch (protocol) {
      case 'awsQuery':
        return { where: 'form', name: typeof t['xmlName'] === 'string' ? t['xmlName'] : name };
      case 'ec2Query':
        return { where: 'form', name: typeof t['ec2QueryName'] === 'string' ? t['ec2QueryName'] : name.charAt(0).toUpperCase() + name.slice(1) };
      case 'awsJson1_0':
      case 'awsJson1_1':
        return { where: 'json', name };
      case 'restJson1':
        return { where: 'json', name: typeof t['jsonName'] === 'string' ? t['jsonName'] : name };
      case 'restXml':
        return undefined;
    }
  }
  return undefined;
}
