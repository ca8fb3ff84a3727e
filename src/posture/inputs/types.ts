/**
 * The contract every posture input implements (one folder per input under src/posture/inputs,
 * listed in registry.ts). Inputs are pure: the scan layer reads files and hands over text; an
 * input returns resources and problems, and never throws on untrusted text.
 */
import type { InputProblem, InputType, Resource } from '../model.js';

export interface SourceFile {
  /** Path relative to the scanned root, `/`-separated (what findings and SARIF report). */
  readonly path: string;
  readonly text: string;
}

export interface InputResult {
  readonly resources: Resource[];
  readonly problems: InputProblem[];
}

export interface ParseOptions {
  /** Terraform: extra variable files given on the command line (`-var-file`), already read. */
  readonly varFiles?: readonly SourceFile[];
}

export interface InputAdapter {
  readonly id: InputType;
  /**
   * Cheap test on the path and the first few KB of a file: does this input read it? Inputs are
   * asked in registry order and the first to accept a file gets it.
   */
  accepts(path: string, head: string): boolean;
  /**
   * All files of the scan this input accepted, at once, so inputs that need several files
   * (a Terraform module, its tfvars and local child modules) can see them together.
   */
  parse(files: readonly SourceFile[], options?: ParseOptions): Promise<InputResult>;
}
