import type { Queryable } from '../db.js';

/**
 * Where each online feed left off (ETag and Last-Modified, the last cvelistV5 delta applied,
 * the NVD window and startIndex), one JSON document per source. Written by the system door
 * only after the piece it describes was ingested, so an interrupted sync resumes there.
 * The shape belongs to each feed's sync module, which validates what it reads back.
 */
export async function getFeedState(q: Queryable, source: string): Promise<unknown> {
  const { rows } = await q.query<{ state: unknown }>('SELECT state FROM feed_state WHERE source = $1', [source]);
  return rows[0]?.state;
}

export async function putFeedState(q: Queryable, source: string, state: unknown): Promise<void> {
  await q.query(
    `INSERT INTO feed_state (source, state, updated_at) VALUES ($1, $2::jsonb, now())
     ON CONFLICT (source) DO UPDATE SET state = EXCLUDED.state, updated_at = now()`,
    [source, JSON.stringify(state)],
  );
}

export async function deleteFeedState(q: Queryable, source: string): Promise<void> {
  await q.query('DELETE FROM feed_state WHERE source = $1', [source]);
}
