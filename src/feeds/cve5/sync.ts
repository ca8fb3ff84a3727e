import { unlink } from 'node:fs/promises';
import { z } from 'zod';
import { getJson } from '../http.js';
import { fetchIfChanged, FeedSyncError, readState, type SyncEnv } from '../source.js';

/**
 * Online: the cvelistV5 release assets, found through the GitHub releases API (`cveReleasesUrl`).
 *
 * Every release carries `<day>_all_CVEs_at_midnight.zip.zip` (every record at 00:00 UTC of that
 * day; a zip holding `cves.zip`) and `<day>_delta_CVEs_at_<HHMM>Z.zip` (every record added or
 * changed since that midnight: cumulative over the day, entries `deltaCves/CVE-….json`); after
 * each day, a release adds `<day>_delta_CVEs_at_end_of_day.zip`. Assets are told apart by name,
 * never by tag (the day in an asset name may differ from its release's).
 *
 * First sync: the newest baseline, then that day's newest delta. Later syncs: for each day from
 * the last one applied, that day's newest delta (end of day first), skipping what was applied.
 * When a day in between cannot be found among the releases listed, a newer baseline is taken
 * instead, so no change is skipped. State: the last delta applied (`<day>T<HHMM>`, end of day
 * `T2400`), saved after each piece, and the ETag of the release list, saved when all of it was
 * applied, so an unchanged list costs one 304.
 */

const MAX_PAGES = 10;
const PER_PAGE = 100;
const LIST_MAX_BYTES = 64 * 1024 * 1024;
/** Files inside cvelistV5 zips that are not records. */
const SIDE_FILES = /(^|\/)(delta|deltaLog)\.json$/i;

const release = z
  .object({
    tag_name: z.string(),
    assets: z.array(z.object({ name: z.string(), browser_download_url: z.string() }).loose()),
  })
  .loose();
const releaseList = z.array(release);

const cve5State = z.object({ url: z.string(), applied: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{4}$/), baselineDay: z.string().optional(), releasesEtag: z.string().optional() }).loose();
type Cve5State = z.infer<typeof cve5State>;

export interface ReleaseAsset {
  readonly kind: 'baseline' | 'delta';
  readonly name: string;
  readonly url: string;
  readonly day: string;
  /** Order key: `<day>T<HHMM>`; a baseline is `T0000`, an end-of-day delta `T2400`. */
  readonly key: string;
}

const BASELINE = /^(\d{4}-\d{2}-\d{2})_all_CVEs_at_midnight(?:\.zip)+$/;
const DELTA = /^(\d{4}-\d{2}-\d{2})_delta_CVEs_at_(?:(\d{4})Z|end_of_day)\.zip$/;

/** Recognises a cvelistV5 asset by its name; anything else (release notes, other files) is undefined. */
export function classifyAsset(name: string, url: string): ReleaseAsset | undefined {
  const b = BASELINE.exec(name);
  if (b) return { kind: 'baseline', name, url, day: b[1]!, key: `${b[1]!}T0000` };
  const d = DELTA.exec(name);
  if (d) return { kind: 'delta', name, url, day: d[1]!, key: `${d[1]!}T${d[2] ?? '2400'}` };
  return undefined;
}

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** The `rel="next"` link of a GitHub list response, when it stays on the same origin. */
function nextLink(link: string | null, current: string): string | undefined {
  const m = link ? /<([^>]+)>\s*;\s*rel="next"/.exec(link) : null;
  if (!m?.[1]) return undefined;
  try {
    return new URL(m[1], current).origin === new URL(current).origin ? new URL(m[1], current).href : undefined;
  } catch {
    return undefined;
  }
}

type Listing = { readonly notModified: true } | { readonly notModified: false; readonly assets: readonly ReleaseAsset[]; readonly etag: string | undefined };

