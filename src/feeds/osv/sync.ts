import { unlink } from 'node:fs/promises';
import { z } from 'zod';
import { FeedHttpError } from '../http.js';
import { fetchIfChanged, FeedSyncError, readState, type SyncEnv } from '../source.js';

const ecosystemState = z.object({ etag: z.string().optional(), lastModified: z.string().optional(), syncedAt: z.string().optional() }).loose();
const osvState = z.object({ url: z.string(), ecosystems: z.record(z.string(), ecosystemState) }).loose();
type OsvState = z.infer<typeof osvState>;

/** `<base>/<ecosystem>/all.zip`, the ecosystem name escaped (`Rocky Linux` → `Rocky%20Linux`). */
export function osvZipUrl(base: string, ecosystem: string): string {
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(ecosystem)}/all.zip`;
}

/**
 * Online: OSV's per-ecosystem dumps (`<osvUrl>/<ecosystem>/all.zip` for each of
 * `osvEcosystems`), each fetched with If-None-Match / If-Modified-Since so an unchanged zip is
 * not downloaded again. State: the validators of each ecosystem's zip last ingested, saved
 * after each one. One ecosystem failing does not stop the others; the sync then fails naming
 * every ecosystem that did.
 */
export async function syncOsv(env: SyncEnv): Promise<void> {
  const base = env.settings.osvUrl;
  const stored = readState(osvState, await env.loadState());
  let state: OsvState = stored?.url === base ? stored : { url: base, ecosystems: {} };
  const failures: string[] = [];
  for (const ecosystem of env.settings.osvEcosystems) {
    env.signal?.throwIfAborted();
    const url = osvZipUrl(base, ecosystem);
    try {
      const res = await fetchIfChanged(env, url, `${ecosystem.replace(/[^\w.-]/g, '_')}-all.zip`, state.ecosystems[ecosystem]);
      if (res.status === 'not-modified') continue;
      try {
        await env.ingest(res.path, url, { source: 'osv' });
      } finally {
        await unlink(res.path).catch(() => undefined);
      }
      state = { ...state, ecosystems: { ...state.ecosystems, [ecosystem]: { ...res.validators, syncedAt: new Date(env.http.clock.now()).toISOString() } } };
      await env.saveState(state);
    } catch (err) {
      if (env.signal?.aborted || !(err instanceof FeedHttpError || err instanceof FeedSyncError)) throw err;
      failures.push(err.message);
    }
  }
  if (failures.length > 0) throw new Error(`osv: ${failures.length} of ${env.settings.osvEcosystems.length} ecosystem(s) failed: ${failures.join('; ')}`);
}
