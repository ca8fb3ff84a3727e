import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import type { Command } from 'commander';
import { SEVERITIES, type Severity } from '../../core/advisory.js';
import { SCAN_OUTPUT_FORMAT_IDS, isScanOutputFormatId, type ScanOutputFormatId } from '../../match/output/formats.js';
import type { Inventory } from '../../inventory/model.js';
import type { Finding, ScanReport } from '../../match/model.js';
import type { VexStatement } from '../../match/vex/model.js';
import { configFor, withContext } from '../context.js';
import { markCheckFailed, UsageError } from '../io.js';

const GATE_LEVELS = ['critical', 'high', 'medium', 'low'] as const;
const RANK: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, none: 1, unknown: 0 };
/** Largest ignore or VEX file read (they are small documents). */
const MAX_SIDE_FILE = 64 * 1024 * 1024;

interface ScanOptions {
  format: string;
  failOn?: string;
  ignoreFile?: string;
  vex?: string[];
  offline?: boolean;
  cpe?: boolean;
  output?: string;
  server?: string;
  allowPartial?: boolean;
  color?: boolean;
  quiet?: boolean;
}

/** Findings at or above the gate level that nothing suppressed. */
export function gateFailures(findings: readonly Finding[], failOn: Severity | undefined): Finding[] {
  if (!failOn) return [];
  return findings.filter((f) => !f.suppression && RANK[f.severity] >= RANK[failOn]);
}

async function readSide(path: string, what: string): Promise<string> {
  const st = await stat(path).catch(() => undefined);
  if (!st?.isFile()) throw new UsageError(`${what} ${path}: no such file`);
  if (st.size > MAX_SIDE_FILE) throw new UsageError(`${what} ${path}: larger than ${MAX_SIDE_FILE} bytes`);
  return readFile(path, 'utf8');
}

/**
 * `vigil scan PATH`: the CI gate. Inventories a directory, lockfile, image tar or SBOM,
 * matches it against the local advisory database (or, with --server, a Vigil server's),
 * applies .vigilignore and VEX, prints the report, and exits 0 (clean, or nothing at or above
 * --fail-on), 1 (the gate failed) or 2 (usage or input error: a file that could not be read,
 * a bad ignore or VEX file, an empty advisory database).
 */
