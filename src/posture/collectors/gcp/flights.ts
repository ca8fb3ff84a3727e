/**
 * Offline GCP: Cloud Custodian "flight" recordings replayed under gaxios as its
 * `fetchImplementation`, so the same auth client, retry and error handling run as live.
 *
 * A flight directory holds one file per answered request, named as Custodian's recorder does
 * (tools/c7n_gcp/tests/recorder.py): `<method>-<path>_<n>.json`, the URL path with `/` and `:`
 * turned into `-` (`GET /storage/v1/b` → `get-storage-v1-b_1.json`,
 * `POST /v1/projects/p:getIamPolicy` → `post-v1-projects-p-getIamPolicy_1.json`), newer
 * recordings with the host after the method (`get-storage.googleapis.com-storage-v1-b_1.json`,
 * preferred when present); `_n` counts repeats of the same name. Each file is
 * `{"headers": {"status": "200", …}, "body": <JSON>}`.
 *
 * Matching (`flightNames`, `FlightStore.find`): the request's method and percent-decoded path
 * give the name, the query is ignored (Custodian's names have none); the first answer of a name
 * is `_1`, and a request carrying a `pageToken` gets the file after the one whose
 * `nextPageToken` it was, as Custodian recorded successive pages. Recordings were made for one
 * project, written `cloud-custodian` in paths (Custodian's placeholder), which is the project an
 * offline run reads unless projects are given or a project list was recorded. A request with
 * no recording gets a 404 with status `VIGIL_NOT_RECORDED`, reported as a gap.
 */
import { z } from 'zod';
import { readJson } from '../../../core/json-input.js';
import type { InputProblem } from '../../model.js';
import { NOT_RECORDED } from './errors.js';

/** Custodian's placeholder project id in recorded paths. */
export const RECORDED_PROJECT = 'cloud-custodian';

export interface FlightResponse {
  readonly status: number;
  readonly body: unknown;
}

const Flight = z
  .object({
    headers: z.record(z.string(), z.unknown()).optional(),
    body: z.unknown(),
  })
  .loose();

const LIMITS = { maxBytes: 64 * 1024 * 1024, maxDepth: 256 };

export type FlightResult = { readonly ok: true; readonly name: string; readonly index: number; readonly response: FlightResponse } | { readonly ok: false; readonly problem: InputProblem };

/** One flight file (its base name and bytes) → its answer, or a problem naming the file. */
export function parseFlight(fileName: string, bytes: Uint8Array, path = fileName): FlightResult {
  const m = /^(.+)_(\d{1,6})\.json$/.exec(fileName);
  if (!m?.[1] || !m[2]) return { ok: false, problem: { path, reason: 'not a flight file name (<method>-<path>_<n>.json)' } };
  const json = readJson(bytes, LIMITS);
  if (!json.ok) return { ok: false, problem: { path, reason: `not a flight: ${json.problem.reason}` } };
  const parsed = Flight.safeParse(json.value);
  if (!parsed.success) return { ok: false, problem: { path, reason: `not a flight at /${parsed.error.issues[0]?.path.join('/') ?? ''}: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}` } };
  const rawStatus = parsed.data.headers?.['status'];
  const status = rawStatus === undefined ? 200 : Number(rawStatus);
  if (!Number.isInteger(status) || status < 100 || status > 599) return { ok: false, problem: { path, reason: `not a flight at /headers/status: ${JSON.stringify(rawStatus)} is not an HTTP status` } };
  return { ok: true, name: m[1], index: Number(m[2]), response: { status, body: parsed.data.body } };
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Candidate base names of a request, host-qualified first. */
export function flightNames(method: string, url: string): string[] {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const path = decode(u.pathname).replaceAll('/', '-').replaceAll(':', '-');
  const m = method.toLowerCase();
  return [`${m}-${u.host.replaceAll(':', '-')}${path}`, `${m}${path}`];
}

export class FlightStore {
  readonly #files = new Map<string, FlightResponse[]>();
  /** `<name> <pageToken>` → the index of the page that token leads to. */
  readonly #tokens = new Map<string, number>();

  add(name: string, index: number, response: FlightResponse): void {
    const list = this.#files.get(name) ?? [];
    if (list[index - 1] === undefined) list[index - 1] = response;
    this.#files.set(name, list);
  }

  find(method: string, url: string): FlightResponse | undefined {
    let token: string | null = null;
    try {
      token = new URL(url).searchParams.get('pageToken');
    } catch {
      return undefined;
    }
    for (const name of flightNames(method, url)) {
      const list = this.#files.get(name);
      if (!list) continue;
      const index = token === null ? 1 : this.#tokens.get(`${name} ${token}`);
      if (index === undefined) return undefined;
      const rec = list[index - 1];
      if (!rec) return undefined;
      const body = rec.body;
      const next = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['nextPageToken'] : undefined;
      if (typeof next === 'string' && next !== '') this.#tokens.set(`${name} ${next}`, index + 1);
      return rec;
    }
    return undefined;
  }

  /** Active projects of a recorded project list (`get-v1-projects_1.json`), if one was recorded. */
  recordedProjects(): string[] | undefined {
    const rec = (this.#files.get('get-cloudresourcemanager.googleapis.com-v1-projects') ?? this.#files.get('get-v1-projects'))?.[0];
    const projects = rec && rec.body !== null && typeof rec.body === 'object' ? (rec.body as Record<string, unknown>)['projects'] : undefined;
    if (!Array.isArray(projects)) return undefined;
    const ids: string[] = [];
    for (const p of projects) {
      const o = p !== null && typeof p === 'object' ? (p as Record<string, unknown>) : {};
      const state = o['lifecycleState'];
      if (typeof o['projectId'] === 'string' && (state === undefined || state === 'ACTIVE')) ids.push(o['projectId']);
    }
    return ids;
  }

  get size(): number {
    return this.#files.size;
  }
}

export function notRecordedBody(method: string, url: string): string {
  let where = url;
  try {
    where = new URL(url).pathname;
  } catch {
    // keep the raw text
  }
  return JSON.stringify({ error: { code: 404, status: NOT_RECORDED, message: `no recorded response for ${method} ${where}` } });
}

/** A `fetch` answering from the store: gaxios's transport for offline runs. */
export function replayFetch(store: FlightStore): typeof fetch {
  return async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const rec = store.find(method, url);
    const headers = { 'content-type': 'application/json; charset=UTF-8' };
    if (!rec) return new Response(notRecordedBody(method, url), { status: 404, headers });
    const text = rec.body === undefined ? '' : JSON.stringify(rec.body);
    return new Response(rec.status === 204 ? null : text, { status: rec.status, headers });
  };
}
