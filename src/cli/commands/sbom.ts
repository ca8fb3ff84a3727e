import { createReadStream, createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import type { Inventory } from '../../inventory/model.js';
import { SBOM_OUTPUT_FORMATS, type SbomOutputFormat } from '../../inventory/sbom/formats.js';
import { VERSION } from '../../version.js';
import { configFor } from '../context.js';
import { UsageError } from '../io.js';

interface SbomOptions {
  format: string;
  output?: string;
  allowPartial?: boolean;
  upload?: boolean;
  project?: string;
  version?: string;
  url?: string;
  quiet?: boolean;
}

/** An SBOM could be written but something could not be read: exit 2 unless --allow-partial. */
export class PartialInventoryError extends UsageError {
  constructor(readonly count: number) {
    super(`${count} file(s) or record(s) could not be read (listed above and in the SBOM's vigil:problem properties); use --allow-partial to accept a partial SBOM`);
    this.name = 'PartialInventoryError';
  }
}

const where = (p: Inventory['problems'][number]) => `${p.location.file}${p.location.line ? `:${p.location.line}` : ''}`;

/**
 * `vigil sbom PATH`: the inventory of a directory, a lockfile, an image tar or an SBOM
 * (conversion), written as CycloneDX 1.6 JSON/XML or SPDX 2.3 JSON to stdout or --output.
 * Problems go to stderr (and into the SBOM); any error makes the exit code 2 unless
 * --allow-partial. With --upload the input (or, for a directory, the SBOM) is sent to a Vigil
 * server as a project version, with the API key in VIGIL_API_KEY.
 */
export function registerSbom(program: Command): void {
  program
    .command('sbom <path>')
    .description('Inventory a directory, lockfile, image tar or SBOM and write an SBOM (CycloneDX or SPDX)')
    .option('--format <format>', `output format: ${SBOM_OUTPUT_FORMATS.join(', ')}`, 'cyclonedx')
    .option('-o, --output <file>', 'write the SBOM to this file instead of stdout')
    .option('--allow-partial', 'exit 0 even when some files could not be read (they are still reported)')
    .option('--upload', 'also upload to a Vigil server as a project version (VIGIL_URL, VIGIL_API_KEY)')
    .option('--project <name>', 'project name for --upload (created when new)')
    .option('--version <version>', 'version name for --upload')
    .option('--url <url>', 'Vigil server for --upload (env VIGIL_URL)')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (path: string, opts: SbomOptions, cmd: Command) => {
      if (!(SBOM_OUTPUT_FORMATS as readonly string[]).includes(opts.format)) throw new UsageError(`--format: expected one of ${SBOM_OUTPUT_FORMATS.join(', ')}, not "${opts.format}"`);
      if (opts.upload && (!opts.project || !opts.version)) throw new UsageError('--upload needs --project NAME and --version V');
      const config = opts.upload ? await configFor(cmd, opts.url ? { serverUrl: opts.url } : {}) : undefined;
      if (opts.upload && !config?.apiKey) throw new UsageError('--upload needs an API key with the ingest role in VIGIL_API_KEY (create one with: vigil apikey create --role ingest)');
      const st = await stat(path).catch(() => undefined);
      if (!st) throw new UsageError(`${path}: no such file or directory`);

      // Loaded when the command runs, not for every CLI invocation.
      const { scanPath } = await import('../../inventory/scan.js');
      const { sbomChunks } = await import('../../inventory/sbom/index.js');
      let lastProgress = 0;
      const inv = await scanPath(path, {
        onProgress: opts.quiet
          ? undefined
          : (done, total) => {
              const now = Date.now();
              if (now - lastProgress < 1000 && done < total) return;
              lastProgress = now;
              process.stderr.write(`vigil: ${done}/${total} read\n`);
            },
      });
      for (const p of inv.problems) console.error(`vigil: ${p.severity}: ${where(p)}: ${p.message} (${p.reader})`);
      const errors = inv.problems.filter((p) => p.severity === 'error').length;
      if (!opts.quiet) console.error(`vigil: ${inv.packages.length} packages from ${inv.files.length} file(s)${errors ? `, ${errors} error(s)` : ''}`);

      const chunks = sbomChunks(inv, opts.format as SbomOutputFormat, { toolVersion: VERSION });
      if (opts.output) await pipeline(Readable.from(chunks), createWriteStream(opts.output));
      else {
        // Commander's output (process.stdout unless the caller configured another, e.g. tests).
        const output = cmd.configureOutput();
        for (const c of chunks) {
          if (output.writeOut) output.writeOut(c);
          else process.stdout.write(c);
        }
      }

      if (opts.upload && config?.apiKey) {
        const q = new URLSearchParams({ project: opts.project!, version: opts.version! });
        // A file goes up as it is (the server keeps the original); a directory as the SBOM.
        let body: Readable;
        if (st.isDirectory()) {
          q.set('filename', `${basename(path) || 'inventory'}.cdx.json`);
          body = Readable.from(sbomChunks(inv, 'cyclonedx', { toolVersion: VERSION }));
        } else {
          q.set('filename', basename(path));
          body = createReadStream(path);
        }
        const url = `${config.serverUrl.replace(/\/+$/, '')}/api/v1/uploads?${q.toString()}`;
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Bearer ${config.apiKey}`, 'content-type': 'application/octet-stream' },
          body: Readable.toWeb(body) as ReadableStream,
          duplex: 'half',
        }).catch((err: unknown) => {
          throw new UsageError(`upload to ${config.serverUrl} failed: ${err instanceof Error ? err.message : String(err)}`);
        });
        const text = await res.text();
        if (res.status !== 201) {
          let detail = text.slice(0, 500);
          try {
            const p = JSON.parse(text) as { detail?: string; errors?: { detail: string }[] };
            detail = [p.detail, ...(p.errors ?? []).map((e) => e.detail)].filter(Boolean).join('; ');
          } catch {
            // not problem+json: show the text
          }
          throw new UsageError(`upload refused (${res.status}): ${detail}`);
        }
        const r = JSON.parse(text) as { project: { id: string; name: string }; version: { id: string; version: string; components: number } };
        console.error(`vigil: uploaded ${r.version.components} components as ${r.project.name} ${r.version.version} (project ${r.project.id}, version ${r.version.id})`);
      }
      if (errors > 0 && !opts.allowPartial) throw new PartialInventoryError(errors);
    });
}