/** Lists release assets, newest first, until the list reaches back before `back` (a day) or ends. */
async function listAssets(env: SyncEnv, back: string | undefined, etag: string | undefined): Promise<Listing> {
  const first = new URL(env.settings.cveReleasesUrl);
  if (!first.searchParams.has('per_page')) first.searchParams.set('per_page', String(PER_PAGE));
  const assets: ReleaseAsset[] = [];
  let listEtag: string | undefined;
  let next: string | undefined = first.href;
  for (let page = 0; next && page < MAX_PAGES; page++) {
    env.progress({ phase: 'check', item: next });
    const res = await getJson(env.http, next, {
      maxBytes: LIST_MAX_BYTES,
      signal: env.signal,
      validators: page === 0 && etag ? { etag } : undefined,
      // The token goes to the releases API only (asset downloads are redirected elsewhere).
      headers: { accept: 'application/vnd.github+json', ...(env.settings.githubToken && { authorization: `Bearer ${env.settings.githubToken}` }) },
      onWait: env.downloadProgress(next).onWait,
    });
    if (res.status === 'not-modified') return { notModified: true };
    if (page === 0) listEtag = res.validators.etag;
    const parsed = releaseList.safeParse(res.value);
    if (!parsed.success) throw new FeedSyncError(next, `${next}: not a GitHub release list: ${parsed.error.issues[0]?.message ?? 'unexpected shape'}`);
    const pageAssets = parsed.data.flatMap((r) => r.assets.flatMap((a) => classifyAsset(a.name, a.browser_download_url) ?? []));
    assets.push(...pageAssets);
    const oldest = pageAssets.reduce<string | undefined>((min, a) => (min === undefined || a.day < min ? a.day : min), undefined);
    if (back === undefined || (oldest !== undefined && oldest < back)) break;
    next = nextLink(res.headers.get('link'), next);
  }
  return { notModified: false, assets, etag: listEtag };
}

/** The newest delta of each day (end of day first, else the latest hour), by day. */
function bestDeltas(assets: readonly ReleaseAsset[]): Map<string, ReleaseAsset> {
  const best = new Map<string, ReleaseAsset>();
  for (const a of assets) {
    if (a.kind !== 'delta') continue;
    const cur = best.get(a.day);
    if (!cur || a.key > cur.key) best.set(a.day, a);
  }
  return best;
}

/**
 * The deltas to apply after `applied`, oldest first, or undefined when a day in between is not
 * among the listed assets (a gap only a newer baseline can bridge).
 */
export function deltasAfter(assets: readonly ReleaseAsset[], applied: string): ReleaseAsset[] | undefined {
  const best = bestDeltas(assets);
  const newest = [...best.keys()].sort().at(-1);
  const appliedDay = applied.slice(0, 10);
  if (newest === undefined || newest < appliedDay) return [];
  const out: ReleaseAsset[] = [];
  // The applied day itself still counts unless its end of day was applied.
  for (let day = applied.endsWith('T2400') ? nextDay(appliedDay) : appliedDay; day <= newest; day = nextDay(day)) {
    const d = best.get(day);
    if (!d) {
      if (day === appliedDay) continue; // nothing newer for the day already applied
      return undefined;
    }
    if (d.key > applied) out.push(d);
  }
  return out;
}

export async function syncCve5(env: SyncEnv): Promise<void> {
  const url = env.settings.cveReleasesUrl;
  const stored = readState(cve5State, await env.loadState());
  const prev = stored?.url === url ? stored : undefined;
  const listing = await listAssets(env, prev?.applied.slice(0, 10), prev?.releasesEtag);
  if (listing.notModified) {
    env.notModified(url);
    return;
  }
  let state: Cve5State | undefined = prev ? { ...prev, releasesEtag: undefined } : undefined;
  let deltas = state ? deltasAfter(listing.assets, state.applied) : undefined;
  if (!state || !deltas) {
    const baseline = listing.assets.filter((a) => a.kind === 'baseline' && (!state || a.day > state.applied.slice(0, 10))).sort((a, b) => (a.key < b.key ? 1 : -1))[0];
    if (!baseline) {
      throw new FeedSyncError(url, state ? `${url}: the releases listed do not reach back to ${state.applied.slice(0, 10)} and hold no newer baseline` : `${url}: no "<day>_all_CVEs_at_midnight.zip" asset among the releases`);
    }
    await apply(env, baseline);
    state = { url, applied: baseline.key, baselineDay: baseline.day };
    await env.saveState(state);
    deltas = deltasAfter(listing.assets, state.applied) ?? [];
  }
  for (const d of deltas) {
    await apply(env, d);
    state = { ...state, applied: d.key };
    await env.saveState(state);
  }
  await env.saveState({ ...state, releasesEtag: listing.etag });
}

async function apply(env: SyncEnv, asset: ReleaseAsset): Promise<void> {
  if (!/^https?:\/\//i.test(asset.url)) throw new FeedSyncError(asset.url, `${asset.name}: download URL is not http(s): ${asset.url}`);
  const res = await fetchIfChanged(env, asset.url, asset.name, undefined);
  if (res.status === 'not-modified') throw new FeedSyncError(asset.url, `${asset.url}: 304 Not Modified to an unconditional request`);
  try {
    await env.ingest(res.path, asset.url, { source: 'auto', ignoreEntries: SIDE_FILES });
  } finally {
    await unlink(res.path).catch(() => undefined);
  }
}
