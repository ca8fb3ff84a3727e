import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { FRAMEWORK_IDS, isFrameworkId } from '../../posture/frameworks.js';
import { POSTURE_SEVERITIES, type PostureSeverity } from '../../posture/model.js';
import { POSTURE_FORMATS, isPostureFormat } from '../../posture/output/registry.js';
import type { PostureReport } from '../../posture/output/report.js';
import { configFor } from '../context.js';
import { markCheckFailed, UsageError } from '../io.js';
import { addCollectOptions, collectAndAnalyse, collectRequest, uploadCollectedScan, type CollectFlags } from './posture-collect.js';
import { registerPostureNetpol } from './posture-netpol.js';

const GATE_LEVELS = ['critical', 'high', 'medium', 'low'] as const;

interface PostureScanFlags extends CollectFlags {
  format: string;
  framework?: string;
  severity?: string;
  failOn?: string;
  rules?: string[];
  suppressions?: string;
  output?: string;
  allowPartial?: boolean;
  color?: boolean;
  quiet?: boolean;
  upload?: boolean;
  project?: string;
  url?: string;
}

function parseSeverities(s: string | undefined): PostureSeverity[] | undefined {
  if (s === undefined) return undefined;
  const list = s.split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
  const bad = list.filter((x) => !(POSTURE_SEVERITIES as readonly string[]).includes(x));
  if (bad.length > 0 || list.length === 0) throw new UsageError(`--severity: expected a comma list of ${POSTURE_SEVERITIES.join(', ')}, not "${s}"`);
  return list as PostureSeverity[];
}

/**
 * `vigil posture scan PATH...`: misconfiguration scan of Kubernetes manifests, Terraform (HCL
 * and plan JSON), CloudFormation and Dockerfiles; a CI gate with the exit codes of `vigil scan`:
 * 0 clean or nothing at or above --fail-on, 1 the gate failed, 2 usage or input error (a file
 * that could not be parsed, unless --allow-partial). `vigil posture rules` lists the catalogue.
 */
