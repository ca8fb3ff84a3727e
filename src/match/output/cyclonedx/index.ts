/**
 * `--format cyclonedx`: a CycloneDX 1.6 JSON VEX/VDR document. The packages with findings are
 * the components (bom-ref = package id), each finding one `vulnerabilities[]` entry: id and
 * source, aliases as references, CVSS as ratings, the fix advice as recommendation, `affects`
 * the package's bom-ref at its installed version, and `analysis` from a suppression
 * (triage, VEX or ignore-file; mapping in src/match/vex/mapping.ts). An open finding carries
 * no analysis: a match is not an assessment. Components and vulnerabilities go through
 * `@cyclonedx/cyclonedx-library`'s normalisers for spec 1.6, as the SBOM writer's components
 * do; the envelope is written here. Pure.
 */
import CDX from '@cyclonedx/cyclonedx-library';
import type { CvssVersion } from '../../../core/advisory.js';
import { parsePurl } from '../../../inventory/sbom/ecosystem.js';
import type { Finding, FindingPackage, ScanReport } from '../../model.js';
import { cdxJustification, decisionOf, DECISION_TO_CDX } from '../../vex/mapping.js';
import { findingAdvice } from '../advice.js';
import { advisoryUrl, idSource, locationText, reportUuid, sortFindings, type RenderOptions } from '../common.js';
import type { ScanOutputFormat } from '../formats.js';

const { Enums, Models, Serialize, Spec } = CDX;
const V = Models.Vulnerability;
const SPEC = Spec.Spec1dot6;

const METHOD: Readonly<Record<CvssVersion, CDX.Enums.Vulnerability.RatingMethod>> = {
  '2.0': Enums.Vulnerability.RatingMethod.CVSSv2,
  '3.0': Enums.Vulnerability.RatingMethod.CVSSv3,
  '3.1': Enums.Vulnerability.RatingMethod.CVSSv31,
  '4.0': Enums.Vulnerability.RatingMethod.CVSSv4,
};

function component(p: FindingPackage): CDX.Models.Component {
  const c = new Models.Component(Enums.ComponentType.Library, p.name || p.purl || p.id, { bomRef: p.id, version: p.version || undefined });
  if (p.purl && parsePurl(p.purl).ok) c.purl = p.purl;
  if (p.ecosystem) c.properties.add(new Models.Property('vigil:ecosystem', p.ecosystem));
  const where = locationText(p);
  if (where) c.properties.add(new Models.Property('vigil:location', where));
  return c;
}

function analysis(f: Finding): CDX.Models.Vulnerability.Analysis | undefined {
  const s = f.suppression;
  if (!s) return undefined;
  const { state, response } = DECISION_TO_CDX[decisionOf(s)];
  const justification = state === 'not_affected' ? cdxJustification(s.justification) : undefined;
  const extra = [s.expires ? `until ${s.expires}` : undefined, `${s.kind}: ${s.source}`].filter(Boolean).join('; ');
  const detail = `${s.reason ? `${s.reason} ` : ''}(${extra})`;
  const a = new V.Analysis({ state: state as CDX.Enums.Vulnerability.AnalysisState, justification: justification as CDX.Enums.Vulnerability.AnalysisJustification | undefined, detail });
  if (response) a.response.add(response as CDX.Enums.Vulnerability.AnalysisResponse);
  return a;
}

/** The installed version's status, agreeing with the analysis (a not-affected finding's version is unaffected). */
function versionStatus(f: Finding): CDX.Enums.Vulnerability.AffectStatus {
  const state = f.suppression ? DECISION_TO_CDX[decisionOf(f.suppression)].state : 'exploitable';
  switch (state) {
    case 'not_affected':
    case 'false_positive':
    case 'resolved':
    case 'resolved_with_pedigree':
      return Enums.Vulnerability.AffectStatus.Unaffected;
    case 'in_triage':
      return Enums.Vulnerability.AffectStatus.Unknown;
    case 'exploitable':
      return Enums.Vulnerability.AffectStatus.Affected;
  }
}

