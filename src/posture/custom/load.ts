/**
 * Custom rules without code: YAML files (`--rules DIR`) each holding one rule or a `rules:`
 * list. A rule names the resource kinds it checks and a CEL expression that must hold for a
 * compliant resource (like a Kubernetes ValidatingAdmissionPolicy), with an optional `when`
 * precondition:
 *
 *   id: ACME-K8S-001
 *   title: Deployments run at least two replicas
 *   severity: medium
 *   kinds: [k8s:Deployment]
 *   when: target.namespace == "prod"                    # optional
 *   expression: has(resource.spec.replicas) && resource.spec.replicas >= 2
 *   path: [spec, replicas]                              # optional: where to report
 *   message: fewer than two replicas                    # optional
 *   remediation: Set spec.replicas to 2 or more.
 *   frameworks: [{framework: soc2, control: A1.2}]      # optional
 *
 * CEL variables: `resource` (the attributes) and `target` (`kind`, `type`, `name`, `namespace`,
 * `file`; `namespace` is a reserved word in CEL, hence the object).
 * Everything is checked at load (schema, ids, kinds, frameworks, CEL syntax) and every error
 * names the file and line; a bad file loads no rule but the others still load. An expression
 * that fails at run time (a missing key without `has()`) gives a not-assessed finding with the
 * CEL error, never a silent pass.
 */
import { parse as parseCel } from '@marcbachmann/cel-js';
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { isFrameworkId } from '../frameworks.js';
import { INPUT_TYPES, KIND_FAMILIES, POSTURE_SEVERITIES, type InputProblem, type Resource, type ResourceKind, type Violation } from '../model.js';
import type { Rule } from '../rule.js';

const KIND = new RegExp(`^(${KIND_FAMILIES.join('|')}):[A-Za-z0-9_.:/-]{1,200}$`);

const exampleSchema = z.object({
  input: z.enum(INPUT_TYPES),
  file: z.string().max(200).optional(),
  text: z.string().max(100_000),
  lines: z.array(z.number().int().positive()).optional(),
});

const ruleSchema = z
  .object({
    id: z
      .string()
      .regex(/^[A-Z][A-Z0-9]{1,19}(-[A-Z0-9]{1,20}){1,4}$/, 'expected an id like ACME-K8S-001 (capitals, digits, dashes)')
      .refine((s) => !s.startsWith('VGL-'), 'the VGL- prefix is reserved for built-in rules'),
    title: z.string().min(3).max(300),
    description: z.string().max(5000).optional(),
    severity: z.enum(POSTURE_SEVERITIES),
    kinds: z.array(z.string().regex(KIND, `expected a kind like k8s:Deployment or tf:aws_s3_bucket (families ${KIND_FAMILIES.join(', ')})`)).min(1).max(100),
    when: z.string().min(1).max(10_000).optional(),
    expression: z.string().min(1).max(10_000),
    path: z.array(z.union([z.string().max(200), z.number().int().nonnegative()])).max(50).optional(),
    message: z.string().max(1000).optional(),
    remediation: z.string().min(3).max(5000),
    frameworks: z
      .array(z.object({ framework: z.string().refine(isFrameworkId, 'unknown framework id'), control: z.string().min(1).max(100) }))
      .max(100)
      .optional(),
    references: z.array(z.string().url()).max(20).optional(),
    examples: z.object({ good: z.array(exampleSchema).max(20).default([]), bad: z.array(exampleSchema).max(20).default([]) }).optional(),
  })
  .strict();

const fileSchema = z.union([z.object({ rules: z.array(z.unknown()).min(1).max(1000) }).strict(), z.record(z.string(), z.unknown())]);

export interface CustomRulesResult {
  readonly rules: Rule[];
  readonly problems: InputProblem[];
}

type CelProgram = (vars: Record<string, unknown>) => unknown;

function compile(expr: string): { ok: true; program: CelProgram } | { ok: false; reason: string } {
  try {
    return { ok: true, program: parseCel(expr) as unknown as CelProgram };
  } catch (err) {
    return { ok: false, reason: (err as Error).message.split('\n')[0] ?? 'invalid CEL' };
  }
}

/** JSON numbers that are whole become CEL ints, so `replicas >= 2` compares ints as in Kubernetes CEL. */
function toCel(v: unknown, depth = 0): unknown {
  if (depth > 200) return null;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map((x) => toCel(x, depth + 1));
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toCel(x, depth + 1);
    return out;
  }
  return v;
}

