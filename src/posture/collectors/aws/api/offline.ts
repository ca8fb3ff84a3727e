/**
 * Offline AWS: a directory of recorded responses in the botocore placebo format, as in
 * cloud-custodian's tests/data/placebo/<test>/: `<service>.<Operation>_<n>.json` holding
 * `{"status_code": N, "data": {...}}`, where data.Error.{Code,Message} describes an error
 * answer. Replay follows placebo (and custodian's zpill): successive calls of one operation
 * take _1, _2, … in call order; when the numbers run out it starts again at _1; an operation
 * with no _1 has no recording (here a `NoRecording` error: the collection records a gap, it
 * never passes silently). Because responses are matched by order, not by parameters, the
 * collector makes one call at a time against recordings (`ordered`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isObject } from '../../../attrs.js';
import { operationSpec } from '../operations.js';
import type { AwsOperationId } from '../operations.js';
import { callError } from './errors.js';
import { normalise, NormaliseError } from './normalise.js';
import type { AwsApi, AwsResult } from './types.js';

/** Recordings larger than this are refused (a recorded page is a few MB at most). */
export const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

const FILE = /^(?<base>[a-z0-9-]+\.[A-Za-z0-9]+)_(?<n>[1-9][0-9]{0,6})\.json$/;

export interface OfflineOptions {
  /** Called after every recorded response is served: which file answered. */
  readonly onServe?: (file: string) => void;
}

/** Index of the recordings: `service.Operation` → the numbers present. */
export function indexRecordings(dir: string): Map<string, Set<number>> {
  const index = new Map<string, Set<number>>();
  for (const name of readdirSync(dir)) {
    const m = FILE.exec(name);
    if (!m?.groups) continue;
    const base = m.groups['base']!;
    let set = index.get(base);
    if (!set) index.set(base, (set = new Set()));
    set.add(Number(m.groups['n']));
  }
  return index;
}

/** Turns one recorded file's text into a result (pure; `file` names it in errors). */
export function parseRecording(text: string, file: string): AwsResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: callError('InvalidResponse', `${file}: not JSON (${e instanceof Error ? e.message : String(e)})`) };
  }
  if (!isObject(doc) || typeof doc['status_code'] !== 'number' || !isObject(doc['data'])) {
    return { ok: false, error: callError('InvalidResponse', `${file}: expected {"status_code": number, "data": object}`) };
  }
  const status = doc['status_code'];
  const data = doc['data'];
  if (status >= 300) {
    const err = isObject(data['Error']) ? data['Error'] : {};
    const code = typeof err['Code'] === 'string' ? err['Code'] : `Http${status}`;
    const message = typeof err['Message'] === 'string' ? err['Message'] : '';
    return { ok: false, error: callError(code, message, status) };
  }
  try {
    return { ok: true, data: normalise(data) };
  } catch (e) {
    if (e instanceof NormaliseError) return { ok: false, error: callError('InvalidResponse', `${file}: ${e.message}`) };
    throw e;
  }
}

const ARN_ACCOUNT_REGION = /arn:aws[a-z-]*:[a-z0-9-]+:([a-z]{2}(?:-[a-z]+)+-\d{1,2})?:(\d{12})?:/g;
const INFER_FILES = 500;
const INFER_BYTES = 256 * 1024;

export interface RecordingFacts {
  readonly account?: string | undefined;
  readonly region?: string | undefined;
}

function mostFrequent(counts: Map<string, number>): string | undefined {
  let best: string | undefined;
  let most = 0;
  for (const [id, n] of counts) if (n > most || (n === most && best !== undefined && id < best)) [best, most] = [id, n];
  return best;
}

/**
 * Where a recording was made, when it holds no sts.GetCallerIdentity answer: the account id and
 * the region appearing most often in the ARNs of (the first 256 KB of) its first 500 files.
 */
export function inferRecordingFacts(dir: string): RecordingFacts {
  const accounts = new Map<string, number>();
  const regions = new Map<string, number>();
  const names = readdirSync(dir).filter((n) => FILE.test(n)).sort().slice(0, INFER_FILES);
  for (const name of names) {
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      continue;
    }
    for (const m of text.slice(0, INFER_BYTES).matchAll(ARN_ACCOUNT_REGION)) {
      if (m[1]) regions.set(m[1], (regions.get(m[1]) ?? 0) + 1);
      if (m[2]) accounts.set(m[2], (accounts.get(m[2]) ?? 0) + 1);
    }
  }
  return { account: mostFrequent(accounts), region: mostFrequent(regions) };
}

/** The account id of inferRecordingFacts. */
export function inferAccountId(dir: string): string | undefined {
  return inferRecordingFacts(dir).account;
}

export function createOfflineApi(dir: string, options: OfflineOptions = {}): AwsApi {
  const index = indexRecordings(dir);
  const next = new Map<string, number>();
  let calls = 0;

  const read = (file: string): AwsResult => {
    const path = join(dir, file);
    try {
      const size = statSync(path).size;
      if (size > MAX_RECORDING_BYTES) return { ok: false, error: callError('InvalidResponse', `${file}: ${size} bytes, over the ${MAX_RECORDING_BYTES}-byte limit`) };
      return parseRecording(readFileSync(path, 'utf8'), file);
    } catch (e) {
      const code = isObject(e) && typeof e['code'] === 'string' ? e['code'] : 'Error';
      return { ok: false, error: callError('InvalidResponse', `${file}: cannot be read (${code})`) };
    }
  };

  return {
    mode: 'offline',
    ordered: true,
    async call(id: AwsOperationId): Promise<AwsResult> {
      calls++;
      const spec = operationSpec(id);
      const base = `${spec.service}.${spec.operation}`;
      const present = index.get(base);
      if (!present?.has(1)) {
        return { ok: false, error: callError('NoRecording', `no recorded response ${base}_1.json in ${basename(dir)}`) };
      }
      let n = next.get(base) ?? 1;
      if (!present.has(n)) n = 1;
      next.set(base, n + 1);
      const file = `${base}_${n}.json`;
      const result = read(file);
      options.onServe?.(file);
      return result;
    },
    stats: () => ({ calls, retries: 0 }),
    sleep: async () => {},
    close: () => {},
  };
}