function vulnerability(f: Finding, options: RenderOptions): CDX.Models.Vulnerability.Vulnerability {
  const v = new V.Vulnerability({
    id: f.id,
    source: new V.Source({ name: idSource(f.id), url: advisoryUrl(f.id) }),
    description: f.title ?? undefined,
    recommendation: findingAdvice(f, options),
    analysis: analysis(f),
  });
  for (const a of f.aliases) v.references.add(new V.Reference(a, new V.Source({ name: idSource(a), url: advisoryUrl(a) })));
  for (const c of f.cvss) {
    v.ratings.add(
      new V.Rating({
        source: new V.Source({ name: c.source }),
        score: c.score ?? undefined,
        severity: c.severity as CDX.Enums.Vulnerability.Severity,
        method: METHOD[c.version],
        vector: c.vector,
      }),
    );
  }
  if (f.cvss.length === 0 && f.severity !== 'unknown') {
    v.ratings.add(new V.Rating({ severity: f.severity as CDX.Enums.Vulnerability.Severity, method: Enums.Vulnerability.RatingMethod.Other, source: new V.Source({ name: f.sourceSeverity ? `source severity ${f.sourceSeverity}` : 'vigil' }) }));
  }
  const versions = f.package.version ? [new V.AffectedSingleVersion(f.package.version, { status: versionStatus(f) })] : [];
  v.affects.add(new V.Affect(new Models.BomRef(f.package.id), { versions: new V.AffectedVersionRepository(versions) }));
  const props: [string, string][] = [
    ['vigil:severity', f.severity],
    ['vigil:risk', f.risk.score.toFixed(1)],
    ['vigil:matched-by', f.matchedBy],
    ['vigil:confidence', f.confidence],
  ];
  if (f.fixedVersions.length > 0) props.push(['vigil:fixed-versions', f.fixedVersions.join(', ')]);
  if (f.kev) props.push(['vigil:kev', `added ${f.kev.dateAdded}, due ${f.kev.dueDate}, ransomware ${f.kev.knownRansomwareCampaignUse}`]);
  if (f.epss) props.push(['vigil:epss', `${f.epss.score} (percentile ${f.epss.percentile}, ${f.epss.date})`]);
  if (f.path.length > 0) props.push(['vigil:path', f.path.join(' > ')]);
  for (const [n, val] of props) v.properties.add(new Models.Property(n, val));
  return v;
}

/** A root bom-ref that no package id uses. */
function rootRef(packages: ReadonlySet<string>): string {
  let ref = 'vigil-scan-target';
  for (let i = 2; packages.has(ref); i++) ref = `vigil-scan-target-${i}`;
  return ref;
}

export function renderCycloneDx(report: ScanReport, options: RenderOptions = {}): string {
  const factory = new Serialize.JSON.Normalize.Factory(SPEC);
  const findings = sortFindings(report.findings);
  const packages = new Map<string, FindingPackage>();
  for (const f of findings) if (!packages.has(f.package.id)) packages.set(f.package.id, f.package);
  const root = rootRef(new Set(packages.keys()));
  const tool = new Models.Component(Enums.ComponentType.Application, report.tool.name, { version: report.tool.version });
  const props = [
    ...report.errors.map((e) => new Models.Property('vigil:problem', `error: ${e.path}: ${e.reason}`)),
    ...report.unassessed.map((u) => new Models.Property('vigil:unassessed', `${u.purl || u.packageId}: ${u.reason}`)),
    new Models.Property('vigil:packages', String(report.packages)),
  ];
  if (report.databaseUpdatedAt) props.push(new Models.Property('vigil:database-updated-at', report.databaseUpdatedAt));
  const time = new Date(report.generatedAt);
  const metadata = new Models.Metadata({
    timestamp: Number.isNaN(time.getTime()) ? undefined : time,
    tools: new Models.Tools({ components: new Models.ComponentRepository([tool]) }),
    component: new Models.Component(Enums.ComponentType.Application, report.target || 'unnamed', { bomRef: root }),
    properties: new Models.PropertyRepository(props),
  });
  const norm = factory.makeForComponent();
  const vnorm = factory.makeForVulnerability();
  const doc = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${reportUuid(report, 'cyclonedx')}`,
    version: 1,
    metadata: factory.makeForMetadata().normalize(metadata, {}),
    components: [...packages.values()].map((p) => norm.normalize(component(p), {})),
    vulnerabilities: findings.map((f) => vnorm.normalize(vulnerability(f, options), {})),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const cyclonedx: ScanOutputFormat = {
  id: 'cyclonedx',
  title: 'CycloneDX 1.6 JSON with vulnerabilities and VEX analysis',
  mediaType: 'application/vnd.cyclonedx+json; version=1.6',
  render: renderCycloneDx,
};
