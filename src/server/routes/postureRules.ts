/**
 * The rule catalogue as the API shows it (metadata, framework mappings with their names,
 * remediation, fix snippets; examples on the detail), its filters and paging, and the rules
 * version a scan records. Pure: the rules are passed in.
 */
import { FRAMEWORKS, type FrameworkId } from '../../posture/frameworks.js';
import type { PostureSeverity } from '../../posture/model.js';
import type { Rule, RulePlatform } from '../../posture/rule.js';
import { VigilError } from '../../core/errors.js';

export interface RuleView {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly severity: PostureSeverity;
  readonly platform: RulePlatform;
  readonly service: string;
  readonly kinds: string[];
  readonly frameworks: { framework: string; name: string; control: string }[];
  readonly remediation: string;
  readonly fix: { kubernetes?: string; terraform?: string; cloudformation?: string; dockerfile?: string } | null;
  readonly references: string[];
}

export function ruleView(r: Rule): RuleView {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    severity: r.severity,
    platform: r.platform,
    service: r.service,
    kinds: [...r.kinds],
    frameworks: r.frameworks.map((f) => ({ framework: f.framework, name: FRAMEWORKS[f.framework] ?? f.framework, control: f.control })),
    remediation: r.remediation,
    fix: r.fix ? { ...r.fix } : null,
    references: [...r.references],
  };
}

export function ruleDetail(r: Rule): RuleView & { examples: { good: ExampleView[]; bad: ExampleView[] } } {
  const ex = (e: Rule['examples']['good'][number]): ExampleView => ({ input: e.input, ...(e.file ? { file: e.file } : {}), text: e.text, ...(e.lines ? { lines: [...e.lines] } : {}) });
  return { ...ruleView(r), examples: { good: r.examples.good.map(ex), bad: r.examples.bad.map(ex) } };
}

interface ExampleView {
  input: Rule['examples']['good'][number]['input'];
  file?: string;
  text: string;
  lines?: number[];
}

export interface RuleFilter {
  readonly framework?: FrameworkId | undefined;
  readonly platform?: RulePlatform | undefined;
  readonly severity?: readonly string[] | undefined;
  readonly service?: string | undefined;
}

export function filterRules(rules: readonly Rule[], f: RuleFilter): Rule[] {
  return rules.filter(
    (r) =>
      (f.framework === undefined || r.frameworks.some((c) => c.framework === f.framework)) &&
      (f.platform === undefined || r.platform === f.platform) &&
      (f.severity === undefined || f.severity.length === 0 || f.severity.includes(r.severity)) &&
      (f.service === undefined || r.service === f.service),
  );
}

/** Pages rules ordered by id; the cursor is the last id shown (base64url). */
export function pageRules(rules: readonly Rule[], limit: number, cursor: string | undefined): { items: RuleView[]; nextCursor: string | null } {
  let after = '';
  if (cursor !== undefined) {
    after = Buffer.from(cursor, 'base64url').toString('utf8');
    if (after === '' || after.length > 200) {
      throw new VigilError('validation', 'invalid cursor', { errors: [{ pointer: '/querystring/cursor', detail: 'expected a cursor returned as nextCursor by this list' }] });
    }
  }
  const sorted = [...rules].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).filter((r) => r.id > after);
  const items = sorted.slice(0, limit);
  const more = sorted.length > limit;
  return { items: items.map(ruleView), nextCursor: more ? Buffer.from(items[items.length - 1]!.id, 'utf8').toString('base64url') : null };
}
