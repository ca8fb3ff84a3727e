/**
 * The demo plan over real public data (a `shared/data` folder, read in place, never copied):
 * real lockfiles and an SBOM as projects, the OSV advisories that name their packages, a few
 * hundred CVE 5 records (those the OSV advisories alias, KEV-listed ones, recent ones), the KEV
 * catalog and the EPSS rows of those CVEs, Kubernetes manifests and Terraform samples as posture
 * scans of projects, and recorded cloud APIs and manifests as cluster and account scans.
 * Whatever the folder lacks is left out.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { matchKey } from '../core/ecosystem.js';
import { scanPath } from '../inventory/scan.js';
import type { DemoPlan, DemoProject, DemoTarget, DemoTriage } from './plan.js';

/** How many CVE 5 records the slice holds at most. */
export const CVE5_SLICE = 300;
/** Score date for the EPSS files of the shared data, which carry none (the snapshot's date, see SOURCES-vuln.md). */
export const SHARED_EPSS_DATE = '2026-08-16';

const PROJECTS: readonly { name: string; kind: DemoProject['kind']; criticality: DemoProject['criticality']; file: string; what: string }[] = [
  { name: 'checkov', kind: 'application', criticality: 'medium', file: 'lockfiles/real-world/bridgecrewio__checkov/Pipfile.lock', what: 'Pipfile.lock of bridgecrewio/checkov' },
  { name: 'cloud-custodian', kind: 'application', criticality: 'high', file: 'lockfiles/real-world/cloud-custodian__cloud-custodian/uv.lock', what: 'uv.lock of cloud-custodian/cloud-custodian' },
  { name: 'microservices-demo/frontend', kind: 'service', criticality: 'critical', file: 'lockfiles/real-world/GoogleCloudPlatform__microservices-demo/src/frontend/go.mod', what: 'go.mod of the microservices-demo frontend' },
  { name: 'microservices-demo/emailservice', kind: 'service', criticality: 'medium', file: 'lockfiles/real-world/GoogleCloudPlatform__microservices-demo/src/emailservice/requirements.txt', what: 'requirements.txt of the microservices-demo email service' },
  { name: 'trustify', kind: 'application', criticality: 'high', file: 'lockfiles/real-world/guacsec__trustify/Cargo.lock', what: 'Cargo.lock of guacsec/trustify' },
  { name: 'proton-bridge', kind: 'application', criticality: 'medium', file: 'sbom/cyclonedx/bom-examples/SBOM/proton-bridge/proton-bridge-v1.8.0.bom.json', what: 'CycloneDX SBOM of Proton Bridge 1.8.0' },
  { name: 'goof', kind: 'application', criticality: 'low', file: 'lockfiles/snyk-nodejs-lockfile-parser/npm-lock-v2/goof/package-lock.json', what: "package-lock.json of Snyk's deliberately vulnerable goof app" },
];

const AWS_RECORDINGS = [
  'test_account_credential_report',
  'test_kms_key_filter_fsx_backup',
  'test_iam_policy_allow_all',
  'test_s3_data_events',
  'test_rds_add_security_group',
  'test_security_group_used',
  'test_cloudtrail_event_selectors',
  'test_account_root_mfa',
];

const OSV_DIRS = ['osv/pypa-advisory-database/vulns', 'osv/golang-vulndb/data/osv', 'osv/rustsec-osv/crates', 'osv/ghsa-osv-export-sample'];

/** Every file below `dir` (sorted), or none when it does not exist. */
async function filesBelow(dir: string, out: string[] = []): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) await filesBelow(full, out);
    else if (e.isFile()) out.push(full);
  }
  return out;
}

interface OsvIndexEntry {
  readonly path: string;
  readonly keys: readonly string[];
  readonly aliases: readonly string[];
}

/** The package keys and aliases of each OSV record (JSON read; PyPA YAML by its folder name). */
async function indexOsv(root: string): Promise<OsvIndexEntry[]> {
  const out: OsvIndexEntry[] = [];
  for (const dir of OSV_DIRS) {
    for (const path of await filesBelow(join(root, dir))) {
      if (path.endsWith('.yaml')) {
        const pkg = path.split('/').at(-2) ?? '';
        const text = await readFile(path, 'utf8');
        // The aliases line of a PyPA record lists CVE ids; a missed alias only costs an EPSS row.
        const aliases = [...text.matchAll(/\bCVE-\d{4}-\d{4,7}\b/g)].map((m) => m[0]);
        out.push({ path, keys: [matchKey('PyPI', pkg)], aliases });
        continue;
      }
      if (!path.endsWith('.json')) continue;
      try {
        const doc = JSON.parse(await readFile(path, 'utf8')) as { aliases?: unknown; affected?: { package?: { ecosystem?: unknown; name?: unknown } }[] };
        const keys = (doc.affected ?? []).flatMap((a) => (typeof a.package?.ecosystem === 'string' && typeof a.package.name === 'string' ? [matchKey(a.package.ecosystem, a.package.name)] : []));
        const aliases = Array.isArray(doc.aliases) ? doc.aliases.filter((x): x is string => typeof x === 'string') : [];
        out.push({ path, keys, aliases });
      } catch {
        // Not JSON: the importer reports it if it is ever selected; the index leaves it out.
      }
    }
  }
  return out;
}

