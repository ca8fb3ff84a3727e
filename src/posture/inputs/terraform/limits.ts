/** Limits that keep hostile Terraform input linear in time and bounded in memory. */
export const LIMITS = {
  /** Files larger than this (UTF-16 code units) are reported and not read. */
  maxFileChars: 4 * 1024 * 1024,
  /** Syntax nesting deeper than this becomes an unresolved expression and a problem. */
  maxDepth: 200,
  /** Instances one `count` / `for_each` / `dynamic` may expand to; more → one instance as written. */
  maxInstances: 1000,
  /** Resources one parse may return in all (module fan-out included). */
  maxResources: 200_000,
  /** Nesting of local child modules. */
  maxModuleDepth: 12,
  /** Longest string an expression may build; longer → unresolved. */
  maxString: 1_000_000,
  /** Largest value (nodes of its tree) an expression may build; larger → unresolved. */
  maxValueNodes: 100_000,
  /** Evaluation steps for one attribute / one parse. */
  maxStepsPerAttribute: 2_000_000,
  maxStepsPerParse: 60_000_000,
  /** Chained `local.*` lookups deeper than this are unresolved (also guards the JS stack). */
  maxLocalDepth: 64,
  /** Syntax problems reported per file. */
  maxProblemsPerFile: 20,
} as const;
