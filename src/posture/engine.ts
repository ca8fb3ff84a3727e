/**
 * The rule engine: runs every rule whose kinds match each resource, turns violation paths
 * into file + line, applies inline and file suppressions (a suppressed finding is reported as
 * `suppressed`, never hidden) and isolates rule bugs (a rule that throws yields a
 * `not-assessed` finding naming the error, the scan goes on). Pure: the clock is passed in.
 */
import type { FrameworkId } from './frameworks.js';
import {
  locate,
  type AttrPath,
  type PostureFinding,
  type PostureSeverity,
  type Resource,
  type ResourceKind,
  type Violation,
} from './model.js';
import type { Rule, RuleContext } from './rule.js';
import { fileSuppressionFor, type FileSuppression } from './suppress/file.js';

export interface EngineOptions {
  readonly fileSuppressions?: readonly FileSuppression[];
  /** For suppression expiry. */
  readonly now?: Date;
  /** Only rules mapped to this framework. */
  readonly framework?: FrameworkId;
  /** Only rules at these severities. */
  readonly severities?: readonly PostureSeverity[];
}

export function makeContext(resources: readonly Resource[]): RuleContext {
  const byKind = new Map<string, Resource[]>();
  const byId = new Map<string, Resource>();
  for (const r of resources) {
    let list = byKind.get(r.kind);
    if (list === undefined) byKind.set(r.kind, (list = []));
    list.push(r);
    if (!byId.has(r.id)) byId.set(r.id, r);
  }
  let referrers: Map<string, Resource[]> | undefined;
  return {
    resources,
    byKind: (kind: ResourceKind) => byKind.get(kind) ?? [],
    byId: (id: string) => byId.get(id),
    referrers(target: Resource, kind?: ResourceKind) {
      if (referrers === undefined) {
        referrers = new Map();
        for (const r of resources) {
          for (const ref of r.refs) {
            let list = referrers.get(ref);
            if (list === undefined) referrers.set(ref, (list = []));
            list.push(r);
          }
        }
      }
      // Terraform refs name the target without its instance key (`aws_s3_bucket.b`, not `…b[0]`).
      const address = typeof target.meta?.['address'] === 'string' ? target.meta['address'] : undefined;
      const list = [...(referrers.get(target.id) ?? []), ...(address !== undefined && address !== target.id ? (referrers.get(address) ?? []) : [])];
      return kind === undefined ? list : list.filter((r) => r.kind === kind);
    },
  };
}

export function selectRules(rules: readonly Rule[], options: EngineOptions): Rule[] {
  return rules.filter(
    (r) =>
      (options.framework === undefined || r.frameworks.some((f) => f.framework === options.framework)) &&
      (options.severities === undefined || options.severities.includes(r.severity)),
  );
}

export function evaluate(resources: readonly Resource[], allRules: readonly Rule[], options: EngineOptions = {}): PostureFinding[] {
  const rules = selectRules(allRules, options);
  const ctx = makeContext(resources);
  const byKind = new Map<string, Rule[]>();
  for (const rule of rules) {
    if (rule.check === undefined) continue;
    for (const kind of rule.kinds) {
      let list = byKind.get(kind);
      if (list === undefined) byKind.set(kind, (list = []));
      list.push(rule);
    }
  }
  const now = options.now ?? new Date();
  const findings: PostureFinding[] = [];
  // The resource part of a finding is the same for every finding of a resource: built once.
  const summaries = new Map<Resource, PostureFinding['resource']>();
  const emit = (rule: Rule, resource: Resource, v: Violation): void => {
    let summary = summaries.get(resource);
    if (summary === undefined) summaries.set(resource, (summary = summaryOf(resource)));
    findings.push(toFinding(rule, resource, summary, v, options.fileSuppressions ?? [], now));
  };
  for (const resource of resources) {
    for (const rule of byKind.get(resource.kind) ?? []) {
      let violations: readonly Violation[];
      try {
        violations = rule.check!(resource, ctx);
      } catch (err) {
        violations = [{ path: [], message: `rule error: ${(err as Error).message}`, notAssessed: true }];
      }
      for (const v of violations) emit(rule, v.resource ?? resource, v);
    }
  }
  for (const rule of rules) {
    if (rule.checkScan === undefined) continue;
    let violations: readonly Violation[];
    try {
      violations = rule.checkScan(ctx);
    } catch (err) {
      const first = resources.find((r) => rule.kinds.includes(r.kind));
      violations = first ? [{ path: [], message: `rule error: ${(err as Error).message}`, notAssessed: true, resource: first }] : [];
    }
    for (const v of violations) if (v.resource !== undefined) emit(rule, v.resource, v);
  }
  return findings;
}

function summaryOf(resource: Resource): PostureFinding['resource'] {
  return {
    kind: resource.kind,
    id: resource.id,
    name: resource.name,
    provider: resource.provider,
    account: resource.account ?? null,
    region: resource.region ?? null,
    namespace: resource.namespace ?? null,
  };
}

/** `locate` (model.ts), asking for the whole path first without copying it: most paths are present. */
function lineFor(resource: Resource, path: AttrPath): number {
  if (path.length > 0) {
    const line = resource.lineOf(path);
    if (line !== undefined) return line;
  }
  return locate(resource, path.slice(0, -1));
}

function toFinding(
  rule: Rule,
  resource: Resource,
  summary: PostureFinding['resource'],
  v: Violation,
  fileSuppressions: readonly FileSuppression[],
  now: Date,
): PostureFinding {
  const line = lineFor(resource, v.path);
  let suppression: PostureFinding['suppression'] = null;
  const inline = resource.suppressions.find((s) => s.ruleId === rule.id);
  if (inline !== undefined) {
    suppression = { reason: inline.reason || '(no reason given)', source: `${resource.file}:${inline.line}`, expires: null };
  } else {
    const fs = fileSuppressionFor(fileSuppressions, rule.id, resource.id, resource.file, now);
    if (fs !== undefined) suppression = { reason: fs.reason, source: fs.source, expires: fs.expires ?? null };
  }
  const fix = fixFor(rule, resource);
  return {
    ruleId: rule.id,
    severity: rule.severity,
    title: rule.title,
    status: v.notAssessed ? 'not-assessed' : suppression !== null ? 'suppressed' : 'fail',
    message: v.message,
    resource: summary,
    location: { file: resource.file, line },
    frameworks: rule.frameworks,
    remediation: rule.remediation,
    fix,
    suppression,
  };
}

/**
 * The fix shown with a finding: the snippet for the resource's own input; for collected cloud
 * resources the CLI command and console steps (the Terraform snippet when the rule has neither).
 */
function fixFor(rule: Rule, resource: Resource): string | null {
  const fixes = rule.fix;
  if (fixes === undefined) return null;
  switch (resource.input) {
    case 'kubernetes':
    case 'kubernetes-cluster':
      return fixes.kubernetes ?? null;
    case 'cloudformation':
      return fixes.cloudformation ?? null;
    case 'dockerfile':
      return fixes.dockerfile ?? null;
    case 'aws':
    case 'azure':
    case 'gcp': {
      const steps = [fixes.cli, fixes.console === undefined ? undefined : `Console: ${fixes.console}`].filter((x): x is string => x !== undefined);
      return steps.length > 0 ? steps.join('\n\n') : (fixes.terraform ?? null);
    }
    case 'terraform':
    case 'terraform-plan':
      return fixes.terraform ?? null;
  }
}
