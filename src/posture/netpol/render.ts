/**
 * The policies as one multi-document YAML file `kubectl apply -f` takes, with comments saying
 * what each policy and rule was inferred from (through `yaml`'s document model, so comments
 * never break the YAML). Comment text is made single-line and printable: it comes from names
 * and keys in the input, never from configuration values (which may hold secrets).
 */
import { Document, isNode } from 'yaml';
import type { GeneratedPolicy } from './policies.js';

const MAX_COMMENT = 300;

/** One printable comment line (control characters → space, bounded length). */
export function commentLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ');
  return clean.length > MAX_COMMENT ? `${clean.slice(0, MAX_COMMENT)}…` : clean;
}

const asComment = (lines: readonly string[]): string => lines.map((l) => ` ${commentLine(l)}`).join('\n');

export function renderPolicies(policies: readonly GeneratedPolicy[], fileHeader: readonly string[]): string {
  const docs = policies.map((p, i) => {
    const doc = new Document(p.policy);
    doc.commentBefore = asComment([...(i === 0 ? [...fileHeader, ''] : []), ...p.header]);
    for (const dir of ['ingress', 'egress'] as const) {
      p.ruleNotes[dir].forEach((lines, j) => {
        const node = doc.getIn(['spec', dir, j], true);
        if (isNode(node) && lines.length > 0) node.commentBefore = asComment(lines);
      });
    }
    return doc.toString({ lineWidth: 0 });
  });
  return docs.join('---\n');
}