/** CVE id → file, over the CVE 5 records of the vulnrichment slice. */
async function indexCve5(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const path of await filesBelow(join(root, 'cve5', 'vulnrichment'))) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (/^CVE-\d{4}-\d+\.json$/.test(name)) out.set(name.slice(0, -5), path);
  }
  return out;
}

async function kevIds(file: string): Promise<string[]> {
  try {
    const doc = JSON.parse(await readFile(file, 'utf8')) as { vulnerabilities?: { cveID?: unknown }[] };
    return (doc.vulnerabilities ?? []).flatMap((v) => (typeof v.cveID === 'string' ? [v.cveID] : []));
  } catch {
    return [];
  }
}

export async function sharedPlan(root: string): Promise<DemoPlan> {
  const projects: DemoProject[] = [];
  const keys = new Set<string>();
  for (const p of PROJECTS) {
    const file = join(root, p.file);
    if (!existsSync(file)) continue;
    const inv = await scanPath(file);
    for (const pkg of inv.packages) keys.add(matchKey(pkg.ecosystem, pkg.name));
    projects.push({
      name: p.name,
      kind: p.kind,
      criticality: p.criticality,
      description: `Demo: the ${p.what} (real public data); "snapshot+upgrades" is that snapshot with some vulnerable packages bumped to a fixed version.`,
      versions: [{ version: 'snapshot', file, ageDays: 85 }, { version: 'snapshot+upgrades' }],
    });
  }
  const osv = (await indexOsv(root)).filter((e) => e.keys.some((k) => keys.has(k)));
  const cve5 = await indexCve5(root);
  const kevFile = join(root, 'kev', '2025-08-25', 'known_exploited_vulnerabilities.json');
  const kev = existsSync(kevFile) ? await kevIds(kevFile) : [];
  // CVE records: those the OSV advisories alias, then KEV-listed ones, then the newest, to CVE5_SLICE.
  const cves = new Set<string>();
  const addCve = (id: string) => {
    if (cves.size < CVE5_SLICE && cve5.has(id)) cves.add(id);
  };
  for (const e of osv) e.aliases.forEach(addCve);
  kev.slice(0, 120).forEach(addCve);
  for (const id of [...cve5.keys()].sort().reverse()) addCve(id);
  const epssDir = join(root, 'epss', 'emba-epss-by-year');
  const epssFiles = (await filesBelow(epssDir)).filter((f) => f.endsWith('.csv'));
  const scoreFor = new Set<string>([...cves, ...osv.flatMap((e) => e.aliases), ...kev]);
  const triage: DemoTriage[] = projects.flatMap((p, i) => [
    i % 2 === 0
      ? { project: p.name, pick: 0, state: 'accepted_risk' as const, reason: 'Demo: not reachable from outside; upgrade planned for the next release.', expiresInDays: 45 }
      : { project: p.name, pick: 0, state: 'in_triage' as const, reason: 'Demo: checking whether the vulnerable function is used.' },
    { project: p.name, pick: 1, state: 'not_affected' as const, reason: 'Demo: the affected feature is disabled in our build.', justification: 'vulnerable_code_not_in_execute_path' as const },
  ]);
  const targets: DemoTarget[] = [];
  const aws = AWS_RECORDINGS.map((d) => join(root, 'cloud', 'custodian-aws-placebo', d)).filter((d) => existsSync(d));
  // Two scans of the account (a trend): half the recordings, then all of them.
  if (aws.length > 0) targets.push({ provider: 'aws', scans: [aws.slice(0, Math.ceil(aws.length / 2)), aws] });
  const azure = join(root, 'cloud', 'custodian-azure-cassettes');
  if (existsSync(azure)) targets.push({ provider: 'azure', recordings: azure });
  const gcp = join(root, 'cloud', 'custodian-gcp-flights');
  if (existsSync(gcp)) targets.push({ provider: 'gcp', recordings: gcp });
  for (const name of ['microservices-demo', 'kubernetes-goat']) {
    const dump = join(root, 'k8s', 'manifests', name);
    if (existsSync(dump)) targets.push({ provider: 'kubernetes', snapshot: dump, name });
  }
  const scans = [
    { project: 'microservices-demo', kind: 'application' as const, path: join(root, 'k8s', 'manifests', 'microservices-demo') },
    { project: 'kubernetes-goat', kind: 'application' as const, path: join(root, 'k8s', 'manifests', 'kubernetes-goat') },
    { project: 'terraform-aws-samples', kind: 'service' as const, path: join(root, 'kics', 'terraform', 'aws') },
  ].filter((s) => existsSync(s.path));
  return {
    source: 'shared',
    root,
    advisories: [...osv.map((e) => e.path), ...[...cves].map((id) => cve5.get(id)!), ...(existsSync(kevFile) ? [kevFile] : [])],
    epss: epssFiles.length > 0 ? { files: epssFiles, cves: scoreFor, defaultDate: SHARED_EPSS_DATE } : undefined,
    projects,
    triage,
    postureScans: scans.map((s) => ({ project: s.project, kind: s.kind, paths: [s.path] })),
    targets,
  };
}
