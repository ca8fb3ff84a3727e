/**
 * Offline Azure: VCR cassettes (vcrpy JSON, as Cloud Custodian records its Azure tests:
 * `{version, interactions: [{request: {method, uri}, response: {status: {code}, headers, body}}]}`,
 * the body either `{data: <JSON>}` or `{string: "<text>"}`) replayed through an `HttpClient`
 * given to the same SDK pipeline as live collection.
 *
 * Request matching (`requestKey`): method, host and path compared case-insensitively (ARM
 * paths are case-insensitive: recordings spell `Microsoft.DBForMySql`, the collector
 * `Microsoft.DBforMySQL`), percent-decoding undone, and the query parameters other than
 * `api-version` compared as a sorted set of decoded `name=value` pairs (names lower-cased,
 * values exact), so a recording made with another api-version still answers, while a
 * `$skiptoken` or `$filter` must match. When a request was recorded several times (a test
 * that lists, changes, lists again) the first answer is replayed: the state before the test's
 * own changes. Only GETs are ever sent. A request with no recording gets a 404 with the error
 * code `VigilNotRecorded`, which the collector reports as a gap ("not in the recordings").
 *
 * Parsing is pure and never throws: a broken cassette gives a problem naming the file and the
 * JSON pointer of what was wrong.
 */
import type { HttpClient, HttpHeaders, PipelineRequest, PipelineResponse, RawHttpHeadersInput } from '@azure/core-rest-pipeline';
import { z } from 'zod';
import { readJson } from '../../../core/json-input.js';
import type { InputProblem } from '../../model.js';
import { NOT_RECORDED } from './errors.js';

export interface RecordedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const Interaction = z
  .object({
    request: z.object({ method: z.string().min(1).max(16), uri: z.string().min(1).max(16_384) }).loose(),
    response: z
      .object({
        status: z.object({ code: z.number().int().min(100).max(599) }).loose(),
        headers: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
        body: z.unknown().optional(),
      })
      .loose(),
  })
  .loose();
const Cassette = z.object({ version: z.number().optional(), interactions: z.array(Interaction).max(200_000) }).loose();

export interface RecordedInteraction {
  readonly method: string;
  readonly uri: string;
  readonly response: RecordedResponse;
}

export type CassetteResult = { readonly ok: true; readonly interactions: RecordedInteraction[] } | { readonly ok: false; readonly problem: InputProblem };

const LIMITS = { maxBytes: 128 * 1024 * 1024, maxDepth: 256 };

const pointerOf = (path: readonly PropertyKey[]): string => (path.length === 0 ? '' : `/${path.map((p) => String(p).replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`);

/** Bytes of one cassette file → its interactions, or a problem naming `file` and where. */
export function parseCassette(bytes: Uint8Array, file: string): CassetteResult {
  const json = readJson(bytes, LIMITS);
  if (!json.ok) return { ok: false, problem: { path: file, reason: `not a cassette: ${json.problem.reason}` } };
  const parsed = Cassette.safeParse(json.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? pointerOf(issue.path) : '';
    return { ok: false, problem: { path: file, reason: `not a VCR cassette at ${where || '/'}: ${issue?.message ?? 'unexpected shape'}` } };
  }
  const interactions: RecordedInteraction[] = [];
  for (const [i, it] of parsed.data.interactions.entries()) {
    const body = bodyText(it.response.body);
    if (body === undefined) return { ok: false, problem: { path: file, reason: `not a VCR cassette at /interactions/${i}/response/body: expected {data} or {string}` } };
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(it.response.headers ?? {})) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
    interactions.push({ method: it.request.method.toUpperCase(), uri: it.request.uri, response: { status: it.response.status.code, headers, body } });
  }
  return { ok: true, interactions };
}

function bodyText(body: unknown): string | undefined {
  if (body === undefined || body === null) return '';
  if (typeof body !== 'object' || Array.isArray(body)) return undefined;
  const o = body as Record<string, unknown>;
  if ('data' in o) return o['data'] === undefined ? '' : JSON.stringify(o['data']);
  if ('string' in o) return typeof o['string'] === 'string' ? o['string'] : o['string'] === null ? '' : undefined;
  return undefined;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The matching key of a request (see the header comment); undefined for a URL that does not parse. */
export function requestKey(method: string, uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return undefined;
  }
  const params: string[] = [];
  for (const [k, v] of url.searchParams) if (k.toLowerCase() !== 'api-version') params.push(`${k.toLowerCase()}=${v}`);
  params.sort();
  return `${method.toUpperCase()} ${url.host.toLowerCase()}${decode(url.pathname).toLowerCase().replace(/\/+$/, '')}?${params.join('&')}`;
}

/** Recorded answers by request key; the first recording of a key wins. */
export class CassetteStore {
  readonly #byKey = new Map<string, RecordedResponse>();
  readonly #subscriptions = new Set<string>();

  add(interactions: readonly RecordedInteraction[]): void {
    for (const it of interactions) {
      const key = requestKey(it.method, it.uri);
      if (key === undefined) continue;
      if (!this.#byKey.has(key)) this.#byKey.set(key, it.response);
      const sub = /\/subscriptions\/([0-9a-fA-F-]{36})(?:[/?]|$)/.exec(it.uri);
      if (sub?.[1]) this.#subscriptions.add(sub[1].toLowerCase());
    }
  }

  find(method: string, uri: string): RecordedResponse | undefined {
    const key = requestKey(method, uri);
    return key === undefined ? undefined : this.#byKey.get(key);
  }

  /** Subscription ids seen in the recorded request URIs, sorted. */
  subscriptions(): string[] {
    return [...this.#subscriptions].sort();
  }

  get size(): number {
    return this.#byKey.size;
  }
}

export function notRecordedBody(method: string, uri: string): string {
  let where = uri;
  try {
    where = new URL(uri).pathname;
  } catch {
    // keep the raw text
  }
  return JSON.stringify({ error: { code: NOT_RECORDED, message: `no recorded response for ${method} ${where}` } });
}

/**
 * The pipeline transport for offline runs. `createHttpHeaders` comes from the lazily loaded
 * SDK module, so this file does not load it.
 */
export function replayHttpClient(store: CassetteStore, createHttpHeaders: (raw?: RawHttpHeadersInput) => HttpHeaders): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const rec = store.find(request.method, request.url);
      if (!rec) {
        return { request, status: 404, headers: createHttpHeaders({ 'content-type': 'application/json', 'x-vigil-replay': 'not-recorded' }), bodyAsText: notRecordedBody(request.method, request.url) };
      }
      return { request, status: rec.status, headers: createHttpHeaders({ ...rec.headers }), bodyAsText: rec.body };
    },
  };
}
