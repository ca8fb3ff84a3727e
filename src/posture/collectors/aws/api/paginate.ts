/**
 * Following every page of a list operation (its PageSpec in operations.ts), with a cap on pages
 * per call. The list gathered so far is kept when a later page fails or the cap is hit, and the
 * reason is returned so the caller records a gap (the list may be incomplete). A token that comes
 * back twice (as from a recording whose next page was never recorded: replay starts again at
 * _1) stops the walk and drops the repeated page, like botocore's "same next token received
 * twice" check.
 */
import { operationSpec } from '../operations.js';
import type { AwsOperationId } from '../operations.js';
import { callError } from './errors.js';
import type { AwsApi, AwsCallError, AwsData } from './types.js';

export const DEFAULT_MAX_PAGES = 1000;

export interface ListResult {
  readonly items: unknown[];
  /** The first page's response (fields other than the list, e.g. `Owner` of ListBuckets). */
  readonly first?: AwsData | undefined;
  /** Set when the list could not be read, or only in part (`items` then holds what was read). */
  readonly error?: AwsCallError | undefined;
}

function token(data: AwsData, key: string): string | undefined {
  const t = data[key];
  return typeof t === 'string' && t.length > 0 ? t : undefined;
}

export async function listAll(
  api: AwsApi,
  id: AwsOperationId,
  region: string,
  input: Readonly<Record<string, unknown>> = {},
  maxPages = DEFAULT_MAX_PAGES,
): Promise<ListResult> {
  const spec = operationSpec(id);
  const page = spec.page;
  if (!page) {
    const res = await api.call(id, region, input);
    return res.ok ? { items: [], first: res.data } : { items: [], error: res.error };
  }
  const items: unknown[] = [];
  const seen = new Set<string>();
  let first: AwsData | undefined;
  let next: string | undefined;
  for (let n = 0; ; n++) {
    if (n >= maxPages) {
      return { items, first, error: callError('PageLimit', `stopped after ${maxPages} pages of ${spec.service}.${spec.operation}: the list may be incomplete`) };
    }
    const res = await api.call(id, region, { ...page.pageSize, ...input, ...(next ? { [page.inputToken]: next } : {}) });
    if (!res.ok) {
      if (n === 0) return { items, error: res.error };
      return { items, first, error: { ...res.error, message: `page ${n + 1}: ${res.error.message} (the list may be incomplete)` } };
    }
    const out = token(res.data, page.outputToken);
    const more = page.more === undefined ? out !== undefined : res.data[page.more] === true && out !== undefined;
    if (next !== undefined && out !== undefined && out === next) {
      return {
        items,
        first,
        error: callError('InvalidResponse', `${spec.service}.${spec.operation} returned the same ${page.outputToken} twice: the list may be incomplete`),
      };
    }
    first ??= res.data;
    const list = res.data[page.items];
    if (list !== undefined && !Array.isArray(list)) {
      return { items, first, error: callError('InvalidResponse', `${spec.service}.${spec.operation}: ${page.items} is not a list`) };
    }
    if (list) for (const x of list) items.push(x);
    if (!more || out === undefined) return { items, first };
    if (seen.has(out)) {
      return { items, first, error: callError('InvalidResponse', `${spec.service}.${spec.operation} returned ${page.outputToken} ${out.slice(0, 40)} again: the list may be incomplete`) };
    }
    seen.add(out);
    next = out;
  }
}
