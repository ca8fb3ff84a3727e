// The child process of bench/posture.ts (a fresh process, so its peak RSS is the scan's own).
//   corpus DIR...                  scan the folders, print one JSON line
//   k8s MANIFESTS_DIR TMP N        write N Kubernetes objects taken in turn from the real
//                                  manifests (renamed so each is distinct) as files of 100
//                                  documents into TMP, then scan TMP
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { scanPosture } from '../src/posture/scan.js';

const [mode, ...args] = process.argv.slice(2);

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.ya?ml$/.test(name)) out.push(p);
  }
  return out;
}

async function run(paths: string[]): Promise<void> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const report = await scanPosture(paths);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      files: report.files,
      resources: report.resources,
      findings: report.findings.length,
      errors: new Set(report.errors.map((e) => e.path)).size,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

if (mode === 'corpus') {
  await run(args);
} else if (mode === 'k8s') {
  const [manifests, tmp, n] = args as [string, string, string];
  const objects: Record<string, unknown>[] = [];
  for (const f of yamlFiles(manifests)) {
    for (const d of parseAllDocuments(readFileSync(f, 'utf8'))) {
      if (!('errors' in d) || d.errors.length > 0) continue;
      const v = d.toJS() as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v) && 'kind' in v && 'apiVersion' in v && !String((v as { kind: unknown }).kind).endsWith('List')) objects.push(v);
    }
  }
  const total = Number(n);
  let docs: string[] = [];
  let file = 0;
  for (let i = 0; i < total; i++) {
    const o = structuredClone(objects[i % objects.length]!);
    const meta = (o['metadata'] ?? {}) as Record<string, unknown>;
    o['metadata'] = { ...meta, name: `${typeof meta['name'] === 'string' ? meta['name'] : 'obj'}-${i}` };
    docs.push(stringify(o));
    if (docs.length === 100 || i === total - 1) {
      writeFileSync(join(tmp, `m${String(file++).padStart(4, '0')}.yaml`), docs.join('---\n'));
      docs = [];
    }
  }
  await run([tmp]);
} else {
  console.error('usage: posture-child.ts corpus DIR... | k8s MANIFESTS TMP N');
  process.exit(2);
}