export function registerPosture(program: Command): void {
  const posture = program.command('posture').description('Misconfiguration scanning (Kubernetes, Terraform, CloudFormation, Dockerfiles; live or recorded AWS, Azure, GCP and clusters)');
  const scan = posture
    .command('scan [paths...]')
    .description('Scan files or directories, cloud accounts or clusters (live or recorded) for misconfigurations');
  addCollectOptions(scan)
    .option('-f, --format <format>', `output: ${POSTURE_FORMATS.join(', ')}`, 'table')
    .option('--framework <id>', `only rules mapped to this framework: ${FRAMEWORK_IDS.join(', ')}`)
    .option('--severity <list>', `only rules at these severities (comma list of ${POSTURE_SEVERITIES.join(', ')})`)
    .option('--fail-on <severity>', `exit 1 when an unsuppressed failure is at or above: ${GATE_LEVELS.join(', ')}`)
    .option('--rules <dir...>', 'also load custom YAML/CEL rules from these folders or files')
    .option('--suppressions <file>', 'suppression file (default: .vigil-posture.yaml in the scanned folder, when present)')
    .option('-o, --output <file>', 'write the report to this file instead of stdout')
    .option('--allow-partial', 'exit 0/1 even when some files could not be parsed (they are still reported)')
    .option('--color', 'colours in the table output')
    .option('-q, --quiet', 'no progress on stderr')
    .option('--upload', 'also upload: the file scan as a posture scan of --project, each collected account or cluster as a scan of it (VIGIL_URL, VIGIL_API_KEY)')
    .option('--project <name>', 'project name for --upload of a file scan (created when new)')
    .option('--url <url>', 'Vigil server for --upload (env VIGIL_URL)')
    .action(async (paths: string[], opts: PostureScanFlags, cmd: Command) => {
      if (!isPostureFormat(opts.format)) throw new UsageError(`--format: expected one of ${POSTURE_FORMATS.join(', ')}, not "${opts.format}"`);
      if (opts.framework !== undefined && !isFrameworkId(opts.framework)) throw new UsageError(`--framework: expected one of ${FRAMEWORK_IDS.join(', ')}, not "${opts.framework}"`);
      if (opts.failOn !== undefined && !(GATE_LEVELS as readonly string[]).includes(opts.failOn)) throw new UsageError(`--fail-on: expected one of ${GATE_LEVELS.join(', ')}, not "${opts.failOn}"`);
      const severities = parseSeverities(opts.severity);
      const collect = collectRequest(opts);
      if (paths.length === 0 && collect === undefined) throw new UsageError('nothing to scan: give PATH... or --aws, --azure, --gcp, --kubeconfig FILE or --snapshot PATH');
      if (opts.upload && paths.length > 0 && !opts.project) throw new UsageError('--upload of a file scan needs --project NAME');
      const config = opts.upload ? await configFor(cmd, opts.url ? { serverUrl: opts.url } : {}) : undefined;
      if (opts.upload && !config?.apiKey) throw new UsageError('--upload needs an API key with the ingest role in VIGIL_API_KEY (create one with: vigil apikey create --role ingest)');
      const say = (s: string) => {
        if (!opts.quiet) console.error(`vigil: ${s}`);
      };
      const { scanPosture, loadRules, PostureUsageError } = await import('../../posture/scan.js');
      const usage = (err: unknown): never => {
        if (err instanceof PostureUsageError) throw new UsageError(err.message);
        throw err;
      };
      const engine = {
        ...(opts.framework && isFrameworkId(opts.framework) ? { framework: opts.framework } : {}),
        ...(severities ? { severities } : {}),
      };
      const collected =
        collect === undefined ? [] : await collectAndAnalyse(collect, await loadRules(opts.rules).catch(usage), engine, say);
      let last = 0;
      const fileReport = paths.length === 0 ? undefined : await scanPosture(paths, {
        ...(opts.rules ? { rulesDirs: opts.rules } : {}),
        ...(opts.suppressions ? { suppressionFile: opts.suppressions } : {}),
        ...(opts.framework && isFrameworkId(opts.framework) ? { framework: opts.framework } : {}),
        ...(severities ? { severities } : {}),
        onProgress: opts.quiet
          ? undefined
          : (done, total) => {
              const now = Date.now();
              if (now - last < 1000 && done < total) return;
              last = now;
              process.stderr.write(`vigil: ${done}/${total} files read\n`);
            },
      }).catch(usage);
      const { mergeReports } = await import('../../posture/output/report.js');
      const report = mergeReports([...(fileReport ? [fileReport] : []), ...collected.map((c) => c.report)]);
      for (const e of report.errors) console.error(`vigil: error: ${e.path}${e.line ? `:${e.line}` : ''}: ${e.reason}`);
      const { renderPostureReport } = await import('../../posture/output/registry.js');
      const { VERSION } = await import('../../version.js');
      const text = renderPostureReport(report, opts.format, { color: opts.color === true, toolVersion: VERSION });
      if (opts.output) await writeFile(opts.output, text);
      else {
        const out = cmd.configureOutput();
        if (out.writeOut) out.writeOut(text);
        else process.stdout.write(text);
      }
      const { summarise, gateFailures } = await import('../../posture/output/report.js');
      const s = summarise(report.findings);
      say(`${report.files} file(s), ${report.resources} resource(s): ${s.failed} failed, ${s.suppressed} suppressed, ${s.notAssessed} not assessed`);
      if (opts.upload && config?.apiKey) {
        if (fileReport) {
          const id = await uploadPostureReport(fileReport, { serverUrl: config.serverUrl, apiKey: config.apiKey, project: opts.project!, version: VERSION });
          say(`uploaded the scan to project ${opts.project!} (scan ${id})`);
        }
        const { rulesVersionOf } = await import('../../posture/rules/version.js');
        for (const c of collected) {
          const id = await uploadCollectedScan(c, { serverUrl: config.serverUrl, apiKey: config.apiKey, rulesVersion: rulesVersionOf(VERSION, c.report.rules) });
          say(`uploaded the scan of ${c.report.target} (scan ${id})`);
        }
      }
      const failed = gateFailures(report.findings, opts.failOn as PostureSeverity | undefined);
      if (failed.length > 0) {
        say(`gate failed: ${failed.length} failure(s) at or above ${opts.failOn}`);
        markCheckFailed();
      }
      if (report.errors.length > 0 && !opts.allowPartial) {
        throw new UsageError(
          `${report.errors.length} file(s) or API call(s) could not be read (listed above and in the report); the scan is incomplete (use --allow-partial to accept it)`,
        );
      }
    });

  registerPostureNetpol(posture);
  posture
    .command('rules')
    .description('List the built-in rule catalogue')
    .option('--framework <id>', 'only rules mapped to this framework')
    .option('--json', 'JSON output')
    .action(async (opts: { framework?: string; json?: boolean }, cmd: Command) => {
      if (opts.framework !== undefined && !isFrameworkId(opts.framework)) throw new UsageError(`--framework: expected one of ${FRAMEWORK_IDS.join(', ')}, not "${opts.framework}"`);
      const { BUILTIN_RULES } = await import('../../posture/rules/registry.js');
      const rules = BUILTIN_RULES.filter((r) => opts.framework === undefined || r.frameworks.some((f) => f.framework === opts.framework));
      const text = opts.json
        ? `${JSON.stringify(
            rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, platform: r.platform, service: r.service, kinds: r.kinds, frameworks: r.frameworks, remediation: r.remediation, references: r.references })),
            null,
            2,
          )}\n`
        : `${rules.map((r) => `${r.id.padEnd(15)} ${r.severity.padEnd(8)} ${r.title}`).join('\n')}\n${rules.length} rule(s)\n`;
      const out = cmd.configureOutput();
      if (out.writeOut) out.writeOut(text);
      else process.stdout.write(text);
    });
}

