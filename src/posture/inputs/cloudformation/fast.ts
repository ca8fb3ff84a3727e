/**
 * The fast CloudFormation YAML reader: js-yaml through ../yaml-fast.ts (with the short-form
 * intrinsics as custom tags) builds the same located tree as the `yaml` walk in yaml.ts, about
 * ten times faster. It declines (undefined: yaml.ts reads the template) whatever it cannot
 * read exactly as yaml.ts would: a text with `vigil:ignore=` (comments come from `yaml`'s CST),
 * several documents, an anchor, a tag other than a short form, a tagged empty node, more nodes
 * than the budget, nesting at the depth limit, anything js-yaml refuses. Differentially
 * tested against yaml.ts over the shared corpus (fast.test.ts). Pure, never throws.
 */
import { fastTags, lastNonBlank, loadFast, nodeStart, type FastYaml, type YNode } from '../yaml-fast.js';
import { CFN_LIMITS } from './limits.js';
import { intrinsic, scalarValue, SHORT_FORMS } from './short-forms.js';
import { map, scalar, seq, type LEntry, type LNode } from './tree.js';
import type { ReadResult } from './yaml.js';

const TAGS = fastTags(
  SHORT_FORMS.flatMap((name) =>
    (['scalar', 'sequence', 'mapping'] as const).map((kind) => ({ tag: `!${name}`, kind, construct: (data: unknown): unknown => data })),
  ),
);

class Declined extends Error {}

export function readYamlTemplateFast(source: string): ReadResult | undefined {
  if (source.includes('vigil:ignore=')) return undefined;
  // Nodes at the walk's depth limit (or flow collections at the lexer's) are left to yaml.ts, which names them.
  const fy = loadFast(source, { maxDepth: CFN_LIMITS.maxDepth, tags: TAGS });
  if (fy === undefined || fy.documents.length !== 1) return undefined;
  const root = fy.documents[0]!.root;
  if (root.kind === 'empty') return undefined;
  try {
    return { root: new Builder(fy).node(root), comments: [], problems: [] };
  } catch (err) {
    if (err instanceof Declined) return undefined;
    throw err;
  }
}

/** YNode → LNode, with the lines yaml.ts's walk gives. */
class Builder {
  private budget: number = CFN_LIMITS.maxNodes;

  constructor(private readonly fy: FastYaml) {}

  node(n: YNode): LNode {
    if (--this.budget < 0) throw new Declined();
    const text = this.fy.text;
    const start = nodeStart(text, n);
    const line = this.fy.lineAt(start);
    let plain: LNode;
    if (n.kind === 'seq') {
      const items = (n.children ?? []).map((c) => this.node(c));
      plain = seq(items, line, Math.max(line, ...items.slice(-1).map((i) => i.end)));
    } else if (n.kind === 'map') {
      const c = n.children ?? [];
      const entries: LEntry[] = [];
      for (let i = 0; i < c.length; i += 2) {
        // Keys are plain scalars (yaml-fast declines the rest) and unique (js-yaml refuses duplicates).
        entries.push({ key: String(c[i]!.value), line: this.fy.lineAt(c[i]!.pos), value: this.node(c[i + 1]!) });
      }
      plain = map(entries, line, entries.reduce((m, e) => Math.max(m, e.value.end, e.line), line));
    } else {
      // A tagged empty node is '' for `yaml` and null for js-yaml: yaml.ts reads it.
      if (n.tag !== null && (n.kind === 'empty' || n.value === null)) throw new Declined();
      if (n.kind === 'empty') return scalar(null, line);
      const c = text.charCodeAt(start);
      const isPlain = n.kind === 'scalar' && n.tag === null && c !== 0x22 && c !== 0x27 && c !== 0x7c && c !== 0x3e;
      const value = scalarValue(n.value, isPlain, isPlain ? text.slice(start, lastNonBlank(text, start, n.end)) : undefined);
      plain = scalar(value, line, this.lastLine(start, n.end));
    }
    return n.tag === null ? plain : intrinsic(n.tag, plain, line);
  }

  /** Line of the last non-blank character in [start, end) (yaml.ts's `lastLine`). */
  private lastLine(start: number, end: number): number {
    const e = Math.max(start + 1, lastNonBlank(this.fy.text, start, end));
    return this.fy.lineAt(Math.max(start, e - 1));
  }
}
