import { unlink } from 'node:fs/promises';
import { fetchIfChanged, fileNameFor, fileStateSchema, readState, type SyncEnv } from '../source.js';

/**
 * Online: the CISA KEV catalog, one JSON file (`kevUrl`), fetched with If-None-Match /
 * If-Modified-Since so an unchanged catalog is not downloaded again. State: the URL and the
 * validators of the catalog last ingested.
 */
export async function syncKev(env: SyncEnv): Promise<void> {
  const url = env.settings.kevUrl;
  const prev = readState(fileStateSchema, await env.loadState());
  const res = await fetchIfChanged(env, url, fileNameFor(url, /\.(json|csv)$/i, 'known_exploited_vulnerabilities.json'), prev?.url === url ? prev : undefined);
  if (res.status === 'not-modified') return;
  try {
    await env.ingest(res.path, url, { source: 'kev' });
  } finally {
    await unlink(res.path).catch(() => undefined);
  }
  await env.saveState({ url, ...res.validators, syncedAt: new Date(env.http.clock.now()).toISOString() });
}
