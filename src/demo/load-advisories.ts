/**
 * Demo advisories through the feed importer (`vigil db import`'s code path): the plan's CVE 5,
 * OSV and KEV files, and its EPSS files cut to the rows of the CVEs the demo uses (written to a
 * temporary folder under the same names, imported, removed). Importing again is idempotent:
 * unchanged records are counted as such.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Logger } from 'pino';
import { createEpssParser } from '../feeds/epss/index.js';
import { ingest } from '../feeds/ingest.js';
import { FEED_PARSERS } from '../feeds/registry.js';
import type { Database } from '../store/db.js';
import type { DemoPlan } from './plan.js';

export interface AdvisoryCounts {
  readonly records: number;
  readonly new: number;
  readonly unchanged: number;
  readonly invalid: number;
  readonly fileErrors: number;
  readonly bySource: Readonly<Record<string, number>>;
}

/** The lines of an EPSS CSV whose first field is one of `cves` (comment and header lines kept). */
async function epssRows(file: string, cves: ReadonlySet<string>): Promise<string> {
  const out: string[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    const cut = line.search(/[;,]/);
    const first = cut < 0 ? line : line.slice(0, cut);
    if (!first.startsWith('CVE-') || cves.has(first)) out.push(line);
  }
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

export async function loadAdvisories(db: Database, logger: Logger, plan: DemoPlan): Promise<AdvisoryCounts> {
  let tmp: string | undefined;
  try {
    const paths = [...plan.advisories];
    let defaultDate: string | undefined;
    if (plan.epss) {
      tmp = await mkdtemp(join(tmpdir(), 'vigil-demo-epss-'));
      defaultDate = plan.epss.defaultDate;
      for (const f of plan.epss.files) {
        const text = await epssRows(f, plan.epss.cves);
        if (!/\nCVE-|^CVE-/.test(text)) continue;
        const out = join(tmp, basename(f));
        await writeFile(out, text);
        paths.push(out);
      }
    }
    const date = defaultDate;
    const parsers = date ? FEED_PARSERS.map((p) => (p.id === 'epss' ? createEpssParser({ defaultDate: date }) : p)) : FEED_PARSERS;
    const report = await ingest(db, logger, paths, { source: 'auto', parsers, worker: false });
    const sum = (k: 'new' | 'unchanged' | 'invalid' | 'updated') => report.runs.reduce((n, r) => n + r.counts[k], 0);
    const bySource: Record<string, number> = {};
    for (const r of report.runs) bySource[r.source] = (bySource[r.source] ?? 0) + r.counts.new + r.counts.updated + r.counts.unchanged + r.counts.rejected;
    for (const e of report.fileErrors) logger.warn({ path: e.path, reason: e.reason }, 'demo: a file could not be imported');
    return { records: report.records, new: sum('new') + sum('updated'), unchanged: sum('unchanged'), invalid: sum('invalid'), fileErrors: report.fileErrors.length, bySource };
  } finally {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  }
}