/**
 * `--upload`: the JSON report (whatever --format printed), gzipped, to `POST /api/v1/posture/scans`
 * with an ingest API key, as `vigil sbom --upload` does; a refusal is a usage error (exit 2).
 * Returns the stored scan's id.
 */
async function uploadPostureReport(report: PostureReport, to: { serverUrl: string; apiKey: string; project: string; version: string }): Promise<string> {
  const [{ renderPostureJson }, { rulesVersionOf }, { gzipSync }] = await Promise.all([
    import('../../posture/output/json.js'),
    import('../../posture/rules/version.js'),
    import('node:zlib'),
  ]);
  const q = new URLSearchParams({ project: to.project, rulesVersion: rulesVersionOf(to.version, report.rules) });
  const url = `${to.serverUrl.replace(/\/+$/, '')}/api/v1/posture/scans?${q.toString()}`;
  const res = await fetch(url, {
    method: 'POST',
    // Gzipped: the server tells a gzipped report from an archive by what the stream holds.
    headers: { authorization: `Bearer ${to.apiKey}`, 'content-type': 'application/gzip' },
    body: gzipSync(renderPostureJson(report)),
  }).catch((err: unknown) => {
    throw new UsageError(`upload to ${to.serverUrl} failed: ${err instanceof Error ? err.message : String(err)}`);
  });
  const text = await res.text();
  if (res.status !== 201) {
    let detail = text.slice(0, 500);
    try {
      const p = JSON.parse(text) as { detail?: string; errors?: { pointer?: string; detail: string }[] };
      detail = [p.detail, ...(p.errors ?? []).slice(0, 5).map((e) => (e.pointer ? `${e.pointer}: ${e.detail}` : e.detail))].filter(Boolean).join('; ');
    } catch {
      // not problem+json: show the text
    }
    throw new UsageError(`upload refused (${res.status}): ${detail}`);
  }
  return (JSON.parse(text) as { id: string }).id;
}
