/** Size and shape limits for untrusted CloudFormation templates. */
export const CFN_LIMITS = {
  /** Largest template read, in characters (CloudFormation itself takes 1 MB from S3). */
  maxBytes: 4 * 1024 * 1024,
  /** Deepest nesting of collections (flow collections checked by the lexer before composing). */
  maxDepth: 200,
  /** Nodes visited while reading one template, aliases expanded. */
  maxNodes: 1_000_000,
  /** Problems reported for one file before the rest are dropped. */
  maxProblemsPerFile: 20,
  /** Longest string intrinsic resolution builds (`Fn::Join`, `Fn::Sub`); longer stays unresolved. */
  maxString: 1024 * 1024,
  /** Most items `Fn::Split` produces; more stays unresolved. */
  maxSplit: 10_000,
} as const;