function varsOf(resource: Resource): Record<string, unknown> {
  return {
    resource: toCel(resource.attrs),
    target: { kind: resource.kind, type: resource.type, name: resource.name, namespace: resource.namespace ?? '', file: resource.file },
  };
}

export function loadCustomRules(files: readonly { path: string; text: string }[]): CustomRulesResult {
  const rules: Rule[] = [];
  const problems: InputProblem[] = [];
  const ids = new Map<string, string>();
  for (const f of files) {
    const lc = new LineCounter();
    const doc = parseDocument(f.text.slice(0, 5 * 1024 * 1024), { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
    if (f.text.length > 5 * 1024 * 1024) {
      problems.push({ path: f.path, reason: 'rule file larger than 5 MB' });
      continue;
    }
    if (doc.errors.length > 0) {
      problems.push({ path: f.path, line: lc.linePos(doc.errors[0]!.pos[0]).line, reason: `YAML error: ${doc.errors[0]!.message.split('\n')[0]}` });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 50 });
    } catch (err) {
      problems.push({ path: f.path, reason: `YAML error: ${(err as Error).message}` });
      continue;
    }
    const top = fileSchema.safeParse(value);
    if (!top.success) {
      problems.push({ path: f.path, reason: 'expected a rule (a mapping with id, title, …) or `rules:` with a list of rules' });
      continue;
    }
    const list: unknown[] = 'rules' in top.data && Array.isArray(top.data['rules']) ? (top.data['rules'] as unknown[]) : [top.data];
    const prefix: (string | number)[] = list === top.data['rules'] ? ['rules'] : [];
    const lineOf = (path: readonly (string | number)[]): number | undefined => {
      const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      return node?.range ? lc.linePos(node.range[0]).line : undefined;
    };
    list.forEach((raw, i) => {
      const at = list.length > 1 || prefix.length > 0 ? [...prefix, i] : [];
      const parsed = ruleSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const p = [...at, ...(issue.path as (string | number)[])];
        problems.push({ path: f.path, line: lineOf(p) ?? lineOf(at), reason: `/${p.join('/')}: ${issue.message}` });
        return;
      }
      const r = parsed.data;
      const previous = ids.get(r.id);
      if (previous !== undefined) {
        problems.push({ path: f.path, line: lineOf([...at, 'id']), reason: `rule id ${r.id} is already defined in ${previous}` });
        return;
      }
      const expression = compile(r.expression);
      if (!expression.ok) {
        problems.push({ path: f.path, line: lineOf([...at, 'expression']), reason: `expression is not valid CEL: ${expression.reason}` });
        return;
      }
      const when = r.when === undefined ? undefined : compile(r.when);
      if (when !== undefined && !when.ok) {
        problems.push({ path: f.path, line: lineOf([...at, 'when']), reason: `when is not valid CEL: ${when.reason}` });
        return;
      }
      ids.set(r.id, `${f.path}${lineOf([...at, 'id']) ? `:${lineOf([...at, 'id'])}` : ''}`);
      const path = r.path ?? [];
      const message = r.message ?? r.title;
      const check = (resource: Resource): readonly Violation[] => {
        const vars = varsOf(resource);
        try {
          if (when !== undefined && when.ok && when.program(vars) !== true) return [];
          const ok = expression.program(vars);
          if (ok === true) return [];
          if (ok === false) return [{ path, message }];
          return [{ path, message: `expression gave ${typeof ok}, not a bool`, notAssessed: true }];
        } catch (err) {
          return [{ path, message: `expression could not be evaluated: ${(err as Error).message.split('\n')[0]}`, notAssessed: true }];
        }
      };
      rules.push({
        id: r.id,
        title: r.title,
        description: r.description ?? r.title,
        severity: r.severity,
        platform: platformOf(r.kinds as ResourceKind[]),
        service: 'custom',
        kinds: r.kinds as ResourceKind[],
        frameworks: r.frameworks ?? [],
        remediation: r.remediation,
        references: r.references ?? [],
        check,
        examples: { good: r.examples?.good ?? [], bad: r.examples?.bad ?? [] },
      });
    });
  }
  return { rules, problems };
}

function platformOf(kinds: readonly ResourceKind[]): Rule['platform'] {
  const k = kinds[0]!;
  if (k.startsWith('k8s:')) return 'kubernetes';
  if (k.startsWith('docker:')) return 'dockerfile';
  if (k.startsWith('tf:azurerm') || k.startsWith('azure:')) return 'azure';
  if (k.startsWith('tf:google') || k.startsWith('gcp:')) return 'gcp';
  return 'aws';
}
