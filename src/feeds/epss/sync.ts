import { open, rename, unlink } from 'node:fs/promises';
import { fetchIfChanged, fileNameFor, fileStateSchema, readState, type SyncEnv } from '../source.js';

/**
 * Online: FIRST's EPSS scores of the day, one gzipped CSV (`epssUrl`), fetched conditionally
 * so an unchanged file is not downloaded again. The score date comes from the file's own
 * `score_date` line. State: the URL and the validators of the file last ingested.
 */
export async function syncEpss(env: SyncEnv): Promise<void> {
  const url = env.settings.epssUrl;
  const prev = readState(fileStateSchema, await env.loadState());
  const res = await fetchIfChanged(env, url, fileNameFor(url, /\.csv(\.gz)?$/i, 'epss_scores-current.csv.gz'), prev?.url === url ? prev : undefined);
  if (res.status === 'not-modified') return;
  // A mirror may serve the CSV plain (or a proxy may have decoded it): name the file by what it holds.
  const csv = res.path.replace(/\.gz$/i, '');
  const path = (await isGzip(res.path)) ? `${csv}.gz` : csv;
  if (path !== res.path) await rename(res.path, path);
  try {
    await env.ingest(path, url, { source: 'epss' });
  } finally {
    await unlink(path).catch(() => undefined);
  }
  await env.saveState({ url, ...res.validators, syncedAt: new Date(env.http.clock.now()).toISOString() });
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(2);
    const { bytesRead } = await fh.read(buf, 0, 2, 0);
    return bytesRead === 2 && buf[0] === 0x1f && buf[1] === 0x8b;
  } finally {
    await fh.close();
  }
}
