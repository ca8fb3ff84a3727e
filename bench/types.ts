/** One printed figure: `name value unit`. */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
}

export interface BenchResult {
  readonly figures: readonly Figure[];
  /** Targets missed; any entry makes `npm run bench` exit non-zero. */
  readonly failures: readonly string[];
}