export function registerScan(program: Command): void {
  program
    .command('scan <path>')
    .description('Scan a directory, lockfile, image tar or SBOM for known vulnerabilities (a CI gate)')
    .option('-f, --format <format>', `output: ${SCAN_OUTPUT_FORMAT_IDS.join(', ')}`, 'table')
    .option('--fail-on <severity>', `exit 1 when an unsuppressed finding is at or above: ${GATE_LEVELS.join(', ')}`)
    .option('--ignore-file <file>', 'ignore file (default: .vigilignore in the current directory or beside PATH, when present)')
    .option('--vex <file...>', 'OpenVEX, CycloneDX VEX or CSAF VEX documents whose not_affected / fixed statements suppress findings')
    .option('--offline', 'never use the network (no --server); the local advisory database only')
    .option('--cpe', 'also match packages without ecosystem data by CPE (low confidence)')
    .option('--server <url>', 'match on a Vigil server instead of the local database (API key in VIGIL_API_KEY)')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('--allow-partial', 'exit 0/1 even when some files could not be read (they are still reported)')
    .option('--color', 'colours in the table output')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (path: string, opts: ScanOptions, cmd: Command) => {
      if (!isScanOutputFormatId(opts.format)) throw new UsageError(`--format: expected one of ${SCAN_OUTPUT_FORMAT_IDS.join(', ')}, not "${opts.format}"`);
      const format: ScanOutputFormatId = opts.format;
      if (opts.failOn !== undefined && !(GATE_LEVELS as readonly string[]).includes(opts.failOn)) throw new UsageError(`--fail-on: expected one of ${GATE_LEVELS.join(', ')}, not "${opts.failOn}"`);
      const failOn = opts.failOn as Severity | undefined;
      if (opts.offline && opts.server) throw new UsageError('--offline and --server exclude each other');
      if (opts.cpe && opts.server) throw new UsageError('--cpe works on the local database only');
      const st = await stat(path).catch(() => undefined);
      if (!st) throw new UsageError(`${path}: no such file or directory`);
      const say = (s: string) => {
        if (!opts.quiet) console.error(`vigil: ${s}`);
      };

      // The ignore file and VEX documents first: a mistake in them is a usage error before any work.
      const [{ parseIgnoreFile }, { readVex }] = await Promise.all([import('../../match/ignore/parse.js'), import('../../match/vex/read.js')]);
      let ignorePath = opts.ignoreFile;
      if (ignorePath === undefined) ignorePath = [join(process.cwd(), '.vigilignore'), join(st.isDirectory() ? path : dirname(path), '.vigilignore')].find((p) => existsSync(p));
      const ignore = ignorePath ? parseIgnoreFile(await readSide(ignorePath, 'ignore file'), relative(process.cwd(), ignorePath) || ignorePath) : undefined;
      for (const p of ignore?.problems ?? []) console.error(`vigil: ${p.severity}: ${p.source}: ${p.message}`);
      const ignoreErrors = ignore?.problems.filter((p) => p.severity === 'error').length ?? 0;
      if (ignoreErrors > 0) throw new UsageError(`${ignoreErrors} error(s) in the ignore file ${ignorePath}: fix them (a reason is required for every entry)`);
      const vex: VexStatement[] = [];
      for (const file of opts.vex ?? []) {
        const r = readVex(await readSide(file, 'VEX document'), file);
        for (const p of r.problems) console.error(`vigil: ${p.severity}: ${p.source}: ${p.message}`);
        if (r.format === null || r.problems.some((p) => p.severity === 'error')) throw new UsageError(`${file}: not a readable OpenVEX, CycloneDX VEX or CSAF VEX document`);
        vex.push(...r.statements);
      }

      const { scanPath } = await import('../../inventory/scan.js');
      let last = 0;
      const inv = await scanPath(path, {
        onProgress: opts.quiet
          ? undefined
          : (done, total) => {
              const now = Date.now();
              if (now - last < 1000 && done < total) return;
              last = now;
              process.stderr.write(`vigil: ${done}/${total} read\n`);
            },
      });
      for (const p of inv.problems) console.error(`vigil: ${p.severity}: ${p.location.file}${p.location.line ? `:${p.location.line}` : ''}: ${p.message} (${p.reader})`);
      const target = path;
      // What the scanned product is called, for VEX statements about the product itself.
      const product = [...new Set([basename(path), inv.source.name, ...(inv.source.version ? [`${inv.source.name}@${inv.source.version}`] : [])].filter(Boolean))];
      const { scanInventory, compareVersions, EmptyDatabaseError } = await import('../../match/scan.js');
      let report: ScanReport;
      let warnings: string[] = [];
      if (opts.server) {
        report = await remoteScan(cmd, opts.server, path, st.isDirectory(), inv);
        const { applyIgnores } = await import('../../match/ignore/apply.js');
        const { applyVex } = await import('../../match/vex/apply.js');
        let findings = report.findings;
        if (ignore) {
          const r = applyIgnores(findings, ignore.entries, new Date());
          findings = r.findings;
          warnings = r.expired.map((e) => `${e.source}: ${e.message}`);
        }
        if (vex.length > 0) {
          const r = applyVex(findings, vex, { product });
          findings = r.findings;
          warnings.push(...r.problems.map((p) => `${p.source}: ${p.message}`));
        }
        report = { ...report, target, findings };
      } else {
        const outcome = await withContext(cmd, (ctx) =>
          ctx.db.system((q) => scanInventory(q, inv, { target, ignore: ignore?.entries, vex, product, cpe: opts.cpe === true })),
        ).catch((err: unknown) => {
          if (err instanceof EmptyDatabaseError) throw new UsageError(err.message);
          throw err;
        });
        report = outcome.report;
        warnings = outcome.warnings;
      }
      for (const w of warnings) console.error(`vigil: warning: ${w}`);
      for (const u of report.unassessed) console.error(`vigil: warning: ${u.purl}: not assessed: ${u.reason}`);

      const { renderScanReport } = await import('../../match/output/registry.js');
      const text = renderScanReport(report, format, { color: opts.color === true, compareVersions });
      if (opts.output) await writeFile(opts.output, text);
      else {
        const out = cmd.configureOutput();
        if (out.writeOut) out.writeOut(text);
        else process.stdout.write(text);
      }
      const active = report.findings.filter((f) => !f.suppression);
      const bySeverity = SEVERITIES.map((s) => [s, active.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
      say(
        `${report.packages} packages, ${active.length} finding(s)${bySeverity.length ? ` (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')})` : ''}` +
          `${report.findings.length - active.length ? `, ${report.findings.length - active.length} suppressed` : ''}` +
          `${report.databaseUpdatedAt ? `; advisories as of ${report.databaseUpdatedAt.slice(0, 10)}` : ''}`,
      );
      const failed = gateFailures(report.findings, failOn);
      if (failed.length > 0) {
        say(`gate failed: ${failed.length} finding(s) at or above ${failOn}`);
        markCheckFailed();
      }
      if (report.errors.length > 0 && !opts.allowPartial) {
        throw new UsageError(`${report.errors.length} file(s) could not be read (listed above and in the report); the scan is incomplete (use --allow-partial to accept it)`);
      }
    });
}

/** Sends the input (a file as it is; a directory as its CycloneDX SBOM) to POST /api/v1/scan. */
async function remoteScan(cmd: Command, server: string, path: string, isDir: boolean, inv: Inventory): Promise<ScanReport> {
  const config = await configFor(cmd, { serverUrl: server });
  if (!config.apiKey) throw new UsageError('--server needs an API key in VIGIL_API_KEY (create one with: vigil apikey create --role viewer)');
  let body: Buffer;
  let filename: string;
  if (isDir) {
    const { sbomChunks } = await import('../../inventory/sbom/index.js');
    const { VERSION } = await import('../../version.js');
    body = Buffer.from([...sbomChunks(inv, 'cyclonedx', { toolVersion: VERSION })].join(''));
    filename = `${basename(path) || 'inventory'}.cdx.json`;
  } else {
    body = await readFile(path);
    filename = basename(path);
  }
  const url = `${config.serverUrl.replace(/\/+$/, '')}/api/v1/scan?${new URLSearchParams({ filename, format: 'json', target: path }).toString()}`;
  const res = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/octet-stream' }, body }).catch((err: unknown) => {
    throw new UsageError(`scan on ${config.serverUrl} failed: ${err instanceof Error ? err.message : String(err)}`);
  });
  const text = await res.text();
  if (res.status !== 200) {
    let detail = text.slice(0, 500);
    try {
      const p = JSON.parse(text) as { detail?: string; errors?: { detail: string }[] };
      detail = [p.detail, ...(p.errors ?? []).map((e) => e.detail)].filter(Boolean).join('; ');
    } catch {
      // not problem+json: show the text
    }
    throw new UsageError(`scan refused by ${config.serverUrl} (${res.status}): ${detail}`);
  }
  const doc = JSON.parse(text) as ScanReport & { findings: Finding[] };
  return { ...doc, errors: [...inv.problems.filter((p) => p.severity === 'error').map((p) => ({ path: p.location.file, reason: p.message })), ...doc.errors] };
}
