import type { EpssScore, KevEntry } from '../core/advisory.js';
import type { BatchMeta } from '../bus/types.js';
import type { Database } from '../store/db.js';
import { upsertEpss, upsertKev, upsertPrepared, type PreparedAdvisory, type UpsertCounts } from '../store/repos/advisories.js';
import { addRunCounts, claimBatch, emptyCounts, quarantine, type QuarantineItem, type RunCounts } from '../store/repos/feedRuns.js';
import type { RecordMessage } from './produce.js';

/** The bus topic feed records travel on, from the importer to the store. */
export const RECORDS_TOPIC = 'feeds.records';

/** One record on the bus, with the feed run it counts towards (created by the producer). */
export interface RecordEnvelope {
  readonly runId: string;
  readonly record: RecordMessage;
}

function add(c: RunCounts, u: UpsertCounts): void {
  c.new += u.inserted;
  c.updated += u.updated;
  c.unchanged += u.unchanged;
}

/**
 * The consumer of RECORDS_TOPIC, in the importing process or any worker: writes a batch in
 * one transaction per run, adding its counts to the run in the same transaction. A batch
 * with an id (the queue bus) is applied at most once per run: a redelivery changes nothing.
 */
export async function storeRecords(db: Database, batch: readonly RecordEnvelope[], meta: BatchMeta = {}): Promise<void> {
  const byRun = new Map<string, RecordMessage[]>();
  for (const e of batch) {
    const list = byRun.get(e.runId);
    if (list) list.push(e.record);
    else byRun.set(e.runId, [e.record]);
  }
  for (const [runId, msgs] of byRun) {
    const counts = emptyCounts();
    const advisories: PreparedAdvisory[] = [];
    const kev: KevEntry[] = [];
    let catalogVersion: string | null = null;
    const epss: EpssScore[] = [];
    const bad: QuarantineItem[] = [];
    for (const m of msgs) {
      switch (m.kind) {
        case 'advisory':
          advisories.push(m.row);
          if (m.rejected) counts.rejected++;
          break;
        case 'kev':
          kev.push(m.entry);
          catalogVersion = m.catalogVersion ?? catalogVersion;
          break;
        case 'epss':
          epss.push(m.score);
          break;
        case 'invalid':
          bad.push(m.item);
          break;
      }
    }
    counts.invalid = bad.length;
    await db.system(async (q) => {
      if (meta.id !== undefined && !(await claimBatch(q, runId, meta.id))) return;
      if (advisories.length) add(counts, await upsertPrepared(q, advisories));
      if (kev.length) add(counts, await upsertKev(q, kev, catalogVersion));
      if (epss.length) add(counts, await upsertEpss(q, epss));
      if (bad.length) await quarantine(q, runId, bad);
      await addRunCounts(q, runId, counts);
    });
  }
}
