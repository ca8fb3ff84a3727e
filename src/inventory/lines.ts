/**
 * Offsets → 1-based line numbers for readers of formats whose parser does not report
 * positions (JSON.parse, TOML): index the line starts once, then binary-search.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** 1-based line of a character offset. */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /**
   * Line of the first occurrence of `needle` at or after `from` (e.g. a JSON key written as
   * `"node_modules/foo":`), or undefined. Callers searching in document order pass the
   * previous hit as `from` so repeated keys resolve to successive lines.
   */
  find(needle: string, from = 0): { line: number; offset: number } | undefined {
    const at = this.text.indexOf(needle, from);
    return at === -1 ? undefined : { line: this.lineOf(at), offset: at };
  }
}

/**
 * Lines of keys met in document order: each search starts after the previous hit, and after
 * `maxMisses` misses it stops searching (a key written with escapes is not found verbatim, and
 * every miss scans to the end: unbounded, a hostile file would make this quadratic).
 */
export class ForwardLines {
  private cursor = 0;
  private misses = 0;

  constructor(
    private readonly index: LineIndex,
    private readonly maxMisses = 50,
  ) {}

  /** 1-based line of the next occurrence of `needle`, or undefined. */
  next(needle: string): number | undefined {
    if (this.misses > this.maxMisses) return undefined;
    const hit = this.index.find(needle, this.cursor);
    if (!hit) {
      this.misses++;
      return undefined;
    }
    this.cursor = hit.offset + 1;
    return hit.line;
  }
}
