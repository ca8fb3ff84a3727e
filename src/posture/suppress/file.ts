/**
 * The suppression file (`--suppressions FILE`, default `.vigil-posture.yaml` at the scanned
 * root when present):
 *
 *   suppressions:
 *     - rule: VGL-K8S-006            # required
 *       resource: "Deployment/prod/*" # optional glob on the resource id
 *       file: "charts/**"            # optional glob on the file path
 *       reason: "accepted by security, ticket SEC-12"   # required
 *       expires: 2027-01-31          # optional; an expired entry no longer applies
 *
 * Every entry needs a reason; a bad entry is an error naming its index, never ignored.
 */
import { z } from 'zod';
import { readYamlText } from '../../core/yaml-input.js';

export interface FileSuppression {
  readonly rule: string;
  readonly resource?: string | undefined;
  readonly file?: string | undefined;
  readonly reason: string;
  readonly expires?: string | undefined;
  /** Where the entry came from, for the report: `FILE#index`. */
  readonly source: string;
}

const entry = z
  .object({
    rule: z.string().min(1).max(100),
    resource: z.string().min(1).max(1000).optional(),
    file: z.string().min(1).max(1000).optional(),
    reason: z.string().trim().min(1, 'a reason is required').max(2000),
    expires: z
      .union([z.string(), z.date()])
      .transform((v) => (v instanceof Date ? v.toISOString().slice(0, 10) : v))
      .pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?$/, 'expected a date YYYY-MM-DD'))
      .optional(),
  })
  .strict();
const fileSchema = z.object({ suppressions: z.array(entry).max(100_000) }).strict();

export type SuppressionFileResult =
  | { readonly ok: true; readonly suppressions: FileSuppression[] }
  | { readonly ok: false; readonly reason: string };

export function parseSuppressionFile(path: string, text: string): SuppressionFileResult {
  const y = readYamlText(text, { maxBytes: 10 * 1024 * 1024, maxDepth: 50, maxAliases: 100 });
  if (!y.ok) return { ok: false, reason: `${path}: ${y.problem.reason}` };
  const parsed = fileSchema.safeParse(y.value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, reason: `${path}: at /${issue.path.join('/')}: ${issue.message}` };
  }
  return {
    ok: true,
    suppressions: parsed.data.suppressions.map((e, i) => ({ ...e, source: `${path}#${i}` })),
  };
}

/** A small glob: `*` within a path segment, `**` across segments, `?` one character. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        re += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const cache = new Map<string, RegExp>();
const matches = (glob: string, s: string): boolean => {
  let re = cache.get(glob);
  if (re === undefined) cache.set(glob, (re = globToRegExp(glob)));
  return re.test(s);
};

export function fileSuppressionFor(
  list: readonly FileSuppression[],
  ruleId: string,
  resourceId: string,
  file: string,
  now: Date,
): FileSuppression | undefined {
  for (const s of list) {
    if (s.rule !== ruleId && s.rule !== '*') continue;
    if (s.resource !== undefined && !matches(s.resource, resourceId)) continue;
    if (s.file !== undefined && !matches(s.file, file)) continue;
    if (s.expires !== undefined && new Date(s.expires.length === 10 ? `${s.expires}T23:59:59Z` : s.expires) < now) continue;
    return s;
  }
  return undefined;
}
