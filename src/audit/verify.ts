import type { Database } from '../store/db.js';
import { GENESIS_HASH, recordHash } from './chain.js';
import { rowToFields, type AuditRow } from './log.js';

export interface VerifyProblem {
  readonly seq: number;
  readonly reason: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly checked: number;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly problems: readonly VerifyProblem[];
}

const BATCH = 5000;

/**
 * Walks the whole chain in order and checks, for every record: the sequence has no gap
 * (a deleted record), the stored previous hash is the hash of the record before (a
 * reordered or removed record), and the stored hash is the hash of the fields (a changed
 * record). Then checks every checkpoint still matches (a cut-off tail). With `checkpoint`,
 * records the current head as a new checkpoint when all is well.
 */
export async function verifyAuditChain(db: Database, opts: { checkpoint?: boolean; maxProblems?: number } = {}): Promise<VerifyResult> {
  const maxProblems = opts.maxProblems ?? 100;
  const problems: VerifyProblem[] = [];
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let after = 0;
  for (;;) {
    const rows = await db.system(async (q) =>
      (await q.query<AuditRow>('SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2', [after, BATCH])).rows,
    );
    for (const row of rows) {
      const f = rowToFields(row);
      if (f.seq !== expectedSeq) problems.push({ seq: f.seq, reason: `records ${expectedSeq}..${f.seq - 1} are missing` });
      if (f.prevHash !== prevHash) problems.push({ seq: f.seq, reason: 'previous-hash link broken (a record before it was changed, removed or reordered)' });
      if (recordHash(f) !== row.hash) problems.push({ seq: f.seq, reason: 'record content does not match its hash (changed after it was written)' });
      expectedSeq = f.seq + 1;
      prevHash = row.hash;
      checked++;
      if (problems.length >= maxProblems) break;
    }
    if (rows.length < BATCH || problems.length >= maxProblems) break;
    after = Number(rows[rows.length - 1]!.seq);
  }
  const head = checked > 0 ? { seq: expectedSeq - 1, hash: prevHash } : null;
  const checkpoints = await db.system(async (q) =>
    (await q.query<{ seq: string; hash: string }>('SELECT seq, hash FROM audit_checkpoints ORDER BY seq')).rows,
  );
  for (const cp of checkpoints) {
    const seq = Number(cp.seq);
    const found = await db.system(async (q) => (await q.query<{ hash: string }>('SELECT hash FROM audit_log WHERE seq = $1', [seq])).rows[0]);
    if (!found) problems.push({ seq, reason: 'checkpointed record is gone (the log was cut back)' });
    else if (found.hash !== cp.hash) problems.push({ seq, reason: 'checkpointed record has a different hash' });
  }
  const ok = problems.length === 0;
  if (ok && head && opts.checkpoint) {
    await db.system((q) => q.query('INSERT INTO audit_checkpoints (seq, hash) VALUES ($1, $2) ON CONFLICT (seq) DO NOTHING', [head.seq, head.hash]));
  }
  return { ok, checked, head, problems };
}
